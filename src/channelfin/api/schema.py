"""The schema: what the Lambda handler and the dev server run (through `execution`) and the export writes."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from channelfin.api.escrow_types import EscrowAgreement
from channelfin.api.incentive_types import CreditLine, IncentiveCampaign
from channelfin.api.mutations import Mutation
from channelfin.api.program_types import Enrollment, PartnerProgram
from channelfin.api.queries import Query
from channelfin.api.scalars import SCALAR_MAP
from channelfin.api.types import Contract, FinancingAgreement, Partner, Payout

schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    types=[
        Partner,
        FinancingAgreement,
        Contract,
        Payout,
        PartnerProgram,
        Enrollment,
        EscrowAgreement,
        CreditLine,
        IncentiveCampaign,
    ],
    config=StrawberryConfig(auto_camel_case=True, scalar_map=SCALAR_MAP),
)
