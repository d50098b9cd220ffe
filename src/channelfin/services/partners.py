"""Use cases on partners and their financing agreements."""

from __future__ import annotations

from decimal import Decimal

from channelfin.domain.access import Principal, Role, require
from channelfin.domain.errors import Conflict, NotFound
from channelfin.domain.money import Money
from channelfin.domain.partners import FinancingAgreement, Partner, PartnerRole
from channelfin.services.paging import Page, PageRequest
from channelfin.services.partner_relations import sees_profile
from channelfin.services.ports import Ports


def register_partner(
    ports: Ports,
    principal: Principal,
    *,
    name: str,
    roles: list[PartnerRole],
    registration_number: str | None = None,
    country: str | None = None,
) -> Partner:
    require(principal, Role.LEASER_ADMIN, action="registerPartner")
    partner = Partner.register(
        id=ports.new_id(),
        name=name,
        roles=roles,
        created_at=ports.clock(),
        registration_number=registration_number,
        country=country,
    )
    ports.partners.add(partner)
    return partner


def _existing_partner(ports: Ports, partner_id: str, field: str) -> Partner:
    partner = ports.partners.get(partner_id)
    if partner is None:
        raise NotFound("no such partner", field=[field])
    return partner


def sign_financing_agreement(
    ports: Ports,
    principal: Principal,
    *,
    partner_id: str,
    leaser_id: str,
    annual_rate: Decimal,
    file_fee: Money,
    payout_sla_hours: int | None = None,
    instant_decision_limit: Money | None = None,
) -> FinancingAgreement:
    require(principal, Role.LEASER_ADMIN, action="signFinancingAgreement")
    agreement = FinancingAgreement.sign(
        id=ports.new_id(),
        partner=_existing_partner(ports, partner_id, "partnerId"),
        leaser=_existing_partner(ports, leaser_id, "leaserId"),
        annual_rate=annual_rate,
        file_fee=file_fee,
        payout_sla_hours=payout_sla_hours,
        instant_decision_limit=instant_decision_limit,
        signed_at=ports.clock(),
        signed_by=principal.sub,
    )
    ports.partners.add_agreement(agreement)
    return agreement


def terminate_financing_agreement(
    ports: Ports, principal: Principal, *, agreement_id: str, reason: str | None
) -> FinancingAgreement:
    """The leaser ends the agreement: new requests under it are refused, files already requested go on."""
    require(principal, Role.LEASER_ADMIN, action="terminateFinancingAgreement")
    agreement = ports.partners.get_agreement(agreement_id)
    if agreement is None:
        raise NotFound("no such financing agreement", field=["agreementId"])
    ended = agreement.terminated(at=ports.clock(), by=principal.sub, reason=reason)
    if ended is not agreement:
        try:
            ports.partners.save_agreement(ended, expected_status=agreement.status)
        except Conflict:  # terminated meanwhile by another admin: theirs stands
            current = ports.partners.get_agreement(agreement_id)
            assert current is not None
            return current
    return ended


def visible_partner(ports: Ports, principal: Principal, partner_id: str) -> Partner | None:
    """The partner if the caller may read it, in full or as a public profile (`partner_relations`);
    None otherwise (no existence leak)."""
    if principal.partner_id is None and not principal.sees_everything:
        return None
    partner = ports.partners.get(partner_id)
    if partner is None or not sees_profile(ports, principal, partner):
        return None
    return partner


def list_partners(ports: Ports, principal: Principal, *, role: PartnerRole | None, page: PageRequest) -> Page[Partner]:
    if principal.sees_everything:
        return ports.partners.find(role=role, page=page)
    # A partner's users see the directory of one: their own partner.
    own = ports.partners.get(principal.partner_id) if principal.partner_id else None
    if own is None or (role is not None and not own.has_role(role)) or page.after is not None:
        return Page(items=[])
    return Page(items=[own], cursors=["self"])


def visible_agreement(ports: Ports, principal: Principal, agreement_id: str) -> FinancingAgreement | None:
    agreement = ports.partners.get_agreement(agreement_id)
    if agreement is None or not principal.can_see_any_of((agreement.partner_id, agreement.leaser_id)):
        return None
    return agreement


def visible_agreements_of(ports: Ports, principal: Principal, partner_id: str) -> list[FinancingAgreement]:
    if not principal.can_see_partner(partner_id):
        return []
    return ports.partners.agreements_of(partner_id)
