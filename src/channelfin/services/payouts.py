"""Scoped reads of payouts."""

from __future__ import annotations

from collections.abc import Iterable

from channelfin.domain.access import Principal
from channelfin.domain.error_codes import CommonCode
from channelfin.domain.errors import ValidationError
from channelfin.domain.payouts import Payout
from channelfin.services.paging import Page, PageRequest
from channelfin.services.ports import Ports


def list_payouts(
    ports: Ports,
    principal: Principal,
    *,
    contract_id: str | None,
    beneficiary_id: str | None,
    page: PageRequest,
    payer_id: str | None = None,
) -> Page[Payout]:
    if not principal.sees_everything:
        # A partner sees the payouts it receives (or, asked by payer, those it pays), never another's.
        if principal.partner_id is None or {beneficiary_id, payer_id} - {None, principal.partner_id}:
            return Page(items=[])
        if payer_id is None:
            beneficiary_id = principal.partner_id
    if payer_id is not None:
        if beneficiary_id is not None or contract_id is not None:
            raise ValidationError("filter by payer alone", code=CommonCode.INVALID_INPUT, field=["filter", "payerId"])
        return ports.payouts.of_payer(payer_id, page)
    return ports.payouts.find(contract_id=contract_id, beneficiary_id=beneficiary_id, page=page)


def visible_on_contract(principal: Principal, payouts: Iterable[Payout | None]) -> list[Payout]:
    """A contract's payouts newest first, as list_payouts shows them: a partner sees only its own."""
    shown = [p for p in payouts if p is not None and (principal.sees_everything or principal.partner_id in p.parties())]
    shown.sort(key=lambda p: (p.created_at, p.id), reverse=True)
    return shown


def visible_payout(ports: Ports, principal: Principal, payout_id: str) -> Payout | None:
    payout = ports.payouts.get(payout_id)
    if payout is None or not principal.can_see_any_of(payout.parties()):
        return None
    return payout
