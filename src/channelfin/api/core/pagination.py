"""Relay connections backed by DynamoDB queries: page sizes capped, cursors signed and bound (`cursors`).

Every connection resolver asks `paging(info, …)` for its `PageRequest` and answers
`Connection.from_page(page, to_node, paging)`: that is where a client's cursor is opened
(INVALID_CURSOR unless this API issued it for this list, these arguments and this caller) and
where the store's positions are signed on the way out, for every list alike.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from strawberry.types.nodes import SelectedField

from channelfin.api.core.context import Context
from channelfin.api.core.cursors import CursorSigner
from channelfin.domain.error_codes import CommonCode
from channelfin.domain.errors import ValidationError
from channelfin.services.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, InvalidCursor, Page, PageRequest

N = TypeVar("N")
D = TypeVar("D")

PAGE_ARGUMENTS = frozenset({"first", "after", "last", "before"})
_CURSOR_RULE = (
    "Valid only on the list, with the other arguments and for the caller it was issued to; anything else "
    "(another list, a changed filter, another user, an edited or expired cursor) is INVALID_CURSOR."
)
First = Annotated[
    int | None,
    strawberry.argument(
        description=f"Page forwards: this many items, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}); "
        "with `last` or `before`: INVALID_PAGE_SIZE."
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Page forwards from after this cursor (an edge's `cursor`, or `pageInfo.endCursor`). "
        + _CURSOR_RULE
    ),
]
Last = Annotated[
    int | None,
    strawberry.argument(
        description=f"Page backwards: the last this many items (before `before`, or of the list), 1 to {MAX_PAGE_SIZE}."
    ),
]
Before = Annotated[
    str | None,
    strawberry.argument(
        description="Page backwards from before this cursor (an edge's `cursor`, or `pageInfo.startCursor`). "
        + _CURSOR_RULE
    ),
]


class CursorRefused(InvalidCursor):
    """A client's cursor refused, with the argument that carried it."""

    def __init__(self, argument: str) -> None:
        super().__init__(f"the `{argument}` cursor was not issued for this list, these filters and this caller")
        self.argument = argument


@dataclass(frozen=True, slots=True)
class Paging:
    request: PageRequest
    signer: CursorSigner
    binding: tuple[object, ...]

    def cursor(self, position: str) -> str:
        return self.signer.sign(position, self.binding)


def _size(value: int | None, name: str) -> int:
    size = DEFAULT_PAGE_SIZE if value is None else value
    if not 0 < size <= MAX_PAGE_SIZE:
        raise ValidationError(
            f"{name} is between 1 and {MAX_PAGE_SIZE}", code=CommonCode.INVALID_PAGE_SIZE, field=[name]
        )
    return size


def _binding(info: strawberry.Info[Context, Any], bound_to: Sequence[object]) -> tuple[object, ...]:
    """The list (type and field), its other arguments as the client sent them, the caller, and `bound_to`."""
    field = info.selected_fields[0]  # this very field (its alias), variables filled in
    arguments = field.arguments if isinstance(field, SelectedField) else {}
    filters = sorted((k, v) for k, v in arguments.items() if k not in PAGE_ARGUMENTS)
    principal = info.context.principal
    return (f"{info.path.typename}.{info.field_name}", principal.sub, principal.partner_id, filters, *bound_to)


def paging(
    info: strawberry.Info[Context, Any],
    first: int | None,
    after: str | None,
    *,
    last: int | None = None,
    before: str | None = None,
    bound_to: Sequence[object] = (),
) -> Paging:
    """The page a connection field asks for. `bound_to` names what else the list belongs to (the
    object whose list it is); the field's other arguments and the caller are bound by themselves."""
    backward = last is not None or bool(before)
    if backward and (first is not None or after):
        raise ValidationError(
            "page forwards (first, after) or backwards (last, before), not both",
            code=CommonCode.INVALID_PAGE_SIZE,
            field=["last" if last is not None else "before"],
        )
    binding = _binding(info, bound_to)
    signer = info.context.cursor_signer

    def opened(cursor: str | None, argument: str) -> str | None:
        if not cursor:
            return None
        try:
            return signer.open(cursor, binding)
        except InvalidCursor:
            raise CursorRefused(argument) from None

    if backward:
        request = PageRequest(last=_size(last, "last"), before=opened(before, "before"))
    else:
        request = PageRequest(first=_size(first, "first"), after=opened(after, "after"))
    return Paging(request, signer, binding)


@strawberry.type(description="Where a page of a connection stands.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether items follow this page (ask `after: endCursor`).")
    has_previous_page: bool = strawberry.field(
        description="Whether items come before this page (ask `last` with `before: startCursor`)."
    )
    start_cursor: str | None = strawberry.field(description="The first item's cursor; null on an empty page.")
    end_cursor: str | None = strawberry.field(description="The last item's cursor; null on an empty page.")


@strawberry.type(description="An item of a connection with its cursor.")
class Edge(Generic[N]):
    node: N = strawberry.field(description="The item.")
    cursor: str = strawberry.field(
        description="Where the list stands after this item: opaque, signed, about 70 characters; valid only "
        "on this list, with these arguments, for this caller (INVALID_CURSOR otherwise)."
    )


@strawberry.type(
    description="A page of a list: at most 100 items (`first` or `last`, default 20), in the list's order "
    "whichever way it is paged. Each item costs as much as its own fields in the query cost limit, times "
    "the page size asked."
)
class Connection(Generic[N]):
    edges: list[Edge[N]] = strawberry.field(description="The items of this page with their cursors.")
    page_info: PageInfo = strawberry.field(description="Where this page stands in the list.")
    total_count: int | None = strawberry.field(
        default=None,
        description="How many items the whole list holds, where that is cheap to know: a contract's payouts "
        "(the contract keeps their ids) and a trial balance's accounts (computed in memory). Null on the lists "
        "read from DynamoDB a page at a time (partners, contracts, payouts, credit lines...): counting them "
        "would read every item of the list.",
    )

    @strawberry.field(description="The items of this page, without their cursors.")
    def nodes(self) -> list[N]:
        return [edge.node for edge in self.edges]

    @classmethod
    def from_page(
        cls, page: Page[D], to_node: Callable[[D], N], paging: Paging, *, total_count: int | None = None
    ) -> "Connection[N]":
        cursors = [paging.cursor(p) for p in page.cursors]
        return cls(
            edges=[Edge(node=to_node(item), cursor=c) for item, c in zip(page.items, cursors, strict=True)],
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=page.has_previous_page,
                start_cursor=cursors[0] if cursors else None,
                end_cursor=cursors[-1] if cursors else None,
            ),
            total_count=total_count,
        )
