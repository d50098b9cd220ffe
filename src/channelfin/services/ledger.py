"""Use cases that read the ledger: a partner's balances and statement, the trial balance."""

from __future__ import annotations

from datetime import datetime

from channelfin.domain.access import Principal, Role, require
from channelfin.domain.error_codes import CommonCode
from channelfin.domain.errors import ValidationError
from channelfin.domain.ledger import CounterpartyPosition, LedgerStatement, TrialBalance, positions
from channelfin.services.ports import Ports


def balances(ports: Ports, principal: Principal, partner_id: str) -> list[CounterpartyPosition] | None:
    """What each counterparty owes the partner and what it owes them (its users and leaser staff)."""
    if not principal.can_see_partner(partner_id):
        return None
    return positions(partner_id, ports.ledger.entries_of(partner_id))


def statement(
    ports: Ports, principal: Principal, *, partner_id: str, start: datetime, end: datetime
) -> LedgerStatement | None:
    if not principal.can_see_partner(partner_id):
        return None
    if end <= start:
        raise ValidationError("the period ends after it starts", code=CommonCode.INVALID_PERIOD, field=["to"])
    return LedgerStatement.of(partner_id, start, end, ports.ledger.entries_of(partner_id, until=end))


def trial_balance(ports: Ports, principal: Principal, *, at: datetime | None) -> TrialBalance:
    """Every account's debits and credits up to `at` (leaser staff): debits equal credits, always."""
    require(principal, Role.LEASER_ADMIN, Role.TREASURY, action="ledgerTrialBalance")
    when = at or ports.clock()
    return TrialBalance.of(ports.ledger.journal_until(when), when)
