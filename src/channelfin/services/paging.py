"""Pages of a list: what a use case asks for (`PageRequest`) and gets (`Page`), with opaque cursors."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


@dataclass(frozen=True, slots=True)
class PageRequest:
    first: int = DEFAULT_PAGE_SIZE
    after: str | None = None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    cursors: list[str] = field(default_factory=list)  # one opaque cursor per item
    has_next_page: bool = False

    @property
    def end_cursor(self) -> str | None:
        return self.cursors[-1] if self.cursors else None


class InvalidCursor(ValueError):
    """A cursor that this store did not issue (or that does not fit the query)."""


def all_items(fetch: Callable[[PageRequest], Page[T]]) -> Iterator[T]:
    """Every item of a paged Query, page after page (for steps and jobs that must see them all)."""
    after = None
    while True:
        page = fetch(PageRequest(first=MAX_PAGE_SIZE, after=after))
        yield from page.items
        if not page.has_next_page:
            return
        after = page.end_cursor


def paginate(items: list[T], key: Callable[[T], str], page: PageRequest) -> Page[T]:
    """A page of a list already in memory, in the list's order; the cursor is the item's key, opaque."""
    cursors = [base64.urlsafe_b64encode(key(item).encode()).decode() for item in items]
    start = 0
    if page.after is not None:
        if page.after not in cursors:
            raise InvalidCursor("unknown cursor")
        start = cursors.index(page.after) + 1
    end = start + page.first
    return Page(items=items[start:end], cursors=cursors[start:end], has_next_page=end < len(items))
