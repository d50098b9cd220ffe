"""Partners of the platform and the financing agreements they sign with a leaser."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from channelfin.domain.error_codes import CommonCode, PartnerCode
from channelfin.domain.errors import ValidationError
from channelfin.domain.financing import validate_annual_rate
from channelfin.domain.money import Money

DEFAULT_PAYOUT_SLA_HOURS = 72
DEFAULT_INSTANT_DECISION_LIMIT = Money.of("50000.00")
MAX_NAME_LENGTH = 200
MAX_REASON_LENGTH = 500


class PartnerRole(enum.Enum):
    LEASER = "LEASER"
    PUBLISHER = "PUBLISHER"
    RESELLER = "RESELLER"
    INTEGRATOR = "INTEGRATOR"
    AFFILIATE = "AFFILIATE"
    PRESCRIBER = "PRESCRIBER"
    DISTRIBUTOR = "DISTRIBUTOR"
    HOST = "HOST"
    SERVICES_FIRM = "SERVICES_FIRM"


# The partner named in a field lacks the role the operation needs.
MISSING_ROLE: dict[PartnerRole, PartnerCode] = {
    PartnerRole.LEASER: PartnerCode.NOT_A_LEASER,
    PartnerRole.PUBLISHER: PartnerCode.NOT_A_PUBLISHER,
    PartnerRole.RESELLER: PartnerCode.NOT_A_RESELLER,
    PartnerRole.INTEGRATOR: PartnerCode.NOT_A_INTEGRATOR,
    PartnerRole.AFFILIATE: PartnerCode.NOT_A_AFFILIATE,
    PartnerRole.PRESCRIBER: PartnerCode.NOT_A_PRESCRIBER,
    PartnerRole.DISTRIBUTOR: PartnerCode.NOT_A_DISTRIBUTOR,
    PartnerRole.HOST: PartnerCode.NOT_A_HOST,
    PartnerRole.SERVICES_FIRM: PartnerCode.NOT_A_SERVICES_FIRM,
}


def clean_name(value: str, *, field: list[str]) -> str:
    name = " ".join(value.split())
    if not name:
        raise ValidationError("a name is required", code=CommonCode.REQUIRED, field=field)
    if not name.isprintable():  # control and invisible characters (NUL, zero-width, bidi overrides)
        raise ValidationError(
            "a name holds no control or invisible character", code=CommonCode.INVALID_INPUT, field=field
        )
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(f"at most {MAX_NAME_LENGTH} characters", code=CommonCode.TOO_LONG, field=field)
    return name


@dataclass(frozen=True, slots=True)
class Partner:
    id: str
    name: str
    roles: frozenset[PartnerRole]
    created_at: datetime
    registration_number: str | None = None
    country: str | None = None

    @classmethod
    def register(
        cls,
        *,
        id: str,
        name: str,
        roles: list[PartnerRole],
        created_at: datetime,
        registration_number: str | None = None,
        country: str | None = None,
    ) -> Partner:
        if not roles:
            raise ValidationError("a partner needs at least one role", code=CommonCode.REQUIRED, field=["roles"])
        if country is not None:
            country = country.strip().upper()
            if len(country) != 2 or not country.isalpha():
                raise ValidationError(
                    "country is an ISO 3166-1 alpha-2 code (e.g. FR)",
                    code=PartnerCode.INVALID_COUNTRY,
                    field=["country"],
                )
        if registration_number is not None:
            registration_number = registration_number.replace(" ", "") or None
        return cls(
            id=id,
            name=clean_name(name, field=["name"]),
            roles=frozenset(roles),
            created_at=created_at,
            registration_number=registration_number,
            country=country,
        )

    def has_role(self, role: PartnerRole) -> bool:
        return role in self.roles


class AgreementStatus(enum.Enum):
    ACTIVE = "ACTIVE"
    TERMINATED = "TERMINATED"


@dataclass(frozen=True, slots=True)
class FinancingAgreement:
    """Convention d'agrément: a publisher or reseller may have contracts financed by a leaser."""

    id: str
    partner_id: str
    leaser_id: str
    annual_rate: Decimal
    file_fee: Money
    payout_sla_hours: int
    instant_decision_limit: Money
    signed_at: datetime
    signed_by: str
    status: AgreementStatus = AgreementStatus.ACTIVE
    terminated_at: datetime | None = None
    terminated_by: str | None = None
    termination_reason: str | None = None

    @classmethod
    def sign(
        cls,
        *,
        id: str,
        partner: Partner,
        leaser: Partner,
        annual_rate: Decimal,
        file_fee: Money,
        signed_at: datetime,
        signed_by: str,
        payout_sla_hours: int | None = None,
        instant_decision_limit: Money | None = None,
    ) -> FinancingAgreement:
        if not leaser.has_role(PartnerRole.LEASER):
            raise ValidationError(
                "the leaser must have the LEASER role", code=PartnerCode.NOT_A_LEASER, field=["leaserId"]
            )
        if not (partner.has_role(PartnerRole.PUBLISHER) or partner.has_role(PartnerRole.RESELLER)):
            raise ValidationError(
                "only a publisher or a reseller signs a financing agreement",
                code=PartnerCode.NOT_A_PUBLISHER_OR_RESELLER,
                field=["partnerId"],
            )
        validate_annual_rate(annual_rate)
        if file_fee.is_negative:
            raise ValidationError("fileFee may not be negative", code=CommonCode.INVALID_AMOUNT, field=["fileFee"])
        sla = DEFAULT_PAYOUT_SLA_HOURS if payout_sla_hours is None else payout_sla_hours
        if not 1 <= sla <= 24 * 30:
            raise ValidationError(
                "payoutSlaHours is between 1 and 720", code=CommonCode.INVALID_SLA, field=["payoutSlaHours"]
            )
        limit = DEFAULT_INSTANT_DECISION_LIMIT if instant_decision_limit is None else instant_decision_limit
        if limit.amount <= 0:
            raise ValidationError(
                "instantDecisionLimit must be positive", code=CommonCode.INVALID_AMOUNT, field=["instantDecisionLimit"]
            )
        return cls(
            id=id,
            partner_id=partner.id,
            leaser_id=leaser.id,
            annual_rate=annual_rate,
            file_fee=file_fee.rounded(),
            payout_sla_hours=sla,
            instant_decision_limit=limit.rounded(),
            signed_at=signed_at,
            signed_by=signed_by,
        )

    @property
    def is_active(self) -> bool:
        return self.status is AgreementStatus.ACTIVE

    def terminated(self, *, at: datetime, by: str, reason: str | None) -> FinancingAgreement:
        """No new financing request under it from now on; files already requested go on (idempotent)."""
        if self.status is AgreementStatus.TERMINATED:
            return self
        note = " ".join((reason or "").split()) or None
        if note is not None and len(note) > MAX_REASON_LENGTH:
            raise ValidationError(f"at most {MAX_REASON_LENGTH} characters", code=CommonCode.TOO_LONG, field=["reason"])
        return replace(
            self, status=AgreementStatus.TERMINATED, terminated_at=at, terminated_by=by, termination_reason=note
        )


@dataclass(frozen=True, slots=True)
class PublisherDefault:
    """A confirmed escrow trigger freezes the publisher with that leaser (issue 17).

    While it stands, no new file of the publisher is approved automatically (it is referred to
    a credit analyst) and the upfront payouts of its files not paid yet are held for an analyst.
    """

    publisher_id: str
    leaser_id: str
    escrow_agreement_id: str
    reason: str
    confirmed_at: datetime
