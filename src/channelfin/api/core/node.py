"""The Relay `Node` interface and the two registries that keep the areas apart.

An area's field that returns another area's object (a contract's `owner`, a payout's
`contract`) names that type through `strawberry.lazy` and builds it through `present`, so
no area imports another. Each area registers, at import, how its types are built from
domain objects (`presenter`) and how `node(id:)` finds them (`node_loader`); `schema.py`
imports every area before the schema is built.
"""

from collections.abc import Callable
from typing import Annotated, Any

import strawberry

from channelfin.api.core.context import Context
from channelfin.api.core.ids import from_global_id
from channelfin.domain.access import Principal
from channelfin.domain.error_codes import CommonCode
from channelfin.domain.errors import ValidationError
from channelfin.services.ports import Ports

Info = strawberry.Info[Context, None]
Presenter = Callable[[Any], Any]
Finder = Callable[[Ports, Principal, str], Any]  # a use case's `visible_…`: the object, or None

_presenters: dict[str, Presenter] = {}
_node_loaders: dict[str, tuple[Finder, Presenter]] = {}


@strawberry.interface(description="An object with a global id (Relay).")
class Node:
    id: strawberry.ID = strawberry.field(description="Global id, opaque.")


def presenter(type_name: str, build: Presenter) -> None:
    """How the area that owns `type_name` builds it from a domain object."""
    _presenters[type_name] = build


def present(type_name: str, value: Any) -> Any:
    """The GraphQL object of another area for a domain object (None stays None)."""
    return None if value is None else _presenters[type_name](value)


def node_loader(type_name: str, find: Finder, build: Presenter) -> None:
    """How `node(id:)` reads a `type_name`: `find` applies the caller's visibility, `build` shows it."""
    _node_loaders[type_name] = (find, build)


MAX_NODES = 100


def _refetch(info: Info, id: strawberry.ID, field: list[str] | None = None) -> Any:
    try:
        type_name, key = from_global_id(id)
    except ValidationError as exc:
        if field is None:
            raise
        raise ValidationError(exc.message, code=exc.code, field=field) from None
    find, build = _node_loaders[type_name]
    found = find(info.context.ports, info.context.principal, key)
    return build(found) if found is not None else None


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any object by global id; null when it does not exist or is not yours to see.")
    def node(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Its global id.")]
    ) -> Node | None:
        return _refetch(info, id)

    @strawberry.field(
        description=f"Objects by global id, in the order asked (at most {MAX_NODES}): each null when it does "
        "not exist or is not yours to see, as `node` answers it. An id that is no global id is INVALID_ID, "
        f"more than {MAX_NODES} ids INPUT_LIST_TOO_LONG (GraphQL errors, no data). Each id costs what `node` does."
    )
    def nodes(
        self,
        info: Info,
        ids: Annotated[list[strawberry.ID], strawberry.argument(description=f"At most {MAX_NODES} global ids.")],
    ) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise ValidationError(f"at most {MAX_NODES} ids", code=CommonCode.TOO_MANY, field=["ids"])
        return [_refetch(info, id, ["ids", str(n)]) for n, id in enumerate(ids)]


async def partner(info: Info, partner_id: str | None) -> Any:
    """A partner by id through the request's loader, as the partners area shows it."""
    if partner_id is None:
        return None
    return present("Partner", await info.context.loaders.partner_by_id.load(partner_id))
