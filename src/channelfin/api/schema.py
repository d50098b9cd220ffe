"""The schema: what the Lambda handler and the dev server run (through `http.execution`) and the export writes.

Each area contributes its root fields; `merge_types` composes them in one `Query` and one
`Mutation`, and importing the areas registers how their objects are shown and found by
`node(id:)`.
"""

import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from channelfin.api.audit.queries import AuditQueries
from channelfin.api.contracts.mutations import ContractsMutations
from channelfin.api.contracts.queries import ContractsQueries
from channelfin.api.contracts.types import Contract
from channelfin.api.core.node import NodeQuery
from channelfin.api.core.scalars import SCALAR_MAP
from channelfin.api.documents.mutations import DocumentsMutations
from channelfin.api.escrow.mutations import EscrowMutations
from channelfin.api.escrow.queries import EscrowQueries
from channelfin.api.escrow.types import EscrowAgreement
from channelfin.api.financing.mutations import FinancingMutations
from channelfin.api.financing.queries import FinancingQueries
from channelfin.api.incentives.mutations import IncentivesMutations
from channelfin.api.incentives.queries import IncentivesQueries
from channelfin.api.incentives.types import CreditLine, IncentiveCampaign
from channelfin.api.ledger.queries import LedgerQueries
from channelfin.api.partners.mutations import PartnersMutations
from channelfin.api.partners.queries import PartnersQueries
from channelfin.api.partners.types import FinancingAgreement, Partner, ResellerLink
from channelfin.api.payments.mutations import PaymentsMutations
from channelfin.api.payments.queries import PaymentsQueries
from channelfin.api.payments.types import PaymentRun
from channelfin.api.payouts.queries import PayoutsQueries
from channelfin.api.payouts.types import Payout
from channelfin.api.programs.mutations import ProgramsMutations
from channelfin.api.programs.queries import ProgramsQueries
from channelfin.api.programs.types import Enrollment, PartnerProgram
from channelfin.api.webhooks.mutations import WebhooksMutations
from channelfin.api.webhooks.queries import WebhooksQueries
from channelfin.api.webhooks.types import WebhookEndpoint


def _root(name: str, description: str, parts: tuple[type, ...]) -> type:
    """`merge_types`, with a description (its duplicate-field check kept)."""
    merge_types(name, parts)
    return strawberry.type(type(name, parts, {}), description=description)


Query = _root(
    "Query",
    "What can be read: each field scoped to what the caller may see (a partner's users: their own partner's "
    "data and what it takes part in). Lists are Relay connections (`first`/`after`, some `last`/`before`), "
    "pages of at most 100.",
    (
        PartnersQueries,
        NodeQuery,
        ContractsQueries,
        PayoutsQueries,
        FinancingQueries,
        ProgramsQueries,
        EscrowQueries,
        IncentivesQueries,
        LedgerQueries,
        PaymentsQueries,
        AuditQueries,
        WebhooksQueries,
    ),
)
Mutation = _root(
    "Mutation",
    "What can be done: every mutation takes one `input` and answers a payload with what it changed and "
    "`userErrors` (business refusals, each with a stable code); an `Idempotency-Key` header makes a retry safe.",
    (
        PartnersMutations,
        ContractsMutations,
        FinancingMutations,
        DocumentsMutations,
        ProgramsMutations,
        EscrowMutations,
        IncentivesMutations,
        PaymentsMutations,
        WebhooksMutations,
    ),
)

schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    types=[
        Partner,
        FinancingAgreement,
        ResellerLink,
        Contract,
        Payout,
        PartnerProgram,
        Enrollment,
        EscrowAgreement,
        CreditLine,
        IncentiveCampaign,
        PaymentRun,
        WebhookEndpoint,
    ],
    config=StrawberryConfig(auto_camel_case=True, scalar_map=SCALAR_MAP),
)
