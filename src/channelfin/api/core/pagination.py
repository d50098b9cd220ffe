"""Relay connections backed by DynamoDB queries: `first` capped, opaque cursors from the store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import strawberry

from channelfin.domain.error_codes import CommonCode
from channelfin.domain.errors import ValidationError
from channelfin.services.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, PageRequest

N = TypeVar("N")
D = TypeVar("D")


def page_request(first: int | None, after: str | None) -> PageRequest:
    size = DEFAULT_PAGE_SIZE if first is None else first
    if not 0 < size <= MAX_PAGE_SIZE:
        raise ValidationError(
            f"first is between 1 and {MAX_PAGE_SIZE}", code=CommonCode.INVALID_PAGE_SIZE, field=["first"]
        )
    return PageRequest(first=size, after=after or None)


@strawberry.type(description="Where a page of a connection stands.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(description="An item of a connection with its cursor.")
class Edge(Generic[N]):
    node: N
    cursor: str


@strawberry.type(description="A page of items; ask for the next one with `after: pageInfo.endCursor`.")
class Connection(Generic[N]):
    edges: list[Edge[N]]
    page_info: PageInfo

    @strawberry.field(description="The items of this page, without their cursors.")
    def nodes(self) -> list[N]:
        return [edge.node for edge in self.edges]

    @classmethod
    def from_page(cls, page: Page[D], to_node: Callable[[D], N], *, after: str | None) -> Connection[N]:
        return cls(
            edges=[Edge(node=to_node(item), cursor=c) for item, c in zip(page.items, page.cursors, strict=True)],
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=after is not None,
                start_cursor=page.cursors[0] if page.cursors else None,
                end_cursor=page.end_cursor,
            ),
        )
