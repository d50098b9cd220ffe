"""Incentive campaigns and credit lines on DynamoDB (partners table, JSON document items).

  CAMPAIGN#<id>   / CAMPAIGN              the campaign   gsi1: VENDOR#<v>#CAMPAIGNS / <kind>#<startsAt>#<id>
  CAMPAIGN#<id>   / DISTRIBUTOR#<d>       a copy         gsi1: DISTRIBUTOR#<d>#CAMPAIGNS / <kind>#<startsAt>#<id>
  CREDITLINE#<id> / LINE                  the line       gsi1: DISTRIBUTOR#<d>#CREDITLINES / <reseller>
  CREDITLINE#<id> / RESELLER              a copy         gsi1: RESELLER#<r>#CREDITLINES / <distributor>
  CREDITLINE#<id> / MOVE#<at>#<id>        a firm order or a reseller payment

Access patterns: a vendor's campaigns of a kind started by a date (Query gsi1, sort key
range), the campaigns naming a distributor (same on its copy), a line by id (GetItem), a
distributor's or a reseller's lines (Query gsi1), a line's movements in a period (Query on
its key, sort key range). The line and its copy move in one transaction with the movement,
conditioned on the line's version.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from channelfin.domain.incentives import (
    CampaignKind,
    CreditChangeAction,
    CreditLine,
    CreditLineEvent,
    CreditMovement,
    IncentiveCampaign,
    MovementKind,
    PendingCreditChange,
)
from channelfin.domain.money import Money
from channelfin.domain.partners import PartnerRole
from channelfin.services.paging import Page, PageRequest
from channelfin.store import reads
from channelfin.store.dynamo import Gsi1, TableMeta, put_with_copies, query_page, sort_stamp


class IncentiveRecord(Model):
    """Campaigns (and their distributor copies), credit lines (and their reseller copies) and movements."""

    class Meta(TableMeta):
        table_name = "partners"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi1 = Gsi1()
    body = UnicodeAttribute(null=True)  # JSON
    version = NumberAttribute(null=True)


KEYS = ("pk", "sk", "gsi1pk", "gsi1sk")


def _money(m: Money | None) -> list[Any] | None:
    return [m.to_cents(), m.currency] if m is not None else None


def _from_money(value: list[Any] | None) -> Money | None:
    return Money.from_cents(int(value[0]), value[1]) if value is not None else None


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


# ---------------------------------------------------------------- campaigns


def _campaign_body(c: IncentiveCampaign) -> str:
    return json.dumps(
        {
            "vendorId": c.vendor_id,
            "name": c.name,
            "kind": c.kind.value,
            "startsAt": c.starts_at.isoformat(),
            "endsAt": c.ends_at.isoformat(),
            "createdAt": c.created_at.isoformat(),
            "createdBy": c.created_by,
            "partnerRoles": sorted(r.value for r in c.partner_roles),
            "distributorId": c.distributor_id,
            "productFamily": c.product_family,
            "productReferences": list(c.product_references),
            "licenceProgram": c.licence_program,
            "amount": _money(c.amount),
            "perOrderAmount": _money(c.per_order_amount),
            "rate": str(c.rate) if c.rate is not None else None,
            "multiplier": str(c.multiplier) if c.multiplier is not None else None,
            "payoutSlaHours": c.payout_sla_hours,
            "acceptedBy": c.accepted_by,
            "acceptedAt": c.accepted_at.isoformat() if c.accepted_at else None,
        }
    )


def _campaign(record: IncentiveRecord) -> IncentiveCampaign:
    d = json.loads(record.body)
    return IncentiveCampaign(
        id=record.pk.removeprefix("CAMPAIGN#"),
        vendor_id=d["vendorId"],
        name=d["name"],
        kind=CampaignKind(d["kind"]),
        starts_at=datetime.fromisoformat(d["startsAt"]),
        ends_at=datetime.fromisoformat(d["endsAt"]),
        created_at=datetime.fromisoformat(d["createdAt"]),
        created_by=d["createdBy"],
        partner_roles=frozenset(PartnerRole(r) for r in d["partnerRoles"]),
        distributor_id=d["distributorId"],
        product_family=d["productFamily"],
        product_references=tuple(d["productReferences"]),
        licence_program=d["licenceProgram"],
        amount=_from_money(d["amount"]),
        per_order_amount=_from_money(d["perOrderAmount"]),
        rate=Decimal(d["rate"]) if d["rate"] is not None else None,
        multiplier=Decimal(d["multiplier"]) if d["multiplier"] is not None else None,
        payout_sla_hours=d["payoutSlaHours"],
        accepted_by=d.get("acceptedBy"),
        accepted_at=_when(d.get("acceptedAt")),
    )


def _campaign_sort(kind: CampaignKind, starts_at: datetime, campaign_id: str = "") -> str:
    return f"{kind.value}#{sort_stamp(starts_at)}#{campaign_id}"


# ---------------------------------------------------------------- credit lines


def _line_body(line: CreditLine) -> str:
    pending = line.pending_change
    return json.dumps(
        {
            "distributorId": line.distributor_id,
            "resellerId": line.reseller_id,
            "insuredLimit": _money(line.insured_limit),
            "outstanding": _money(line.outstanding),
            "createdAt": line.created_at.isoformat(),
            "pending": [
                _money(pending.from_limit),
                _money(pending.to_limit),
                pending.requested_by,
                pending.requested_at.isoformat(),
            ]
            if pending
            else None,
            "history": [
                [e.action.value, e.at.isoformat(), e.by, _money(e.from_limit), _money(e.to_limit)] for e in line.history
            ],
        }
    )


def _line(record: IncentiveRecord) -> CreditLine:
    d = json.loads(record.body)
    pending = d["pending"]
    return CreditLine(
        id=record.pk.removeprefix("CREDITLINE#"),
        distributor_id=d["distributorId"],
        reseller_id=d["resellerId"],
        insured_limit=_from_money(d["insuredLimit"]),  # type: ignore[arg-type]
        outstanding=_from_money(d["outstanding"]),  # type: ignore[arg-type]
        created_at=datetime.fromisoformat(d["createdAt"]),
        pending_change=PendingCreditChange(
            _from_money(pending[0]),  # type: ignore[arg-type]
            _from_money(pending[1]),  # type: ignore[arg-type]
            pending[2],
            datetime.fromisoformat(pending[3]),
        )
        if pending
        else None,
        history=tuple(
            CreditLineEvent(CreditChangeAction(a), datetime.fromisoformat(at), by, _from_money(f), _from_money(t))  # type: ignore[arg-type]
            for a, at, by, f, t in d["history"]
        ),
        version=int(record.version),
    )


def _movement_key(at: datetime, movement_id: str = "") -> str:
    return f"MOVE#{sort_stamp(at)}#{movement_id}"


def _movement(record: IncentiveRecord) -> CreditMovement:
    d = json.loads(record.body)
    return CreditMovement(
        id=d["id"],
        credit_line_id=record.pk.removeprefix("CREDITLINE#"),
        kind=MovementKind(d["kind"]),
        amount=_from_money(d["amount"]),  # type: ignore[arg-type]
        at=datetime.fromisoformat(d["at"]),
        by=d["by"],
        licence_program=d["licenceProgram"],
        reference=d["reference"],
    )


def _movement_record(m: CreditMovement) -> IncentiveRecord:
    body = {
        "id": m.id,
        "kind": m.kind.value,
        "amount": _money(m.amount),
        "at": m.at.isoformat(),
        "by": m.by,
        "licenceProgram": m.licence_program,
        "reference": m.reference,
    }
    return IncentiveRecord(pk=f"CREDITLINE#{m.credit_line_id}", sk=_movement_key(m.at, m.id), body=json.dumps(body))


class DynamoIncentiveRepository:
    def add_campaign(self, campaign: IncentiveCampaign) -> None:
        self._write_campaign(campaign, IncentiveRecord.pk.does_not_exist(), "this campaign exists already")

    def save_campaign(self, campaign: IncentiveCampaign) -> None:
        self._write_campaign(campaign, IncentiveRecord.pk.exists(), "no such campaign")

    def _write_campaign(self, campaign: IncentiveCampaign, condition: Any, conflict: str) -> None:
        """The campaign and its distributor's copy, together."""
        body = _campaign_body(campaign)
        sort = _campaign_sort(campaign.kind, campaign.starts_at, campaign.id)
        pk = f"CAMPAIGN#{campaign.id}"
        main = IncentiveRecord(
            pk=pk, sk="CAMPAIGN", gsi1pk=f"VENDOR#{campaign.vendor_id}#CAMPAIGNS", gsi1sk=sort, body=body
        )
        copies = []
        if campaign.distributor_id:
            copy_key = f"DISTRIBUTOR#{campaign.distributor_id}"
            copies.append(IncentiveRecord(pk=pk, sk=copy_key, gsi1pk=f"{copy_key}#CAMPAIGNS", gsi1sk=sort, body=body))
        put_with_copies(main, condition, copies, conflict)

    def get_campaign(self, campaign_id: str) -> IncentiveCampaign | None:
        found = reads.get(IncentiveRecord, f"CAMPAIGN#{campaign_id}", "CAMPAIGN")
        return _campaign(found) if found else None

    def campaigns_of_vendor(
        self, vendor_id: str, *, kind: CampaignKind | None, page: PageRequest
    ) -> Page[IncentiveCampaign]:
        return query_page(
            IncentiveRecord.gsi1,
            f"VENDOR#{vendor_id}#CAMPAIGNS",
            key_names=KEYS,
            page=page,
            to_domain=_campaign,
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
        condition = IncentiveRecord.gsi1sk.between(f"{kind.value}#", _campaign_sort(kind, at, "~"))
        return [_campaign(r) for r in reads.query(IncentiveRecord, hash_key, condition, index=IncentiveRecord.gsi1)]

    def _line_records(self, line: CreditLine) -> tuple[IncentiveRecord, IncentiveRecord]:
        pk, body = f"CREDITLINE#{line.id}", _line_body(line)
        main = IncentiveRecord(
            pk=pk,
            sk="LINE",
            gsi1pk=f"DISTRIBUTOR#{line.distributor_id}#CREDITLINES",
            gsi1sk=line.reseller_id,
            body=body,
            version=line.version,
        )
        copy = IncentiveRecord(
            pk=pk,
            sk="RESELLER",
            gsi1pk=f"RESELLER#{line.reseller_id}#CREDITLINES",
            gsi1sk=line.distributor_id,
            body=body,
            version=line.version,
        )
        return main, copy

    def add_line(self, line: CreditLine) -> None:
        main, copy = self._line_records(line)
        put_with_copies(
            main,
            IncentiveRecord.pk.does_not_exist(),
            [copy],
            "this distributor has a credit line for that reseller already",
        )

    def save_line(self, line: CreditLine, *, expected_version: int, movement: CreditMovement | None = None) -> None:
        main, copy = self._line_records(line)
        also = [(_movement_record(movement), IncentiveRecord.pk.does_not_exist())] if movement else []
        put_with_copies(
            main,
            IncentiveRecord.version == expected_version,
            [copy],
            "the credit line was changed by someone else; read it again",
            also=also,
        )

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
