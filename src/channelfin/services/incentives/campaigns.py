"""Use cases of a vendor's incentive campaigns: create, accept (a distributor), read."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from channelfin.domain.access import Principal, Role
from channelfin.domain.error_codes import IncentiveCode
from channelfin.domain.errors import NotFound, ValidationError
from channelfin.domain.incentives.campaigns import CampaignKind, IncentiveCampaign
from channelfin.domain.money import Money
from channelfin.domain.partners import PartnerRole
from channelfin.services.incentives.checks import partner_with_role, require_admin_of
from channelfin.services.paging import Page, PageRequest
from channelfin.services.ports import Ports


def create_incentive_campaign(
    ports: Ports,
    principal: Principal,
    *,
    vendor_id: str,
    name: str,
    kind: CampaignKind,
    starts_at: datetime,
    ends_at: datetime,
    partner_roles: list[PartnerRole] | None = None,
    distributor_id: str | None = None,
    product_family: str | None = None,
    product_references: list[str] | None = None,
    licence_program: str | None = None,
    amount: Money | None = None,
    per_order_amount: Money | None = None,
    rate: Decimal | None = None,
    multiplier: Decimal | None = None,
    payout_sla_hours: int | None = None,
) -> IncentiveCampaign:
    require_admin_of(principal, vendor_id, Role.PARTNER_ADMIN, action="createIncentiveCampaign", field=["vendorId"])
    partner_with_role(ports, vendor_id, PartnerRole.PUBLISHER, "vendorId")
    if distributor_id is not None:
        partner_with_role(ports, distributor_id, PartnerRole.DISTRIBUTOR, "distributorId")
    campaign = IncentiveCampaign.create(
        id=ports.new_id(),
        vendor_id=vendor_id,
        name=name,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        created_at=ports.clock(),
        created_by=principal.sub,
        partner_roles=frozenset(partner_roles or ()),
        distributor_id=distributor_id,
        product_family=product_family,
        product_references=tuple(product_references or ()),
        licence_program=licence_program,
        amount=amount,
        per_order_amount=per_order_amount,
        rate=rate,
        multiplier=multiplier,
        payout_sla_hours=payout_sla_hours,
    )
    ports.incentives.add_campaign(campaign)
    return campaign


def accept_incentive_campaign(ports: Ports, principal: Principal, *, campaign_id: str) -> IncentiveCampaign:
    """The distributor named by a credit campaign agrees to extend that credit (its partner-admin)."""
    campaign = ports.incentives.get_campaign(campaign_id)
    if campaign is None:
        raise NotFound("no such campaign", field=["campaignId"])
    if campaign.distributor_id is None:
        raise ValidationError("only a campaign naming a distributor is accepted", code=IncentiveCode.NOTHING_TO_ACCEPT)
    require_admin_of(
        principal, campaign.distributor_id, Role.PARTNER_ADMIN, action="acceptIncentiveCampaign", field=["campaignId"]
    )
    accepted = campaign.accepted(by=principal.sub, at=ports.clock())
    if accepted is not campaign:
        ports.incentives.save_campaign(accepted)
    return accepted


def visible_campaign(ports: Ports, principal: Principal, campaign_id: str) -> IncentiveCampaign | None:
    """Campaigns are the vendor's offers to its channel: every signed-in caller may read them."""
    _ = principal
    return ports.incentives.get_campaign(campaign_id)


def list_campaigns(
    ports: Ports, principal: Principal, *, vendor_id: str, kind: CampaignKind | None, page: PageRequest
) -> Page[IncentiveCampaign]:
    _ = principal
    return ports.incentives.campaigns_of_vendor(vendor_id, kind=kind, page=page)
