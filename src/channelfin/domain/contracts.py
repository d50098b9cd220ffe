"""SaaS contracts between a publisher or reseller and an end client.

The contract owner is either the publisher (the reseller, if any, only introduced the
deal: INTRODUCER) or the reseller (buy-resell: BUY_RESELL). Either way the owner is the
beneficiary of the financing. Every status change is appended to the timeline.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from channelfin.domain import delivery
from channelfin.domain.contract_status import NEXT_STATUSES, ContractStatus
from channelfin.domain.customers import Customer
from channelfin.domain.documents import FileDocument
from channelfin.domain.error_codes import CommonCode, ContractCode, FinancingCode, PartnerCode
from channelfin.domain.errors import Conflict, InvalidTransition, ValidationError
from channelfin.domain.financing import Periodicity, period_count
from channelfin.domain.financing_file import (
    SIGNED_BEFORE_DELIVERY,
    ContractFinancing,
    DecisionOutcome,
    DeliveryReport,
    DocumentKind,
    FinancingDecision,
    Signature,
    WaitStep,
)
from channelfin.domain.money import Money
from channelfin.domain.partners import Partner, PartnerRole


class ResellerRole(enum.Enum):
    INTRODUCER = "INTRODUCER"
    BUY_RESELL = "BUY_RESELL"


class PartyRole(enum.Enum):
    """The part a partner plays on one contract (a partner may play two)."""

    OWNER = "OWNER"
    PUBLISHER = "PUBLISHER"
    RESELLER = "RESELLER"
    PROGRAM_PARTNER = "PROGRAM_PARTNER"  # the partner-program member the contract is attributed to
    SUPPORT_PROVIDER = "SUPPORT_PROVIDER"  # a continuity provider that took the contract over


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
    financing: ContractFinancing | None = None
    signatures: tuple[Signature, ...] = ()
    support_provider_id: str | None = None  # None (contracts older than the field): the owner
    collected_installments: tuple[int, ...] = ()
    enrollment_id: str | None = None
    program_partner_id: str | None = None
    payout_ids: frozenset[str] = frozenset()  # kept by the payouts store, so a list reads them in one batch
    documents: tuple[FileDocument, ...] = ()  # the file's PDFs as produced, sent and signed
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
        enrollment_id: str | None = None,
        program_partner_id: str | None = None,
        support_provider_id: str | None = None,
        partner_supports: bool = False,
    ) -> Contract:
        """A draft contract. Support goes to `support_provider_id` when given (a party of the contract),
        else to the enrolled partner when its tier says the partner supports (`partner_supports`),
        else to the owner."""
        if not publisher.has_role(PartnerRole.PUBLISHER):
            raise ValidationError(
                "the publisher must have the PUBLISHER role", code=PartnerCode.NOT_A_PUBLISHER, field=["publisherId"]
            )
        if reseller is not None and not reseller.has_role(PartnerRole.RESELLER):
            raise ValidationError(
                "the reseller must have the RESELLER role", code=PartnerCode.NOT_A_RESELLER, field=["resellerId"]
            )
        if reseller is not None and reseller.id == publisher.id:
            raise ValidationError(
                "the reseller cannot be the publisher itself", code=CommonCode.SAME_PARTNER, field=["resellerId"]
            )
        if owner.id == publisher.id:
            reseller_role = ResellerRole.INTRODUCER if reseller is not None else None
        elif reseller is not None and owner.id == reseller.id:
            reseller_role = ResellerRole.BUY_RESELL
        else:
            raise ValidationError(
                "the owner of the contract is its publisher or its reseller",
                code=ContractCode.OWNER_NOT_A_PARTY,
                field=["ownerId"],
            )
        period_count(periodicity, term_months)
        if software_fee.amount <= 0:
            raise ValidationError("softwareFee must be positive", code=CommonCode.INVALID_AMOUNT, field=["softwareFee"])
        if support_fee.is_negative:
            raise ValidationError(
                "supportFee may not be negative", code=CommonCode.INVALID_AMOUNT, field=["supportFee"]
            )
        for name, fee in (("softwareFee", software_fee), ("supportFee", support_fee)):
            if fee.rounded() != fee:
                raise ValidationError("fees are whole cents", code=CommonCode.INVALID_AMOUNT, field=[name])
        parties = {owner.id, publisher.id, reseller.id if reseller else None, program_partner_id} - {None}
        if support_provider_id is not None and support_provider_id not in parties:
            raise ValidationError(
                "the support provider is a party of the contract: its owner, publisher, reseller or program partner",
                code=ContractCode.SUPPORT_PROVIDER_NOT_A_PARTY,
                field=["supportProviderId"],
            )
        if support_provider_id is None:
            support_provider_id = program_partner_id if partner_supports and program_partner_id else owner.id
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
            enrollment_id=enrollment_id,
            program_partner_id=program_partner_id,
            support_provider_id=support_provider_id,
        )

    @property
    def periods(self) -> int:
        return period_count(self.periodicity, self.term_months)

    @property
    def party_ids(self) -> frozenset[str]:
        parties = (
            self.owner_id,
            self.publisher_id,
            self.reseller_id,
            self.program_partner_id,
            self.support_provider_id,
        )
        return frozenset(p for p in parties if p is not None)

    def roles_of(self, partner_id: str) -> frozenset[PartyRole]:
        roles = set()
        if partner_id == self.owner_id:
            roles.add(PartyRole.OWNER)
        if partner_id == self.publisher_id:
            roles.add(PartyRole.PUBLISHER)
        if partner_id == self.reseller_id:
            roles.add(PartyRole.RESELLER)
        if partner_id == self.program_partner_id:
            roles.add(PartyRole.PROGRAM_PARTNER)
        if self.under_continuity and partner_id == self.support_provider_id:
            roles.add(PartyRole.SUPPORT_PROVIDER)
        return frozenset(roles)

    def taken_over_by(self, provider_id: str) -> Contract:
        """A publisher default: the continuity provider runs and supports the contract from now on."""
        if self.under_continuity and self.support_provider_id == provider_id:
            return self
        return replace(self, under_continuity=True, support_provider_id=provider_id, version=self.version + 1)

    @property
    def is_closed(self) -> bool:
        """A status with no way out (REJECTED, COMPLETED, CANCELLED, EXPIRED)."""
        return not NEXT_STATUSES[self.status]

    @property
    def execution_name(self) -> str:
        """The financing workflow's name: deterministic, so a repeated request cannot start a second one."""
        return f"financing-{self.id}"

    @property
    def support_provider(self) -> str:
        """Who gives support and is paid each installment's support fee (DESIGN 1.1)."""
        return self.support_provider_id or self.owner_id

    @property
    def payout_due_by(self) -> datetime | None:
        return self.financing.payout_due_by if self.financing else None

    def moved_to(self, status: ContractStatus, *, at: datetime, actor: str, note: str | None = None) -> Contract:
        if status not in NEXT_STATUSES[self.status]:
            raise InvalidTransition(f"a {self.status.value} contract cannot become {status.value}")
        return replace(
            self,
            status=status,
            timeline=(*self.timeline, TimelineEvent(status, at, actor, note)),
            version=self.version + 1,
        )

    def _with_financing(self, financing: ContractFinancing) -> Contract:
        return replace(self, financing=financing, version=self.version + 1)

    def _file(self) -> ContractFinancing:
        if self.financing is None:
            raise InvalidTransition("financing was not requested for this contract", code=FinancingCode.NOT_FINANCED)
        return self.financing

    def financing_requested(self, financing: ContractFinancing, *, at: datetime, actor: str) -> Contract:
        if self.status is not ContractStatus.DRAFT:
            raise InvalidTransition(
                f"financing is requested for a DRAFT contract; this one is {self.status.value}",
                code=ContractCode.NOT_A_DRAFT,
            )
        decision = financing.decision
        requested = replace(self, financing=financing).moved_to(
            ContractStatus.FINANCING_REQUESTED, at=at, actor=actor, note=f"agreement {financing.agreement_id}"
        )
        after = {
            DecisionOutcome.APPROVED: ContractStatus.APPROVED,
            DecisionOutcome.REJECTED: ContractStatus.REJECTED,
            DecisionOutcome.REFERRED: ContractStatus.UNDER_REVIEW,
        }[decision.outcome]
        return requested.moved_to(after, at=at, actor=decision.decided_by, note="; ".join(decision.reasons) or None)

    def reviewed(self, decision: FinancingDecision) -> Contract:
        file = self._file()
        if self.status is not ContractStatus.UNDER_REVIEW:
            raise InvalidTransition(
                f"only a contract UNDER_REVIEW can be reviewed; this one is {self.status.value}",
                code=FinancingCode.NOT_UNDER_REVIEW,
            )
        status = ContractStatus.APPROVED if decision.outcome is DecisionOutcome.APPROVED else ContractStatus.REJECTED
        return replace(self, financing=replace(file, decision=decision)).moved_to(
            status, at=decision.decided_at, actor=decision.decided_by, note="; ".join(decision.reasons) or None
        )

    def document(self, kind: DocumentKind) -> FileDocument | None:
        return next((d for d in self.documents if d.kind is kind), None)

    def with_document(self, document: FileDocument) -> Contract:
        """The file with this version of the document (one per kind); unchanged if it is the same."""
        if self.document(document.kind) == document:
            return self
        others = tuple(d for d in self.documents if d.kind is not document.kind)
        return replace(self, documents=(*others, document), version=self.version + 1)

    def signature_of(self, document: DocumentKind) -> Signature | None:
        return next((s for s in self.signatures if s.document is document), None)

    @property
    def signatures_complete(self) -> bool:
        return all(self.signature_of(d) for d in SIGNED_BEFORE_DELIVERY)

    @property
    def sold_at(self) -> datetime | None:
        """A contract counts as a sale when its sale contract is signed."""
        sale = self.signature_of(DocumentKind.SALE_CONTRACT)
        return sale.signed_at if sale else None

    def signed(self, signature: Signature, *, actor: str) -> Contract:
        """Record the end client's signature of a document (idempotent for the same signer).

        Without financing only the sale contract is signed, and that makes the contract ACTIVE.
        The delivery report is signed once the owner submitted it (`delivery`).
        """
        if signature.document is DocumentKind.DELIVERY_REPORT:
            return delivery.signed(self, signature)
        existing = self.signature_of(signature.document)
        if existing is not None:
            if existing.signed_by == signature.signed_by:
                return self
            raise Conflict(f"the {signature.document.value} is already signed by {existing.signed_by}")
        with_signature = replace(self, signatures=(*self.signatures, signature), version=self.version + 1)
        if self.financing is None:
            if signature.document is not DocumentKind.SALE_CONTRACT:
                raise InvalidTransition(
                    "a lease contract exists only for financed contracts", code=FinancingCode.NOT_FINANCED
                )
            if self.status is not ContractStatus.DRAFT:
                raise InvalidTransition(
                    f"a {self.status.value} contract is not signed any more", code=ContractCode.NOT_A_DRAFT
                )
            return with_signature.moved_to(
                ContractStatus.ACTIVE, at=signature.signed_at, actor=actor, note="sale contract signed"
            )
        if self.status not in (ContractStatus.APPROVED, ContractStatus.AWAITING_SIGNATURES):
            raise InvalidTransition(
                f"documents are signed once financing is approved; this contract is {self.status.value}",
                code=FinancingCode.NOT_AWAITING_SIGNATURES,
            )
        return with_signature

    def delivery_reported(self, report: DeliveryReport) -> Contract:
        return delivery.reported(self, report)

    def delivery_report_declined(self, *, note: str, at: datetime, actor: str) -> Contract:
        return delivery.declined(self, note=note, at=at, actor=actor)

    def noted(self, note: str, *, at: datetime, actor: str) -> Contract:
        """An event in the timeline that changes no status (a delivery report declined)."""
        event = TimelineEvent(self.status, at, actor, note)
        return replace(self, timeline=(*self.timeline, event), version=self.version + 1)

    def waiting(self, step: WaitStep, token: str) -> Contract:
        return self._with_financing(self._file().waiting(step, token))

    def done_waiting(self) -> Contract:
        return self._with_financing(self._file().waiting(None, None))

    def transmitted(self, *, at: datetime, actor: str, sla_hours: int | None = None) -> Contract:
        """The complete file goes to the leaser; a shorter SLA (a vendor's fast payment) replaces the agreement's.

        Complete means the end client signed the delivery report: the owner's submission is not enough.
        """
        if self.signature_of(DocumentKind.DELIVERY_REPORT) is None:
            raise InvalidTransition(
                "the file is complete once the end client signed the delivery report",
                code=FinancingCode.DELIVERY_REPORT_NOT_SIGNED,
            )
        file = replace(self._file(), transmitted_at=at, waiting_for=None, task_token=None)
        if sla_hours is not None and sla_hours < file.payout_sla_hours:
            file = replace(file, payout_sla_hours=sla_hours)
        return replace(self, financing=file).moved_to(
            ContractStatus.AWAITING_PAYMENT, at=at, actor=actor, note="file transmitted to the leaser"
        )

    def installment_collected(self, installment: int, *, at: datetime, actor: str) -> Contract:
        """Record installment k's collection; the last one completes the contract."""
        if installment in self.collected_installments and self.status is ContractStatus.COMPLETED:
            return self
        if not 1 <= installment <= self.periods:
            raise ValidationError(
                f"installment is between 1 and {self.periods}",
                code=ContractCode.INVALID_INSTALLMENT,
                field=["installment"],
            )
        if self.status is not ContractStatus.ACTIVE:
            raise InvalidTransition(
                f"installments are collected on ACTIVE contracts; this one is {self.status.value}",
                code=ContractCode.NOT_ACTIVE,
            )
        created_at = self.timeline[0].at if self.timeline else None
        if created_at is not None and at < created_at:
            raise ValidationError(
                f"collectedAt is before the contract was created ({created_at.isoformat()})",
                code=CommonCode.INVALID_DATE,
                field=["collectedAt"],
            )
        if installment in self.collected_installments:
            return self
        collected = replace(
            self,
            collected_installments=tuple(sorted((*self.collected_installments, installment))),
            version=self.version + 1,
        )
        if len(collected.collected_installments) == self.periods:
            return collected.moved_to(ContractStatus.COMPLETED, at=at, actor=actor, note="every installment collected")
        return collected
