"""Incentive campaigns and credit lines on DynamoDB (the partners table).

  CAMPAIGN#<id>   / CAMPAIGN              the campaign   gsi1: VENDOR#<v>#CAMPAIGNS / <kind>#<startsAt>#<id>
  CAMPAIGN#<id>   / DISTRIBUTOR#<d>       a copy         gsi1: DISTRIBUTOR#<d>#CAMPAIGNS / <kind>#<startsAt>#<id>
  CREDITLINE#<id> / LINE                  the line       gsi1: DISTRIBUTOR#<d>#CREDITLINES / <reseller>
  CREDITLINE#<id> / RESELLER              a copy         gsi1: RESELLER#<r>#CREDITLINES / <distributor>
  CREDITLINE#<id> / MOVE#<at>#<id>        a firm order or a reseller payment

Access patterns: a vendor's campaigns of a kind started by a date (Query gsi1, sort key
range), the campaigns naming a distributor (same on its copy), a line by id (GetItem), a
distributor's or a reseller's lines (Query gsi1), a line's movements in a period (Query on
its key, sort key range). The line and its copy move in one transaction with the movement,
conditioned on the line's version. An item of the old form (one JSON `body`) is read by
`legacy_json`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pynamodb.attributes import ListAttribute, MapAttribute, NumberAttribute, UnicodeAttribute

from channelfin.domain.events import Event
from channelfin.domain.incentives.campaigns import CampaignKind, IncentiveCampaign
from channelfin.domain.incentives.credit_lines import (
    CreditChangeAction,
    CreditLine,
    CreditLineEvent,
    CreditMovement,
    MovementKind,
    PendingCreditChange,
)
from channelfin.services.paging import Page, PageRequest
from channelfin.store import legacy_json, reads
from channelfin.store.dynamo import (
    IsoDateTimeAttribute,
    MoneyMap,
    PartnersTableItem,
    TableMeta,
    money,
    money_map,
    put_with_copies,
    query_page,
    sort_stamp,
)
from channelfin.store.incentive_campaigns import campaign_attributes, campaign_from_record, campaign_sort
from channelfin.store.outbox import outbox_items


class PendingCreditChangeMap(MapAttribute[str, Any]):
    from_limit = MoneyMap()
    to_limit = MoneyMap()
    requested_by = UnicodeAttribute()
    requested_at = IsoDateTimeAttribute()


class CreditLineEventMap(MapAttribute[str, Any]):
    action = UnicodeAttribute()
    at = IsoDateTimeAttribute()
    by = UnicodeAttribute()
    from_limit = MoneyMap()
    to_limit = MoneyMap()


class IncentiveRecord(PartnersTableItem):
    """Campaigns (and their distributor copies), credit lines (and their reseller copies) and movements."""

    class Meta(TableMeta):
        table_name = "partners"

    # campaign
    vendor_id = UnicodeAttribute(null=True)
    name = UnicodeAttribute(null=True)
    kind = UnicodeAttribute(null=True)  # a campaign's or a movement's
    starts_at = IsoDateTimeAttribute(null=True)
    ends_at = IsoDateTimeAttribute(null=True)
    created_at = IsoDateTimeAttribute(null=True)  # a campaign's or a line's
    created_by = UnicodeAttribute(null=True)
    partner_roles = ListAttribute(of=UnicodeAttribute, null=True)
    distributor_id = UnicodeAttribute(null=True)  # a campaign's or a line's
    product_family = UnicodeAttribute(null=True)
    product_references = ListAttribute(of=UnicodeAttribute, null=True)
    licence_program = UnicodeAttribute(null=True)  # a campaign's or a movement's
    amount = MoneyMap(null=True)  # a campaign's or a movement's
    per_order_amount = MoneyMap(null=True)
    rate = UnicodeAttribute(null=True)
    multiplier = UnicodeAttribute(null=True)
    payout_sla_hours = NumberAttribute(null=True)
    accepted_by = UnicodeAttribute(null=True)
    accepted_at = IsoDateTimeAttribute(null=True)

    # credit line
    reseller_id = UnicodeAttribute(null=True)
    insured_limit = MoneyMap(null=True)
    outstanding = MoneyMap(null=True)
    pending_change = PendingCreditChangeMap(null=True)
    history = ListAttribute(of=CreditLineEventMap, null=True)
    version = NumberAttribute(null=True)

    # movement
    movement_id = UnicodeAttribute(null=True)
    at = IsoDateTimeAttribute(null=True)
    by = UnicodeAttribute(null=True)
    reference = UnicodeAttribute(null=True)

    legacy_body = UnicodeAttribute(null=True, attr_name="body")  # the old form, never written


KEYS = ("pk", "sk", "gsi1pk", "gsi1sk")


# ---------------------------------------------------------------- credit lines


def _line_attributes(line: CreditLine) -> dict[str, Any]:
    """What the line item and its reseller's copy both carry."""
    pending = line.pending_change
    return dict(
        distributor_id=line.distributor_id,
        reseller_id=line.reseller_id,
        insured_limit=money_map(line.insured_limit),
        outstanding=money_map(line.outstanding),
        created_at=line.created_at,
        pending_change=PendingCreditChangeMap(
            from_limit=money_map(pending.from_limit),
            to_limit=money_map(pending.to_limit),
            requested_by=pending.requested_by,
            requested_at=pending.requested_at,
        )
        if pending
        else None,
        history=[
            CreditLineEventMap(
                action=e.action.value,
                at=e.at,
                by=e.by,
                from_limit=money_map(e.from_limit),
                to_limit=money_map(e.to_limit),
            )
            for e in line.history
        ],
        version=line.version,
    )


def _line(record: Any) -> CreditLine:
    line_id = record.pk.removeprefix("CREDITLINE#")
    if record.legacy_body is not None:
        return legacy_json.credit_line(record.legacy_body, line_id=line_id, version=int(record.version))
    pending = record.pending_change
    return CreditLine(
        id=line_id,
        distributor_id=record.distributor_id,
        reseller_id=record.reseller_id,
        insured_limit=money(record.insured_limit),
        outstanding=money(record.outstanding),
        created_at=record.created_at,
        pending_change=PendingCreditChange(
            money(pending.from_limit), money(pending.to_limit), pending.requested_by, pending.requested_at
        )
        if pending
        else None,
        history=tuple(
            CreditLineEvent(CreditChangeAction(e.action), e.at, e.by, money(e.from_limit), money(e.to_limit))
            for e in record.history or ()
        ),
        version=int(record.version),
    )


def _movement_key(at: datetime, movement_id: str = "") -> str:
    return f"MOVE#{sort_stamp(at)}#{movement_id}"


def _movement(record: Any) -> CreditMovement:
    line_id = record.pk.removeprefix("CREDITLINE#")
    if record.legacy_body is not None:
        return legacy_json.credit_movement(record.legacy_body, line_id=line_id)
    return CreditMovement(
        id=record.movement_id,
        credit_line_id=line_id,
        kind=MovementKind(record.kind),
        amount=money(record.amount),
        at=record.at,
        by=record.by,
        licence_program=record.licence_program,
        reference=record.reference,
    )


def _reference_key(kind: MovementKind, reference: str) -> str:
    return f"REF#{kind.value}#{reference}"


def _movement_record(m: CreditMovement, sk: str | None = None) -> IncentiveRecord:
    """The movement's item (or, with `sk`, its copy under its reference, which is what makes it once)."""
    return IncentiveRecord(
        pk=f"CREDITLINE#{m.credit_line_id}",
        sk=sk or _movement_key(m.at, m.id),
        movement_id=m.id,
        kind=m.kind.value,
        amount=money_map(m.amount),
        at=m.at,
        by=m.by,
        licence_program=m.licence_program,
        reference=m.reference,
    )


class DynamoIncentiveRepository:
    def add_campaign(self, campaign: IncentiveCampaign) -> None:
        self._write_campaign(campaign, IncentiveRecord.pk.does_not_exist(), "this campaign exists already")

    def save_campaign(self, campaign: IncentiveCampaign) -> None:
        self._write_campaign(campaign, IncentiveRecord.pk.exists(), "no such campaign")

    def _write_campaign(self, campaign: IncentiveCampaign, condition: Any, conflict: str) -> None:
        """The campaign and its distributor's copy, together."""
        attributes = campaign_attributes(campaign)
        sort = campaign_sort(campaign.kind, campaign.starts_at, campaign.id)
        pk = f"CAMPAIGN#{campaign.id}"
        main = IncentiveRecord(
            pk=pk, sk="CAMPAIGN", gsi1pk=f"VENDOR#{campaign.vendor_id}#CAMPAIGNS", gsi1sk=sort, **attributes
        )
        copies = []
        if campaign.distributor_id:
            copy_key = f"DISTRIBUTOR#{campaign.distributor_id}"
            copies.append(
                IncentiveRecord(pk=pk, sk=copy_key, gsi1pk=f"{copy_key}#CAMPAIGNS", gsi1sk=sort, **attributes)
            )
        put_with_copies(main, condition, copies, conflict)

    def get_campaign(self, campaign_id: str) -> IncentiveCampaign | None:
        found = reads.get(IncentiveRecord, f"CAMPAIGN#{campaign_id}", "CAMPAIGN")
        return campaign_from_record(found) if found else None

    def campaigns_of_vendor(
        self, vendor_id: str, *, kind: CampaignKind | None, page: PageRequest
    ) -> Page[IncentiveCampaign]:
        return query_page(
            IncentiveRecord.gsi1,
            f"VENDOR#{vendor_id}#CAMPAIGNS",
            key_names=KEYS,
            page=page,
            to_domain=campaign_from_record,
            newest_first=False,
            range_condition=IncentiveRecord.gsi1sk.startswith(f"{kind.value}#") if kind else None,
        )

    def started_campaigns(
        self,
        *,
        vendor_id: str | None = None,
        distributor_id: str | None = None,
        kind: CampaignKind,
        at: datetime,
    ) -> list[IncentiveCampaign]:
        hash_key = f"VENDOR#{vendor_id}#CAMPAIGNS" if vendor_id else f"DISTRIBUTOR#{distributor_id}#CAMPAIGNS"
        condition = IncentiveRecord.gsi1sk.between(f"{kind.value}#", campaign_sort(kind, at, "~"))
        return [
            campaign_from_record(r)
            for r in reads.query(IncentiveRecord, hash_key, condition, index=IncentiveRecord.gsi1)
        ]

    def _line_records(self, line: CreditLine) -> tuple[IncentiveRecord, IncentiveRecord]:
        pk, attributes = f"CREDITLINE#{line.id}", _line_attributes(line)
        main = IncentiveRecord(
            pk=pk,
            sk="LINE",
            gsi1pk=f"DISTRIBUTOR#{line.distributor_id}#CREDITLINES",
            gsi1sk=line.reseller_id,
            **attributes,
        )
        copy = IncentiveRecord(
            pk=pk,
            sk="RESELLER",
            gsi1pk=f"RESELLER#{line.reseller_id}#CREDITLINES",
            gsi1sk=line.distributor_id,
            **attributes,
        )
        return main, copy

    def add_line(self, line: CreditLine, *, events: Sequence[Event] = ()) -> None:
        main, copy = self._line_records(line)
        put_with_copies(
            main,
            IncentiveRecord.pk.does_not_exist(),
            [copy],
            "this distributor has a credit line for that reseller already",
            also=outbox_items(events),
        )

    def save_line(
        self,
        line: CreditLine,
        *,
        expected_version: int,
        movement: CreditMovement | None = None,
        events: Sequence[Event] = (),
    ) -> None:
        main, copy = self._line_records(line)
        also: list[tuple[Any, Any]] = []  # the movement, its reference guard, the events (the outbox)
        if movement is not None:
            also.append((_movement_record(movement), IncentiveRecord.pk.does_not_exist()))
        if movement is not None and movement.reference is not None:
            by_reference = _movement_record(movement, _reference_key(movement.kind, movement.reference))
            also.append((by_reference, IncentiveRecord.pk.does_not_exist()))
        also += outbox_items(events)
        put_with_copies(
            main,
            IncentiveRecord.version == expected_version,
            [copy],
            "the credit line was changed by someone else; read it again",
            also=also,
        )

    def movement_by_reference(self, line_id: str, kind: MovementKind, reference: str) -> CreditMovement | None:
        found = reads.get(IncentiveRecord, f"CREDITLINE#{line_id}", _reference_key(kind, reference))
        return _movement(found) if found else None

    def get_line(self, line_id: str) -> CreditLine | None:
        found = reads.get(IncentiveRecord, f"CREDITLINE#{line_id}", "LINE")
        return _line(found) if found else None

    def lines_of(self, partner_id: str, *, as_distributor: bool, page: PageRequest) -> Page[CreditLine]:
        side = "DISTRIBUTOR" if as_distributor else "RESELLER"
        return query_page(
            IncentiveRecord.gsi1,
            f"{side}#{partner_id}#CREDITLINES",
            key_names=KEYS,
            page=page,
            to_domain=_line,
            newest_first=False,
        )

    def movements(self, line_id: str, *, start: datetime, end: datetime) -> list[CreditMovement]:
        condition = IncentiveRecord.sk.between(_movement_key(start), _movement_key(end))
        records = reads.query(IncentiveRecord, f"CREDITLINE#{line_id}", condition)
        return [m for m in map(_movement, records) if start <= m.at < end]

    def movements_page(self, line_id: str, page: PageRequest) -> Page[CreditMovement]:
        return query_page(
            IncentiveRecord,
            f"CREDITLINE#{line_id}",
            key_names=("pk", "sk"),
            page=page,
            to_domain=_movement,
            range_condition=IncentiveRecord.sk.startswith("MOVE#"),
        )
