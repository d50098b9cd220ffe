"""Root query fields of the ledger."""

import datetime as dt
from typing import Annotated

import strawberry

from channelfin.api.core.node import Info
from channelfin.api.ledger.types import TrialBalance
from channelfin.services import ledger as ledger_service


@strawberry.type
class LedgerQueries:
    @strawberry.field(
        description="Every account of every partner's books up to `at` (default: now): debits, credits, and "
        "whether they balance (leaser-admin, treasury)."
    )
    def ledger_trial_balance(
        self,
        info: Info,
        at: Annotated[
            dt.datetime | None, strawberry.argument(description="The balance as it stood at this instant; none: now.")
        ] = None,
    ) -> TrialBalance:
        ctx = info.context
        return TrialBalance.from_domain(ledger_service.trial_balance(ctx.ports, ctx.principal, at=at))
