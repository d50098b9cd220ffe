"""SaaS contracts between a publisher or reseller and an end client.

The contract owner is either the publisher (the reseller, if any, only introduced the
deal: INTRODUCER) or the reseller (buy-resell: BUY_RESELL). Either way the owner is the
beneficiary of the financing. Every status change is appended to the timeline.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from .errors import ValidationError
from .financing import Periodicity, period_count
from .money import Money
from .partners import Partner, PartnerRole, clean_name


class ContractStatus(enum.Enum):
    DRAFT = "DRAFT"
    FINANCING_REQUESTED = "FINANCING_REQUESTED"
    UNDER_REVIEW = "UNDER_REVIEW"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    AWAITING_SIGNATURES = "AWAITING_SIGNATURES"
    AWAITING_DELIVERY = "AWAITING_DELIVERY"
    AWAITING_PAYMENT = "AWAITING_PAYMENT"
    ACTIVE = "ACTIVE"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"
    EXPIRED = "EXPIRED"


class ResellerRole(enum.Enum):
    INTRODUCER = "INTRODUCER"
    BUY_RESELL = "BUY_RESELL"


class PartyRole(enum.Enum):
    """The part a partner plays on one contract (a partner may play two)."""

    OWNER = "OWNER"
    PUBLISHER = "PUBLISHER"
    RESELLER = "RESELLER"


@dataclass(frozen=True, slots=True)
class Customer:
    name: str
    registration_number: str | None = None
    email: str | None = None

    @classmethod
    def create(cls, name: str, registration_number: str | None = None, email: str | None = None) -> Customer:
        if email is not None:
            email = email.strip()
            local, _, domain = email.partition("@")
            if not local or "." not in domain or " " in email:
                raise ValidationError("not an e-mail address", code="INVALID_EMAIL", field=["customer", "email"])
        if registration_number is not None:
            registration_number = registration_number.replace(" ", "") or None
        return cls(clean_name(name, field=["customer", "name"]), registration_number, email)


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    status: ContractStatus
    at: datetime
    actor: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Contract:
    id: str
    owner_id: str
    publisher_id: str
    reseller_id: str | None
    reseller_role: ResellerRole | None
    customer: Customer
    periodicity: Periodicity
    term_months: int
    start_date: date
    software_fee: Money
    support_fee: Money
    status: ContractStatus
    created_at: datetime
    created_by: str
    timeline: tuple[TimelineEvent, ...] = field(default_factory=tuple)
    under_continuity: bool = False
    version: int = 1

    @classmethod
    def create(
        cls,
        *,
        id: str,
        owner: Partner,
        publisher: Partner,
        reseller: Partner | None,
        customer: Customer,
        periodicity: Periodicity,
        term_months: int,
        start_date: date,
        software_fee: Money,
        support_fee: Money,
        created_at: datetime,
        created_by: str,
    ) -> Contract:
        if not publisher.has_role(PartnerRole.PUBLISHER):
            raise ValidationError(
                "the publisher must have the PUBLISHER role", code="NOT_A_PUBLISHER", field=["publisherId"]
            )
        if reseller is not None and not reseller.has_role(PartnerRole.RESELLER):
            raise ValidationError(
                "the reseller must have the RESELLER role", code="NOT_A_RESELLER", field=["resellerId"]
            )
        if reseller is not None and reseller.id == publisher.id:
            raise ValidationError(
                "the reseller cannot be the publisher itself", code="SAME_PARTNER", field=["resellerId"]
            )
        if owner.id == publisher.id:
            reseller_role = ResellerRole.INTRODUCER if reseller is not None else None
        elif reseller is not None and owner.id == reseller.id:
            reseller_role = ResellerRole.BUY_RESELL
        else:
            raise ValidationError(
                "the owner of the contract is its publisher or its reseller",
                code="OWNER_NOT_A_PARTY",
                field=["ownerId"],
            )
        period_count(periodicity, term_months)
        if software_fee.amount <= 0:
            raise ValidationError("softwareFee must be positive", code="INVALID_AMOUNT", field=["softwareFee"])
        if support_fee.is_negative:
            raise ValidationError("supportFee may not be negative", code="INVALID_AMOUNT", field=["supportFee"])
        for name, fee in (("softwareFee", software_fee), ("supportFee", support_fee)):
            if fee.rounded() != fee:
                raise ValidationError("fees are whole cents", code="INVALID_AMOUNT", field=[name])
        return cls(
            id=id,
            owner_id=owner.id,
            publisher_id=publisher.id,
            reseller_id=reseller.id if reseller is not None else None,
            reseller_role=reseller_role,
            customer=customer,
            periodicity=periodicity,
            term_months=term_months,
            start_date=start_date,
            software_fee=software_fee,
            support_fee=support_fee,
            status=ContractStatus.DRAFT,
            created_at=created_at,
            created_by=created_by,
            timeline=(TimelineEvent(ContractStatus.DRAFT, created_at, created_by, "contract created"),),
        )

    @property
    def periods(self) -> int:
        return period_count(self.periodicity, self.term_months)

    @property
    def party_ids(self) -> frozenset[str]:
        return frozenset(p for p in (self.owner_id, self.publisher_id, self.reseller_id) if p is not None)

    def roles_of(self, partner_id: str) -> frozenset[PartyRole]:
        roles = set()
        if partner_id == self.owner_id:
            roles.add(PartyRole.OWNER)
        if partner_id == self.publisher_id:
            roles.add(PartyRole.PUBLISHER)
        if partner_id == self.reseller_id:
            roles.add(PartyRole.RESELLER)
        return frozenset(roles)

    def moved_to(self, status: ContractStatus, *, at: datetime, actor: str, note: str | None = None) -> Contract:
        return replace(
            self,
            status=status,
            timeline=(*self.timeline, TimelineEvent(status, at, actor, note)),
            version=self.version + 1,
        )
