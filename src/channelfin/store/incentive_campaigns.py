"""Campaign items of the partners table: the attributes the item and its distributor's copy carry."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from channelfin.domain.incentives.campaigns import CampaignKind, IncentiveCampaign
from channelfin.domain.partners import PartnerRole
from channelfin.store import legacy_json
from channelfin.store.dynamo import money, money_map, sort_stamp


def campaign_attributes(c: IncentiveCampaign) -> dict[str, Any]:
    """What the campaign item and its distributor's copy both carry."""
    return dict(
        vendor_id=c.vendor_id,
        name=c.name,
        kind=c.kind.value,
        starts_at=c.starts_at,
        ends_at=c.ends_at,
        created_at=c.created_at,
        created_by=c.created_by,
        partner_roles=sorted(r.value for r in c.partner_roles),
        distributor_id=c.distributor_id,
        product_family=c.product_family,
        product_references=list(c.product_references),
        licence_program=c.licence_program,
        amount=money_map(c.amount) if c.amount is not None else None,
        per_order_amount=money_map(c.per_order_amount) if c.per_order_amount is not None else None,
        rate=str(c.rate) if c.rate is not None else None,
        multiplier=str(c.multiplier) if c.multiplier is not None else None,
        payout_sla_hours=c.payout_sla_hours,
        accepted_by=c.accepted_by,
        accepted_at=c.accepted_at,
    )


def campaign_from_record(record: Any) -> IncentiveCampaign:
    campaign_id = record.pk.removeprefix("CAMPAIGN#")
    if record.legacy_body is not None:
        return legacy_json.campaign(record.legacy_body, campaign_id=campaign_id)
    return IncentiveCampaign(
        id=campaign_id,
        vendor_id=record.vendor_id,
        name=record.name,
        kind=CampaignKind(record.kind),
        starts_at=record.starts_at,
        ends_at=record.ends_at,
        created_at=record.created_at,
        created_by=record.created_by,
        partner_roles=frozenset(PartnerRole(r) for r in record.partner_roles or ()),
        distributor_id=record.distributor_id,
        product_family=record.product_family,
        product_references=tuple(record.product_references or ()),
        licence_program=record.licence_program,
        amount=money(record.amount) if record.amount is not None else None,
        per_order_amount=money(record.per_order_amount) if record.per_order_amount is not None else None,
        rate=Decimal(record.rate) if record.rate is not None else None,
        multiplier=Decimal(record.multiplier) if record.multiplier is not None else None,
        payout_sla_hours=int(record.payout_sla_hours) if record.payout_sla_hours is not None else None,
        accepted_by=record.accepted_by,
        accepted_at=record.accepted_at,
    )


def campaign_sort(kind: CampaignKind, starts_at: datetime, campaign_id: str = "") -> str:
    return f"{kind.value}#{sort_stamp(starts_at)}#{campaign_id}"
