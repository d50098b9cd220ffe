"""Scoped reads of payouts."""

from __future__ import annotations

from ..domain.access import Principal
from ..domain.payouts import Payout
from .ports import Page, PageRequest, Ports


def list_payouts(
    ports: Ports,
    principal: Principal,
    *,
    contract_id: str | None,
    beneficiary_id: str | None,
    page: PageRequest,
) -> Page[Payout]:
    if not principal.sees_everything:
        # A partner sees the payouts it receives, never another partner's.
        if principal.partner_id is None or (beneficiary_id not in (None, principal.partner_id)):
            return Page(items=[])
        beneficiary_id = principal.partner_id
    return ports.payouts.list(contract_id=contract_id, beneficiary_id=beneficiary_id, page=page)


def visible_payout(ports: Ports, principal: Principal, payout_id: str) -> Payout | None:
    payout = ports.payouts.get(payout_id)
    if payout is None or not principal.can_see_partner(payout.beneficiary_id):
        return None
    return payout
