"""The ports the use cases talk to; `store` implements them on DynamoDB, tests with fakes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from channelfin.domain.audit import AuditEntry
from channelfin.domain.contract_status import ContractStatus
from channelfin.domain.contracts import Contract, PartyRole
from channelfin.domain.credit_exposure import CreditExposure, ExposureKey
from channelfin.domain.document_content import DocumentContent
from channelfin.domain.escrow import EscrowAgreement
from channelfin.domain.events import Event
from channelfin.domain.financing_file import DocumentKind
from channelfin.domain.incentives.campaigns import CampaignKind, IncentiveCampaign
from channelfin.domain.incentives.credit_lines import CreditLine, CreditMovement, MovementKind
from channelfin.domain.ledger import Entry
from channelfin.domain.money import Money
from channelfin.domain.partners import AgreementStatus, FinancingAgreement, Partner, PartnerRole, PublisherDefault
from channelfin.domain.payment_runs import PaymentRun, RunStatus, Transfer
from channelfin.domain.payouts import Payout
from channelfin.domain.programs import Enrollment, PartnerProgram, Sale
from channelfin.domain.relations import ConsentStatus, Relation, ResellerLink
from channelfin.domain.signatories import Signatory
from channelfin.services.paging import Page, PageRequest
from channelfin.services.webhook_ports import HostResolver, WebhookSender, WebhookSettings, WebhookStore


class PartnerRepository(Protocol):
    def add(self, partner: Partner) -> None: ...
    def get(self, partner_id: str) -> Partner | None: ...
    def get_many(self, partner_ids: Iterable[str]) -> dict[str, Partner]: ...
    def find(self, *, role: PartnerRole | None, page: PageRequest) -> Page[Partner]: ...
    def add_agreement(self, agreement: FinancingAgreement) -> None: ...
    def save_agreement(self, agreement: FinancingAgreement, *, expected_status: AgreementStatus) -> None:
        """Replace the agreement if it is still in `expected_status`; `Conflict` otherwise."""

    def get_agreement(self, agreement_id: str) -> FinancingAgreement | None: ...
    def get_agreements(self, agreement_ids: Iterable[str]) -> dict[str, FinancingAgreement]: ...
    def agreements_of(self, partner_id: str) -> list[FinancingAgreement]: ...
    def record_default(self, default: PublisherDefault) -> None:
        """Freeze the publisher with that leaser; the first confirmed default stays (idempotent)."""

    def default_of(self, publisher_id: str, leaser_id: str) -> PublisherDefault | None: ...


class ContractRepository(Protocol):
    def add(self, contract: Contract, *, events: Sequence[Event] = ()) -> None: ...
    def save(
        self,
        contract: Contract,
        *,
        expected_version: int,
        events: Sequence[Event] = (),
        dropped_parties: Iterable[str] = (),
        exposure: CreditExposure | None = None,
    ) -> None:
        """Replace the contract if nobody changed it since `expected_version` was read; `Conflict` otherwise,
        and nothing is written.

        `events` (the outbox) are written in the same transaction: all of it, or nothing.
        `dropped_parties`: partners the contract named before and no longer does (an amended draft):
        it leaves their lists in the same write. With `exposure`, that end client's exposure is written in
        the same transaction if it is still at the version it was read at (and bumped)."""

    def exposure(self, key: ExposureKey) -> CreditExposure:
        """The end client's open files with that leaser (version 0 and no file if none was stored)."""

    def signatory(self, siren: str) -> Signatory | None:
        """Who signs for that end client, as an analyst last confirmed it (None: nobody confirmed one)."""

    def confirm_signatory(self, signatory: Signatory) -> None:
        """Record the end client's signatory, replacing an earlier one."""

    def get(self, contract_id: str, *, consistent: bool = False) -> Contract | None: ...
    def get_many(self, contract_ids: Iterable[str], *, consistent: bool = False) -> dict[str, Contract]: ...
    def find(
        self,
        *,
        party_id: str | None,
        role: PartyRole | None,
        status: ContractStatus | None,
        page: PageRequest,
    ) -> Page[Contract]: ...
    def shares_contract(self, party_id: str, other_id: str) -> bool:
        """Whether a contract (in any status) names both partners as parties."""


class PayoutRepository(Protocol):
    """Payouts, each change written in one transaction with the ledger entries it makes and the
    events it causes (`domain.events.payout_events`: scheduled, paid, failed)."""

    def add(self, payout: Payout) -> None:
        """Store a new payout and its entries; `Conflict` if one with that id exists (ids are deterministic)."""

    def save(self, payout: Payout, *, before: Payout, at: datetime) -> None:
        """Replace the payout as it was read (`before`: status, settled part, holding run) and journal
        the change; `Conflict` if it moved meanwhile."""

    def settle(self, changes: Sequence[tuple[Payout, Payout]], entries: Sequence[Entry]) -> None:
        """Payouts changed as they were read and these entries, in one transaction (at most 100 items)."""

    def hold(self, payouts: Sequence[Payout], run_id: str) -> list[Payout]:
        """Those of `payouts` still open and held by no other run, now held by the run."""

    def release(self, payout: Payout, run_id: str) -> None: ...
    def get(self, payout_id: str, *, consistent: bool = False) -> Payout | None: ...
    def get_many(self, payout_ids: Iterable[str], *, consistent: bool = False) -> dict[str, Payout]: ...
    def find(self, *, contract_id: str | None, beneficiary_id: str | None, page: PageRequest) -> Page[Payout]: ...
    def of_payer(self, payer_id: str, page: PageRequest) -> Page[Payout]: ...
    def of_party_between(self, partner_id: str, start: datetime, end: datetime) -> list[Payout]:
        """A partner's payouts, paid to it or by it, whose value date is in [start, end), oldest first."""

    def open_owed_by(self, payer_id: str, up_to: datetime) -> list[Payout]:
        """What the payer owes, open, that a payment run pays, with a value date at or before `up_to`."""


class Ledger(Protocol):
    def entries_of(self, holder: str, *, until: datetime | None = None) -> list[Entry]:
        """A party's entries, oldest first (up to `until` included)."""

    def journal_until(self, at: datetime) -> list[Entry]:
        """Every party's entries up to `at` included."""


class PaymentRuns(Protocol):
    def start(self, run: PaymentRun) -> tuple[PaymentRun, bool]:
        """Store a new run, or find the one started under its id: (the run, whether it is new)."""

    def get(self, run_id: str) -> PaymentRun | None: ...
    def claim(self, run: PaymentRun, at: datetime) -> bool:
        """Take a RUNNING run in hand at `at` if it is still as read (not claimed since); whether we got it."""

    def save(self, run: PaymentRun, *, expected: RunStatus) -> None: ...
    def add_transfer(self, transfer: Transfer) -> None: ...
    def get_transfer(self, run_id: str, counterparty_id: str) -> Transfer | None: ...
    def save_transfer(self, transfer: Transfer, *, expected: Transfer) -> None: ...
    def transfers(self, run_id: str, page: PageRequest) -> Page[Transfer]: ...
    def all_transfers(self, run_id: str) -> list[Transfer]: ...
    def runs_of(self, payer_id: str, page: PageRequest) -> Page[PaymentRun]: ...


class ProgramRepository(Protocol):
    def add_program(self, program: PartnerProgram) -> None: ...
    def get_program(self, program_id: str) -> PartnerProgram | None: ...
    def programs_of(self, publisher_id: str) -> list[PartnerProgram]: ...
    def add_enrollment(self, enrollment: Enrollment) -> None:
        """Store a new enrolment, listed among its partner's too."""

    def save_enrollment(self, enrollment: Enrollment) -> None: ...
    def answer_enrollment(self, answered: Enrollment, *, charge: Payout | None, relation: Relation | None) -> None:
        """The partner's answer, if the enrolment is still PENDING, in one transaction with what an
        acceptance brings: the entry fee (and its ledger entries) and the relation; `Conflict` otherwise."""

    def get_enrollment(self, enrollment_id: str) -> Enrollment | None: ...
    def enrollments_of(self, program_id: str) -> list[Enrollment]: ...
    def enrollments_of_partner(
        self, partner_id: str, *, status: ConsentStatus | None, page: PageRequest
    ) -> Page[Enrollment]:
        """A partner's enrolments in publishers' programs, newest first."""

    def index_enrollment(self, enrollment: Enrollment, relation: Relation | None, *, dry_run: bool = False) -> bool:
        """List an enrolment stored before consent among its partner's, with its relation, once; whether it
        was (with `dry_run`, would be) listed."""

    def sales_of(self, enrollment_id: str) -> list[Sale]: ...
    def record_sale(self, enrollment_id: str, contract_id: str, sold_at: datetime) -> Sale:
        """Number the sale for the enrolment, once: a second call returns the first numbering."""

    def cancel_sale(self, enrollment_id: str, contract_id: str) -> None: ...


class RelationRepository(Protocol):
    """Reseller links and the relations that accepted links and enrolments make."""

    def add_link(self, link: ResellerLink) -> None:
        """Store a new link; `Conflict` if the pair has one already."""

    def save_link(self, link: ResellerLink, *, expected_version: int, relation: Relation | None = None) -> None:
        """Replace the link if still at `expected_version` (with the relation it makes, in one transaction)."""

    def get_link(self, link_id: str) -> ResellerLink | None: ...
    def links_of(
        self, partner_id: str, *, as_reseller: bool, status: ConsentStatus | None, page: PageRequest
    ) -> Page[ResellerLink]: ...
    def related(self, publisher_id: str, partner_id: str) -> bool:
        """Whether the partner accepted a link or an enrolment with the publisher (or vendor)."""

    def related_partners(self, publisher_id: str, *, role: PartnerRole, page: PageRequest) -> Page[str]:
        """The ids of the partners with that role related to the publisher."""


class EscrowRepository(Protocol):
    def add(self, agreement: EscrowAgreement) -> None: ...
    def save(self, agreement: EscrowAgreement, *, expected_version: int, events: Sequence[Event] = ()) -> None: ...
    def get(self, agreement_id: str) -> EscrowAgreement | None: ...


class IncentiveRepository(Protocol):
    """Incentive campaigns and credit lines (with their firm orders and reseller payments)."""

    def add_campaign(self, campaign: IncentiveCampaign) -> None: ...
    def save_campaign(self, campaign: IncentiveCampaign) -> None: ...
    def get_campaign(self, campaign_id: str) -> IncentiveCampaign | None: ...
    def campaigns_of_vendor(
        self, vendor_id: str, *, kind: CampaignKind | None, page: PageRequest
    ) -> Page[IncentiveCampaign]:
        """A vendor's campaigns by kind, then start date."""

    def started_campaigns(
        self, *, vendor_id: str | None = None, distributor_id: str | None = None, kind: CampaignKind, at: datetime
    ) -> list[IncentiveCampaign]:
        """Campaigns of one kind, of a vendor or naming a distributor, that started at or before `at`."""

    def add_line(self, line: CreditLine, *, events: Sequence[Event] = ()) -> None:
        """Store a new line; `Conflict` if the pair has one already."""

    def save_line(
        self,
        line: CreditLine,
        *,
        expected_version: int,
        movement: CreditMovement | None = None,
        events: Sequence[Event] = (),
    ) -> None:
        """Replace the line (and record the movement and events with it) if it is still at `expected_version`;
        a movement with a reference is recorded only if none of its kind has that reference on the line
        (`Conflict`)."""

    def movement_by_reference(self, line_id: str, kind: MovementKind, reference: str) -> CreditMovement | None:
        """The movement of that kind recorded on the line with that reference (one GetItem)."""

    def get_line(self, line_id: str) -> CreditLine | None: ...
    def lines_of(self, partner_id: str, *, as_distributor: bool, page: PageRequest) -> Page[CreditLine]: ...
    def movements(self, line_id: str, *, start: datetime, end: datetime) -> list[CreditMovement]:
        """The line's movements in [start, end), oldest first."""

    def movements_page(self, line_id: str, page: PageRequest) -> Page[CreditMovement]:
        """The line's movements, newest first."""


class AuditLog(Protocol):
    def record(self, entry: AuditEntry) -> None: ...
    def entries_of_day(self, day: date, page: PageRequest) -> Page[AuditEntry]:
        """That UTC day's entries, newest first."""


@dataclass(frozen=True, slots=True)
class SignatureRequest:
    request_id: str  # the provider's id of the signature request
    signing_url: str  # where the signer signs (sent to the end client by e-mail in production)


class SignatureProvider(Protocol):
    """An e-signature provider (Yousign in AWS, the local signer of `channelfin dev`)."""

    # Whether its requests reach the signer by e-mail (Yousign): a file then needs the end
    # client's address, or a confirmed signatory, before financing is requested.
    needs_signer_email: bool

    def request_signature(
        self,
        *,
        contract_id: str,
        kind: DocumentKind,
        document: bytes,
        sha256: str,
        signer_name: str,
        signer_email: str | None,
    ) -> SignatureRequest:
        """Open a signature request for the document; its outcome comes back on the webhook."""


class DocumentStore(Protocol):
    """Where the files' PDFs live (S3 in AWS, moto's S3 locally)."""

    def put(self, key: str, data: bytes) -> None: ...
    def get(self, key: str) -> bytes | None: ...
    def download_url(self, key: str, *, expires_in: int) -> str:
        """A short-lived link to the document (presigned)."""


class DocumentRenderer(Protocol):
    def render(self, content: DocumentContent) -> bytes:
        """The document as PDF bytes; the same content gives the same bytes (and SHA-256)."""


class WebhookEvents(Protocol):
    def seen(self, event_id: str) -> bool: ...
    def remember(self, event_id: str, at: datetime) -> None:
        """Keep the id of a processed event, so a replay of it is dropped."""


class NotificationFailed(Exception):
    """The message could not be delivered; the workflow retries the step."""


class Notifier(Protocol):
    def send(self, *, recipient_id: str, kind: str, subject: str, body: str) -> None:
        """Deliver one message (idempotency is the caller's: it records what was sent)."""


class TaskTokenRejected(Exception):
    """The workflow no longer waits on that token (unknown, already used, or timed out)."""


class WorkflowEngine(Protocol):
    """The financing state machine (Step Functions in AWS, moto's interpreter locally)."""

    def start(self, name: str, payload: dict[str, Any]) -> None:
        """Start an execution; a second start with the same name is a no-op."""

    def resume(self, token: str, output: dict[str, Any]) -> None:
        """Complete a `.waitForTaskToken` task; `TaskTokenRejected` if it is not waiting."""

    def fail(self, token: str, error: str, cause: str) -> None:
        """Fail a `.waitForTaskToken` task with a named error the definition catches."""


class TransferFailed(Exception):
    """The bank transfer did not go through; the workflow retries it with backoff."""


class Payments(Protocol):
    def transfer(self, payout: Payout) -> str:
        """Pay the payout (idempotent per payout id); return the transfer reference or raise `TransferFailed`."""

    def transfer_net(self, transfer_id: str, *, payer_id: str, beneficiary_id: str, amount: Money) -> str:
        """Pay a run's net amount to one counterparty, idempotent per `transfer_id` (a retry pays once)."""


class Metrics(Protocol):
    def count(self, name: str, **dimensions: str) -> None: ...


@dataclass(frozen=True)
class Ports:
    partners: PartnerRepository
    contracts: ContractRepository
    payouts: PayoutRepository
    programs: ProgramRepository
    relations: RelationRepository
    escrows: EscrowRepository
    incentives: IncentiveRepository
    audit: AuditLog
    renderer: DocumentRenderer
    document_store: DocumentStore
    signatures: SignatureProvider
    webhook_events: WebhookEvents
    clock: Callable[[], datetime]
    new_id: Callable[[], str]
    workflows: WorkflowEngine
    payments: Payments
    metrics: Metrics
    escrow_workflows: WorkflowEngine
    notifier: Notifier
    ledger: Ledger
    payment_runs: PaymentRuns
    payment_workflows: WorkflowEngine
    webhooks: WebhookStore
    webhook_sender: WebhookSender
    resolver: HostResolver
    stale_deposit_days: int = 180
    credit_cut_lookback_days: int = 30
    cursor_secret: str = ""  # the keys cursors are signed with (api/core/cursors.py); "": this process's own
    webhook_settings: WebhookSettings = WebhookSettings()
