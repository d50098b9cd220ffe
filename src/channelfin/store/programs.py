"""Partner programs, their enrolments and the enrolments' numbered sales on DynamoDB (the partners table).

  PROGRAM#<id>    / PROGRAM          the program      gsi1: PUBLISHER#<p>#PROGRAMS / <createdAt>#<id>
  ENROLLMENT#<id> / ENROLLMENT       an enrolment     gsi1: PROGRAM#<prog>#ENROLLMENTS / <partner>#<id>
  ENROLLMENT#<id> / PARTNER          its partner's    gsi1: PARTNER#<partner>#ENROLLMENTS / <enrolledAt>#<id>
  ENROLLMENT#<id> / SALE#<contract>  a numbered sale

Access patterns: program by id (GetItem), a publisher's programs (Query gsi1), enrolment by
id (GetItem), a program's enrolments (Query gsi1), a partner's enrolments (Query gsi1 on the
PARTNER items, which hold the keys and the status, then BatchGetItem), an enrolment's sales
(Query on its key, sort key prefix). A sale is numbered once: the enrolment's counter and the
sale item move in one transaction, conditioned on the counter. The partner's answer moves the
enrolment from PENDING in one transaction with its entry fee, that fee's ledger entries and
the relation it makes. Tier rules stored in the old form (a JSON `tiers` string) are read by
`legacy_json`; an enrolment stored before consent (no `status`) was charged when made and reads
as ACCEPTED (`services.migrations` lists it among its partner's).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pynamodb.attributes import ListAttribute, MapAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from channelfin.domain.errors import Conflict
from channelfin.domain.money import Money
from channelfin.domain.payouts import Payout
from channelfin.domain.programs import Actor, Enrollment, PartnerProgram, PartnerTier, RewardKind, Sale, TierRules
from channelfin.domain.relations import ConsentStatus, Relation
from channelfin.services.paging import Page, PageRequest
from channelfin.store import legacy_json, reads
from channelfin.store.dynamo import (
    PartnersTableItem,
    TableMeta,
    connection,
    put_with_copies,
    query_page,
    sort_stamp,
    transaction_refused,
)
from channelfin.store.payouts import new_payout_writes
from channelfin.store.relations import relation_update


class TierRulesMap(MapAttribute[str, Any]):
    tier = UnicodeAttribute(null=True)  # in a program's list (an enrolment's rules are those of its tier)
    onboarding_by = UnicodeAttribute()
    onboarding_invoiced_by = UnicodeAttribute()
    contract_held_by = UnicodeAttribute()
    support_by = UnicodeAttribute()
    reward = UnicodeAttribute()
    rate = UnicodeAttribute()
    from_sale = NumberAttribute()
    needs_technical_qualification = NumberAttribute()  # 0 or 1
    benefits = ListAttribute(of=UnicodeAttribute)
    evolutive_maintenance_by = UnicodeAttribute()


class ProgramRecord(PartnersTableItem):
    class Meta(TableMeta):
        table_name = "partners"

    # program (and, for an enrolment, its publisher, rules and when it was made)
    publisher_id = UnicodeAttribute(null=True)
    name = UnicodeAttribute(null=True)
    entry_fee_rate = UnicodeAttribute(null=True)
    affiliate_min_sales_per_year = NumberAttribute(null=True)
    tier_rules = ListAttribute(of=TierRulesMap, null=True)  # a program's, one per tier, by tier name
    rules = TierRulesMap(null=True)  # an enrolment's
    legacy_tiers = UnicodeAttribute(null=True, attr_name="tiers")  # the old form of both (JSON), never written
    created_at = UTCDateTimeAttribute(null=True)
    created_by = UnicodeAttribute(null=True)

    # enrolment
    program_id = UnicodeAttribute(null=True)
    partner_id = UnicodeAttribute(null=True)
    tier = UnicodeAttribute(null=True)
    entry_fee_cents = NumberAttribute(null=True)
    segment_potential_cents = NumberAttribute(null=True)
    currency = UnicodeAttribute(null=True)
    technically_qualified = NumberAttribute(null=True)
    sales_count = NumberAttribute(null=True)
    status = UnicodeAttribute(null=True)  # absent on enrolments older than consent: ACCEPTED
    answered_by = UnicodeAttribute(null=True)
    answered_at = UTCDateTimeAttribute(null=True)

    # sale
    contract_id = UnicodeAttribute(null=True)
    sale_number = NumberAttribute(null=True)
    sold_at = UTCDateTimeAttribute(null=True)
    cancelled = NumberAttribute(null=True)


def _rules_map(rules: TierRules, tier: PartnerTier | None = None) -> TierRulesMap:
    return TierRulesMap(
        tier=tier.value if tier else None,
        onboarding_by=rules.onboarding_by.value,
        onboarding_invoiced_by=rules.onboarding_invoiced_by.value,
        contract_held_by=rules.contract_held_by.value,
        support_by=rules.support_by.value,
        reward=rules.reward.value,
        rate=str(rules.rate),
        from_sale=rules.from_sale,
        needs_technical_qualification=int(rules.needs_technical_qualification),
        benefits=list(rules.benefits),
        evolutive_maintenance_by=rules.evolutive_maintenance_by.value,
    )


def _rules(stored: Any) -> TierRules:
    return TierRules(
        onboarding_by=Actor(stored.onboarding_by),
        onboarding_invoiced_by=Actor(stored.onboarding_invoiced_by),
        contract_held_by=Actor(stored.contract_held_by),
        support_by=Actor(stored.support_by),
        reward=RewardKind(stored.reward),
        rate=Decimal(stored.rate),
        from_sale=int(stored.from_sale),
        needs_technical_qualification=bool(stored.needs_technical_qualification),
        benefits=tuple(stored.benefits),
        evolutive_maintenance_by=Actor(stored.evolutive_maintenance_by),
    )


def _tiers(record: Any) -> dict[PartnerTier, TierRules]:
    if record.tier_rules is None:
        return legacy_json.program_tiers(record.legacy_tiers)
    return {PartnerTier(r.tier): _rules(r) for r in record.tier_rules}


def _enrollment_rules(record: Any) -> TierRules:
    return _rules(record.rules) if record.rules is not None else legacy_json.enrollment_rules(record.legacy_tiers)


def _program(record: Any) -> PartnerProgram:
    return PartnerProgram(
        id=record.pk.removeprefix("PROGRAM#"),
        publisher_id=record.publisher_id,
        name=record.name,
        entry_fee_rate=Decimal(record.entry_fee_rate),
        affiliate_min_sales_per_year=int(record.affiliate_min_sales_per_year),
        tiers=_tiers(record),
        created_at=record.created_at,
        created_by=record.created_by,
    )


def _enrollment(record: Any) -> Enrollment:
    currency = record.currency
    return Enrollment(
        id=record.pk.removeprefix("ENROLLMENT#"),
        program_id=record.program_id,
        publisher_id=record.publisher_id,
        partner_id=record.partner_id,
        tier=PartnerTier(record.tier),
        rules=_enrollment_rules(record),
        entry_fee=Money.from_cents(int(record.entry_fee_cents), currency)
        if record.entry_fee_cents is not None
        else None,
        segment_potential=Money.from_cents(int(record.segment_potential_cents), currency)
        if record.segment_potential_cents is not None
        else None,
        technically_qualified=bool(record.technically_qualified),
        enrolled_at=record.created_at,
        enrolled_by=record.created_by,
        sales_count=int(record.sales_count or 0),
        status=ConsentStatus(record.status) if record.status else ConsentStatus.ACCEPTED,
        answered_by=record.answered_by,
        answered_at=record.answered_at,
    )


def _currency_of(*amounts: Money | None) -> str | None:
    return next((m.currency for m in amounts if m is not None), None)


def _enrollment_record(e: Enrollment) -> ProgramRecord:
    return ProgramRecord(
        pk=f"ENROLLMENT#{e.id}",
        sk="ENROLLMENT",
        gsi1pk=f"PROGRAM#{e.program_id}#ENROLLMENTS",
        gsi1sk=f"{e.partner_id}#{e.id}",
        program_id=e.program_id,
        publisher_id=e.publisher_id,
        partner_id=e.partner_id,
        tier=e.tier.value,
        rules=_rules_map(e.rules),
        entry_fee_cents=e.entry_fee.to_cents() if e.entry_fee else None,
        segment_potential_cents=e.segment_potential.to_cents() if e.segment_potential else None,
        currency=_currency_of(e.entry_fee, e.segment_potential),
        technically_qualified=int(e.technically_qualified),
        sales_count=e.sales_count,
        created_at=e.enrolled_at,
        created_by=e.enrolled_by,
        status=e.status.value,
        answered_by=e.answered_by,
        answered_at=e.answered_at,
    )


def _partner_copy(e: Enrollment) -> ProgramRecord:
    """The enrolment among its partner's: keys and status (the enrolment itself is read by its key)."""
    return ProgramRecord(
        pk=f"ENROLLMENT#{e.id}",
        sk="PARTNER",
        gsi1pk=f"PARTNER#{e.partner_id}#ENROLLMENTS",
        gsi1sk=f"{sort_stamp(e.enrolled_at)}#{e.id}",
        program_id=e.program_id,
        publisher_id=e.publisher_id,
        partner_id=e.partner_id,
        status=e.status.value,
    )


def _as_read(e: Enrollment) -> Any:
    """The enrolment still has the sales count and the answer it was read with."""
    status = ProgramRecord.status == e.status.value
    if e.status is ConsentStatus.ACCEPTED:
        status |= ProgramRecord.status.does_not_exist()  # stored before consent
    return (ProgramRecord.sales_count == e.sales_count) & status


def _sale(record: ProgramRecord) -> Sale:
    return Sale(
        enrollment_id=record.pk.removeprefix("ENROLLMENT#"),
        contract_id=record.contract_id,
        number=int(record.sale_number),
        sold_at=record.sold_at,
        cancelled=bool(record.cancelled),
    )


class DynamoProgramRepository:
    def add_program(self, program: PartnerProgram) -> None:
        ProgramRecord(
            pk=f"PROGRAM#{program.id}",
            sk="PROGRAM",
            gsi1pk=f"PUBLISHER#{program.publisher_id}#PROGRAMS",
            gsi1sk=f"{sort_stamp(program.created_at)}#{program.id}",
            publisher_id=program.publisher_id,
            name=program.name,
            entry_fee_rate=str(program.entry_fee_rate),
            affiliate_min_sales_per_year=program.affiliate_min_sales_per_year,
            tier_rules=[_rules_map(r, t) for t, r in sorted(program.tiers.items(), key=lambda tr: tr[0].value)],
            created_at=program.created_at,
            created_by=program.created_by,
        ).save(condition=ProgramRecord.pk.does_not_exist())

    def get_program(self, program_id: str) -> PartnerProgram | None:
        found = reads.get(ProgramRecord, f"PROGRAM#{program_id}", "PROGRAM")
        return _program(found) if found else None

    def programs_of(self, publisher_id: str) -> list[PartnerProgram]:
        records = reads.query(ProgramRecord, f"PUBLISHER#{publisher_id}#PROGRAMS", index=ProgramRecord.gsi1)
        return [_program(r) for r in records]

    def add_enrollment(self, enrollment: Enrollment) -> None:
        main, copy = _enrollment_record(enrollment), _partner_copy(enrollment)
        put_with_copies(main, ProgramRecord.pk.does_not_exist(), [copy], "this enrolment exists already")

    def save_enrollment(self, enrollment: Enrollment) -> None:
        _enrollment_record(enrollment).save(condition=_as_read(enrollment))

    def answer_enrollment(self, answered: Enrollment, *, charge: Payout | None, relation: Relation | None) -> None:
        key = ProgramRecord(pk=f"ENROLLMENT#{answered.id}", sk="ENROLLMENT")
        assert answered.answered_by is not None and answered.answered_at is not None
        try:
            with TransactWrite(connection=connection(ProgramRecord)) as tx:
                tx.update(
                    key,
                    actions=[
                        ProgramRecord.status.set(answered.status.value),
                        ProgramRecord.answered_by.set(answered.answered_by),
                        ProgramRecord.answered_at.set(answered.answered_at),
                    ],
                    condition=ProgramRecord.status == ConsentStatus.PENDING.value,
                )
                tx.save(_partner_copy(answered))
                if charge is not None:
                    new_payout_writes(tx, charge)
                if relation is not None:
                    relation_update(tx, relation)
        except TransactWriteError as exc:
            raise Conflict("the enrolment was answered meanwhile") from exc

    def enrollments_of_partner(
        self, partner_id: str, *, status: ConsentStatus | None, page: PageRequest
    ) -> Page[Enrollment]:
        ids = query_page(
            ProgramRecord.gsi1,
            f"PARTNER#{partner_id}#ENROLLMENTS",
            key_names=("pk", "sk", "gsi1pk", "gsi1sk"),
            page=page,
            to_domain=lambda record: str(record.pk),
            filter_condition=(ProgramRecord.status == status.value) if status else None,
        )
        found = {r.pk: r for r in reads.get_many(ProgramRecord, [(pk, "ENROLLMENT") for pk in ids.items])}
        items = [_enrollment(found[pk]) for pk in ids.items]
        return Page(items=items, cursors=ids.cursors, has_next_page=ids.has_next_page)

    def index_enrollment(self, enrollment: Enrollment, relation: Relation | None, *, dry_run: bool = False) -> bool:
        if dry_run:
            return reads.get(ProgramRecord, f"ENROLLMENT#{enrollment.id}", "PARTNER") is None
        try:
            with TransactWrite(connection=connection(ProgramRecord)) as tx:
                tx.save(_partner_copy(enrollment), condition=ProgramRecord.pk.does_not_exist())
                if relation is not None:
                    relation_update(tx, relation)
        except TransactWriteError:
            if reads.get(ProgramRecord, f"ENROLLMENT#{enrollment.id}", "PARTNER") is not None:
                return False  # listed already
            raise
        return True

    def get_enrollment(self, enrollment_id: str) -> Enrollment | None:
        found = reads.get(ProgramRecord, f"ENROLLMENT#{enrollment_id}", "ENROLLMENT")
        return _enrollment(found) if found else None

    def enrollments_of(self, program_id: str) -> list[Enrollment]:
        records = reads.query(ProgramRecord, f"PROGRAM#{program_id}#ENROLLMENTS", index=ProgramRecord.gsi1)
        return [_enrollment(r) for r in records]

    def sales_of(self, enrollment_id: str) -> list[Sale]:
        records = reads.query(ProgramRecord, f"ENROLLMENT#{enrollment_id}", ProgramRecord.sk.startswith("SALE#"))
        return sorted(map(_sale, records), key=lambda s: s.number)

    def record_sale(self, enrollment_id: str, contract_id: str, sold_at: datetime) -> Sale:
        """Number the sale once: the enrolment's counter and the sale item move in one transaction."""
        for _ in range(10):
            numbered = reads.get(ProgramRecord, f"ENROLLMENT#{enrollment_id}", f"SALE#{contract_id}")
            if numbered is not None:
                return _sale(numbered)
            enrollment = ProgramRecord.get(f"ENROLLMENT#{enrollment_id}", "ENROLLMENT")
            count = int(enrollment.sales_count or 0)
            sale = ProgramRecord(
                pk=f"ENROLLMENT#{enrollment_id}",
                sk=f"SALE#{contract_id}",
                contract_id=contract_id,
                sale_number=count + 1,
                sold_at=sold_at,
                cancelled=0,
            )
            try:
                with TransactWrite(connection=connection(ProgramRecord)) as tx:
                    tx.update(
                        enrollment,
                        actions=[ProgramRecord.sales_count.set(count + 1)],
                        condition=ProgramRecord.sales_count == count,
                    )
                    tx.save(sale, condition=ProgramRecord.pk.does_not_exist())
                return _sale(sale)
            except TransactWriteError as exc:
                if not transaction_refused(exc):
                    raise
                continue  # another sale was numbered meanwhile, or this one was: read again
        raise Conflict("too many concurrent sales on this enrolment; try again")

    def cancel_sale(self, enrollment_id: str, contract_id: str) -> None:
        """The sale stops counting: marked cancelled and, in the same transaction, the enrolment's count of
        standing sales goes down, so the next sale takes the number this one had (DESIGN 1.2)."""
        try:
            with TransactWrite(connection=connection(ProgramRecord)) as tx:
                tx.update(
                    ProgramRecord(pk=f"ENROLLMENT#{enrollment_id}", sk=f"SALE#{contract_id}"),
                    actions=[ProgramRecord.cancelled.set(1)],
                    condition=ProgramRecord.pk.exists() & (ProgramRecord.cancelled != 1),
                )
                tx.update(
                    ProgramRecord(pk=f"ENROLLMENT#{enrollment_id}", sk="ENROLLMENT"),
                    actions=[ProgramRecord.sales_count.add(-1)],
                    condition=ProgramRecord.sales_count > 0,
                )
        except TransactWriteError as exc:
            if not transaction_refused(exc):
                raise  # not "no sale": the commission would stay due (a role without the right, 2026-12-03)
            return  # no sale recorded, or cancelled already: nothing to do
