"""Partners and their financing agreements on DynamoDB (the partners table).

  PARTNER#<id>   / PROFILE            the partner          gsi1: PARTNERS / <name>#<id>
  PARTNER#<id>   / ROLE#<role>        one per role         gsi1: ROLE#<role> / <name>#<id>
  AGREEMENT#<id> / AGREEMENT          financing agreement  gsi1: PARTNER#<partner>#AGREEMENTS / <signedAt>#<id>

Access patterns: partner by id (GetItem), partners by id (BatchGetItem), all partners by
name (Query gsi1 PARTNERS), partners with a role by name (Query gsi1 ROLE#r), agreement by
id (GetItem), agreements by id (BatchGetItem), a partner's agreements newest first (Query gsi1),
a publisher's default with a leaser (GetItem PARTNER#p / DEFAULT#l).
An agreement's change (its termination) is a put conditioned on the status it was read in.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from decimal import Decimal

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from channelfin.domain.errors import Conflict
from channelfin.domain.money import Money
from channelfin.domain.partners import AgreementStatus, FinancingAgreement, Partner, PartnerRole, PublisherDefault
from channelfin.services.paging import Page, PageRequest
from channelfin.store import reads
from channelfin.store.dynamo import PartnersTableItem, TableMeta, connection, query_page, save_if, sort_stamp


class PartnerRecord(PartnersTableItem):
    class Meta(TableMeta):
        table_name = "partners"

    # partner profile (and its role copies)
    name = UnicodeAttribute(null=True)
    roles = ListAttribute(of=UnicodeAttribute, null=True)
    registration_number = UnicodeAttribute(null=True)
    country = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute(null=True)

    # financing agreement
    partner_id = UnicodeAttribute(null=True)
    leaser_id = UnicodeAttribute(null=True)
    annual_rate = UnicodeAttribute(null=True)
    file_fee_cents = NumberAttribute(null=True)
    instant_decision_limit_cents = NumberAttribute(null=True)
    currency = UnicodeAttribute(null=True)
    payout_sla_hours = NumberAttribute(null=True)
    status = UnicodeAttribute(null=True)
    signed_at = UTCDateTimeAttribute(null=True)
    signed_by = UnicodeAttribute(null=True)
    terminated_at = UTCDateTimeAttribute(null=True)

    # a publisher's default with a leaser (pk PARTNER#publisher, sk DEFAULT#leaser)
    escrow_agreement_id = UnicodeAttribute(null=True)
    default_reason = UnicodeAttribute(null=True)
    confirmed_at = UTCDateTimeAttribute(null=True)
    terminated_by = UnicodeAttribute(null=True)
    termination_reason = UnicodeAttribute(null=True)


def _partner_key(partner_id: str) -> str:
    return f"PARTNER#{partner_id}"


def _name_sort(partner: Partner) -> str:
    return f"{partner.name.casefold()}#{partner.id}"


def _partner_record(partner: Partner, *, sk: str, gsi1pk: str) -> PartnerRecord:
    return PartnerRecord(
        pk=_partner_key(partner.id),
        sk=sk,
        gsi1pk=gsi1pk,
        gsi1sk=_name_sort(partner),
        name=partner.name,
        roles=sorted(r.value for r in partner.roles),
        registration_number=partner.registration_number,
        country=partner.country,
        created_at=partner.created_at,
    )


def _partner(record: PartnerRecord) -> Partner:
    return Partner(
        id=record.pk.removeprefix("PARTNER#"),
        name=record.name,
        roles=frozenset(PartnerRole(r) for r in record.roles or ()),
        created_at=record.created_at,
        registration_number=record.registration_number,
        country=record.country,
    )


def _agreement(record: PartnerRecord) -> FinancingAgreement:
    currency = record.currency
    return FinancingAgreement(
        id=record.pk.removeprefix("AGREEMENT#"),
        partner_id=record.partner_id,
        leaser_id=record.leaser_id,
        annual_rate=Decimal(record.annual_rate),
        file_fee=Money.from_cents(int(record.file_fee_cents), currency),
        payout_sla_hours=int(record.payout_sla_hours),
        instant_decision_limit=Money.from_cents(int(record.instant_decision_limit_cents), currency),
        signed_at=record.signed_at,
        signed_by=record.signed_by,
        status=AgreementStatus(record.status),
        terminated_at=record.terminated_at,
        terminated_by=record.terminated_by,
        termination_reason=record.termination_reason,
    )


def _agreement_record(agreement: FinancingAgreement) -> PartnerRecord:
    return PartnerRecord(
        pk=f"AGREEMENT#{agreement.id}",
        sk="AGREEMENT",
        gsi1pk=f"{_partner_key(agreement.partner_id)}#AGREEMENTS",
        gsi1sk=f"{sort_stamp(agreement.signed_at)}#{agreement.id}",
        partner_id=agreement.partner_id,
        leaser_id=agreement.leaser_id,
        annual_rate=str(agreement.annual_rate),
        file_fee_cents=agreement.file_fee.to_cents(),
        instant_decision_limit_cents=agreement.instant_decision_limit.to_cents(),
        currency=agreement.file_fee.currency,
        payout_sla_hours=agreement.payout_sla_hours,
        status=agreement.status.value,
        signed_at=agreement.signed_at,
        signed_by=agreement.signed_by,
        terminated_at=agreement.terminated_at,
        terminated_by=agreement.terminated_by,
        termination_reason=agreement.termination_reason,
    )


class DynamoPartnerRepository:
    KEYS = ("pk", "sk", "gsi1pk", "gsi1sk")

    def add(self, partner: Partner) -> None:
        try:
            with TransactWrite(connection=connection(PartnerRecord)) as tx:
                profile = _partner_record(partner, sk="PROFILE", gsi1pk="PARTNERS")
                tx.save(profile, condition=PartnerRecord.pk.does_not_exist())
                for role in partner.roles:
                    tx.save(_partner_record(partner, sk=f"ROLE#{role.value}", gsi1pk=f"ROLE#{role.value}"))
        except TransactWriteError as exc:
            raise Conflict("this partner already exists") from exc

    def get(self, partner_id: str) -> Partner | None:
        found = reads.get(PartnerRecord, _partner_key(partner_id), "PROFILE")
        return _partner(found) if found else None

    def get_many(self, partner_ids: Iterable[str]) -> dict[str, Partner]:
        keys = [(_partner_key(p), "PROFILE") for p in partner_ids]
        return {p.id: p for p in map(_partner, reads.get_many(PartnerRecord, keys))}

    def find(self, *, role: PartnerRole | None, page: PageRequest) -> Page[Partner]:
        """A page of the partners (those with `role` if given), by name."""
        return query_page(
            PartnerRecord.gsi1,
            f"ROLE#{role.value}" if role else "PARTNERS",
            key_names=self.KEYS,
            page=page,
            to_domain=_partner,
            newest_first=False,
        )

    def add_agreement(self, agreement: FinancingAgreement) -> None:
        if agreement.file_fee.currency != agreement.instant_decision_limit.currency:
            raise ValueError("an agreement has one currency")
        _agreement_record(agreement).save(condition=PartnerRecord.pk.does_not_exist())

    def save_agreement(self, agreement: FinancingAgreement, *, expected_status: AgreementStatus) -> None:
        """Replace the agreement if it is still in `expected_status`; `Conflict` otherwise."""
        save_if(
            _agreement_record(agreement),
            PartnerRecord.status == expected_status.value,
            "the agreement was changed by someone else; read it again",
        )

    def get_agreement(self, agreement_id: str) -> FinancingAgreement | None:
        found = reads.get(PartnerRecord, f"AGREEMENT#{agreement_id}", "AGREEMENT")
        return _agreement(found) if found else None

    def get_agreements(self, agreement_ids: Iterable[str]) -> dict[str, FinancingAgreement]:
        keys = [(f"AGREEMENT#{a}", "AGREEMENT") for a in agreement_ids]
        return {a.id: a for a in map(_agreement, reads.get_many(PartnerRecord, keys))}

    def agreements_of(self, partner_id: str) -> list[FinancingAgreement]:
        hash_key = f"{_partner_key(partner_id)}#AGREEMENTS"
        records = reads.query(PartnerRecord, hash_key, index=PartnerRecord.gsi1, scan_index_forward=False)
        return [_agreement(r) for r in records]

    def record_default(self, default: PublisherDefault) -> None:
        """Freeze the publisher with that leaser; the first confirmed default stays (idempotent)."""
        record = PartnerRecord(
            pk=_partner_key(default.publisher_id),
            sk=f"DEFAULT#{default.leaser_id}",
            partner_id=default.publisher_id,
            leaser_id=default.leaser_id,
            escrow_agreement_id=default.escrow_agreement_id,
            default_reason=default.reason,
            confirmed_at=default.confirmed_at,
        )
        with contextlib.suppress(Conflict):
            save_if(record, PartnerRecord.pk.does_not_exist(), "the publisher is in default already")

    def default_of(self, publisher_id: str, leaser_id: str) -> PublisherDefault | None:
        found = reads.get(PartnerRecord, _partner_key(publisher_id), f"DEFAULT#{leaser_id}")
        if found is None:
            return None
        return PublisherDefault(
            publisher_id=publisher_id,
            leaser_id=leaser_id,
            escrow_agreement_id=found.escrow_agreement_id,
            reason=found.default_reason,
            confirmed_at=found.confirmed_at,
        )
