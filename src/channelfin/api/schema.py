"""The schema: what the Lambda handler and the dev server run (through `execution`) and the export writes."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from .escrow_types import EscrowAgreement
from .incentive_types import CreditLine, IncentiveCampaign
from .mutations import Mutation
from .program_types import Enrollment, PartnerProgram
from .queries import Query
from .scalars import SCALAR_MAP
from .types import Contract, FinancingAgreement, Partner, Payout

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
