"""PynamoDB records of the three tables (keys and indexes: see the package docstring).

Table names and the endpoint are bound at start-up by `tables.bind`, never read from the
environment at import time.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model


class _Gsi1(GlobalSecondaryIndex[Any]):
    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class _Gsi2(GlobalSecondaryIndex[Any]):
    class Meta:
        index_name = "gsi2"
        projection = AllProjection()

    gsi2pk = UnicodeAttribute(hash_key=True)
    gsi2sk = UnicodeAttribute(range_key=True)


class _Gsi3(GlobalSecondaryIndex[Any]):
    class Meta:
        index_name = "gsi3"
        projection = AllProjection()

    gsi3pk = UnicodeAttribute(hash_key=True)
    gsi3sk = UnicodeAttribute(range_key=True)


class _Gsi4(GlobalSecondaryIndex[Any]):
    class Meta:
        index_name = "gsi4"
        projection = AllProjection()

    gsi4pk = UnicodeAttribute(hash_key=True)
    gsi4sk = UnicodeAttribute(range_key=True)


class _Meta:
    table_name = "unbound"
    region = "eu-west-3"
    host: str | None = None


class PartnerRecord(Model):
    class Meta(_Meta):
        table_name = "partners"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi1 = _Gsi1()

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


class CustomerMap(MapAttribute[str, Any]):
    name = UnicodeAttribute()
    registration_number = UnicodeAttribute(null=True)
    email = UnicodeAttribute(null=True)


class TimelineEntryMap(MapAttribute[str, Any]):
    status = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    actor = UnicodeAttribute()
    note = UnicodeAttribute(null=True)


class DecisionMap(MapAttribute[str, Any]):
    outcome = UnicodeAttribute()
    reasons = ListAttribute(of=UnicodeAttribute, default=list)
    decided_at = UTCDateTimeAttribute()
    decided_by = UnicodeAttribute()


class SignatureMap(MapAttribute[str, Any]):
    document = UnicodeAttribute()
    signed_by = UnicodeAttribute()
    signed_at = UTCDateTimeAttribute()


class DeliveryReportMap(MapAttribute[str, Any]):
    installed_at = UnicodeAttribute()
    signed_by = UnicodeAttribute()
    submitted_at = UTCDateTimeAttribute()


class FinancingMap(MapAttribute[str, Any]):
    agreement_id = UnicodeAttribute()
    financed_amount_cents = NumberAttribute()
    upfront_payout_cents = NumberAttribute()
    leaser_fees_cents = NumberAttribute()
    decision_mode = UnicodeAttribute()
    decision = DecisionMap()
    payout_sla_hours = NumberAttribute()
    requested_at = UTCDateTimeAttribute()
    requested_by = UnicodeAttribute()
    delivery_report = DeliveryReportMap(null=True)
    transmitted_at = UTCDateTimeAttribute(null=True)
    declined = UnicodeAttribute(null=True)
    waiting_for = UnicodeAttribute(null=True)
    task_token = UnicodeAttribute(null=True)


class ContractRecord(Model):
    class Meta(_Meta):
        table_name = "contracts"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    gsi2pk = UnicodeAttribute()
    gsi2sk = UnicodeAttribute()
    gsi1 = _Gsi1()
    gsi2 = _Gsi2()

    party_roles = ListAttribute(of=UnicodeAttribute, null=True)  # only on the party copies

    contract_id = UnicodeAttribute()
    owner_id = UnicodeAttribute()
    publisher_id = UnicodeAttribute()
    reseller_id = UnicodeAttribute(null=True)
    reseller_role = UnicodeAttribute(null=True)
    customer = CustomerMap()
    periodicity = UnicodeAttribute()
    term_months = NumberAttribute()
    start_date = UnicodeAttribute()
    software_fee_cents = NumberAttribute()
    support_fee_cents = NumberAttribute()
    currency = UnicodeAttribute()
    status = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    created_by = UnicodeAttribute()
    timeline = ListAttribute(of=TimelineEntryMap)
    under_continuity = NumberAttribute(default=0)
    financing = FinancingMap(null=True)
    signatures = ListAttribute(of=SignatureMap, null=True)
    support_provider_id = UnicodeAttribute(null=True)
    collected_installments = ListAttribute(of=NumberAttribute, null=True)
    enrollment_id = UnicodeAttribute(null=True)
    program_partner_id = UnicodeAttribute(null=True)
    payout_ids = UnicodeSetAttribute(null=True)  # added to by the payouts repository (set ADD)
    documents = UnicodeAttribute(null=True)  # JSON: the file's documents (kind, status, SHA-256, storage key...)
    version = NumberAttribute()


class PayoutRecord(Model):
    class Meta(_Meta):
        table_name = "payouts"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    gsi3pk = UnicodeAttribute()
    gsi3sk = UnicodeAttribute()
    gsi1 = _Gsi1()
    gsi2 = _Gsi2()
    gsi3 = _Gsi3()
    gsi4pk = UnicodeAttribute(null=True)  # sparse: program payouts only
    gsi4sk = UnicodeAttribute(null=True)
    gsi4 = _Gsi4()

    payout_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    status = UnicodeAttribute()
    amount_cents = NumberAttribute()
    currency = UnicodeAttribute()
    beneficiary_id = UnicodeAttribute()
    contract_id = UnicodeAttribute(null=True)
    installment = NumberAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    due_by = UTCDateTimeAttribute(null=True)
    paid_at = UTCDateTimeAttribute(null=True)
    failure_reason = UnicodeAttribute(null=True)
    transfer_reference = UnicodeAttribute(null=True)
    program_id = UnicodeAttribute(null=True)
    version = NumberAttribute(default=1)


class ProgramRecord(Model):
    """Partner programs, enrolments and numbered sales: a second view of the partners table."""

    class Meta(_Meta):
        table_name = "partners"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi1 = _Gsi1()

    publisher_id = UnicodeAttribute(null=True)
    name = UnicodeAttribute(null=True)
    entry_fee_rate = UnicodeAttribute(null=True)
    affiliate_min_sales_per_year = NumberAttribute(null=True)
    tiers = UnicodeAttribute(null=True)  # JSON: tier → rules (a program) or the enrolment's rules
    created_at = UTCDateTimeAttribute(null=True)
    created_by = UnicodeAttribute(null=True)

    program_id = UnicodeAttribute(null=True)
    partner_id = UnicodeAttribute(null=True)
    tier = UnicodeAttribute(null=True)
    entry_fee_cents = NumberAttribute(null=True)
    segment_potential_cents = NumberAttribute(null=True)
    currency = UnicodeAttribute(null=True)
    technically_qualified = NumberAttribute(null=True)
    sales_count = NumberAttribute(null=True)

    contract_id = UnicodeAttribute(null=True)
    sale_number = NumberAttribute(null=True)
    sold_at = UTCDateTimeAttribute(null=True)
    cancelled = NumberAttribute(null=True)


class DocumentRecord(Model):
    """Items of the partners table kept as one JSON document: escrow agreements, incentive
    campaigns, credit lines and their movements (a third view of the table)."""

    class Meta(_Meta):
        table_name = "partners"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi1 = _Gsi1()
    body = UnicodeAttribute(null=True)
    version = NumberAttribute(null=True)


class IdempotencyRecord(Model):
    """The table of Powertools' idempotency utility (its items are written by Powertools, never read here);
    declared so that the local stack and the tests create it like the others."""

    class Meta(_Meta):
        table_name = "idempotency"

    id = UnicodeAttribute(hash_key=True)


ALL_RECORDS: tuple[type[Model], ...] = (
    PartnerRecord,
    ContractRecord,
    PayoutRecord,
    ProgramRecord,
    DocumentRecord,
    IdempotencyRecord,
)
