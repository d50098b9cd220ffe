"""Pages of a list: what a use case asks for (`PageRequest`) and gets (`Page`), with a position per item.

A position is the store's own opaque text (where the list stands after an item); the API
signs it and binds it to the list, its filters and the caller before a client sees it
(`api/core/cursors.py`), so a position that reaches a store was issued for that very list.
A page runs forwards (`first` items after `after`) or backwards (`last` items before
`before`), always returned in the list's order.
"""

from __future__ import annotations

import base64
import binascii
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
    last: int | None = None  # set: a backward page, the `last` items before `before` (or the end)
    before: str | None = None

    @property
    def backward(self) -> bool:
        return self.last is not None

    @property
    def size(self) -> int:
        return self.last if self.last is not None else self.first

    @property
    def start(self) -> str | None:
        """The position the page starts from, in the direction it runs."""
        return self.before if self.backward else self.after


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    cursors: list[str] = field(default_factory=list)  # one position per item
    has_next_page: bool = False
    has_previous_page: bool = False

    @property
    def start_cursor(self) -> str | None:
        return self.cursors[0] if self.cursors else None

    @property
    def end_cursor(self) -> str | None:
        return self.cursors[-1] if self.cursors else None


class InvalidCursor(ValueError):
    """A cursor that this API did not issue for this list, these filters and this caller."""


def all_items(fetch: Callable[[PageRequest], Page[T]]) -> Iterator[T]:
    """Every item of a paged Query, page after page (for steps and jobs that must see them all)."""
    after = None
    while True:
        page = fetch(PageRequest(first=MAX_PAGE_SIZE, after=after))
        yield from page.items
        if not page.has_next_page:
            return
        after = page.end_cursor


def position(key: str) -> str:
    """An in-memory list's position: the item's key, base64url."""
    return base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")


def key_of(text: str) -> str:
    try:
        return base64.urlsafe_b64decode((text + "=" * (-len(text) % 4)).encode()).decode()
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidCursor("not a position of this list") from exc


def paginate(items: list[T], key: Callable[[T], str], page: PageRequest) -> Page[T]:
    """A page of a list already in memory, in the list's order (so both directions are exact)."""
    keys = [key(item) for item in items]

    def index_of(text: str) -> int:
        wanted = key_of(text)
        if wanted not in keys:
            raise InvalidCursor("unknown position")
        return keys.index(wanted)

    if page.backward:
        end = index_of(page.before) if page.before is not None else len(items)
        start = max(0, end - page.size)
    else:
        start = index_of(page.after) + 1 if page.after is not None else 0
        end = start + page.size
    shown = range(start, min(end, len(items)))
    return Page(
        items=[items[i] for i in shown],
        cursors=[position(keys[i]) for i in shown],
        has_next_page=end < len(items),
        has_previous_page=start > 0,
    )
