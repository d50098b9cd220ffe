"""Root query fields of escrow agreements."""

from typing import Annotated

import strawberry

from channelfin.api.core.ids import local_id
from channelfin.api.core.node import Info, node_loader
from channelfin.api.escrow.types import EscrowAgreement
from channelfin.services import escrow as escrow_service


@strawberry.type
class EscrowQueries:
    @strawberry.field(description="An escrow agreement: leaser staff and the partners it names.")
    def escrow_agreement(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Its global id.")]
    ) -> EscrowAgreement | None:
        ctx = info.context
        key = local_id(id, "EscrowAgreement", field=["id"])
        found = escrow_service.visible_escrow(ctx.ports, ctx.principal, key)
        return EscrowAgreement.from_domain(found) if found else None


node_loader("EscrowAgreement", escrow_service.visible_escrow, EscrowAgreement.from_domain)
