"""Root query fields of contracts with end clients."""

from typing import Annotated

import strawberry

from channelfin.api.contracts.inputs import ContractFilter
from channelfin.api.contracts.types import Contract, Signatory
from channelfin.api.core.ids import local_id, optional_local_id
from channelfin.api.core.node import Info, node_loader
from channelfin.api.core.pagination import After, Before, Connection, First, Last, paging
from channelfin.services import contracts as contract_service
from channelfin.services import signatories as signatory_service


@strawberry.type
class ContractsQueries:
    @strawberry.field(description="A contract where your partner plays a role; null otherwise.")
    def contract(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Its global id.")]
    ) -> Contract | None:
        ctx = info.context
        found = contract_service.visible_contract(ctx.ports, ctx.principal, local_id(id, "Contract", field=["id"]))
        return Contract.from_domain(found) if found else None

    @strawberry.field(description="Contracts newest first, by party, role and status.")
    def contracts(
        self,
        info: Info,
        filter: Annotated[
            ContractFilter | None, strawberry.argument(description="Which contracts; none: all the caller may see.")
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Contract]:
        ctx = info.context
        request = paging(info, first, after, last=last, before=before)
        filter = filter or ContractFilter()
        page = contract_service.list_contracts(
            ctx.ports,
            ctx.principal,
            partner_id=optional_local_id(filter.partner_id, "Partner", field=["filter", "partnerId"]),
            role=filter.role,
            status=filter.status,
            page=request.request,
        )
        return Connection[Contract].from_page(page, Contract.from_domain, request)

    @strawberry.field(
        description="The signatory leaser staff confirmed for an end client (by SIREN), or null (leaser staff)."
    )
    def signatory(
        self,
        info: Info,
        registration_number: Annotated[str, strawberry.argument(description="The end client's SIREN.")],
    ) -> Signatory | None:
        found = signatory_service.signatory_of(info.context.ports, info.context.principal, registration_number)
        return Signatory.from_domain(found) if found else None


node_loader("Contract", contract_service.visible_contract, Contract.from_domain)
