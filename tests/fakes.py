"""In-memory ports for unit tests: same contracts as the DynamoDB repositories."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from channelfin.domain.audit import AuditEntry
from channelfin.domain.contract_status import ContractStatus
from channelfin.domain.contracts import Contract, PartyRole
from channelfin.domain.credit_exposure import CreditExposure, ExposureKey
from channelfin.domain.errors import Conflict
from channelfin.domain.escrow import EscrowAgreement
from channelfin.domain.events import Event, EventMaker, payout_events
from channelfin.domain.incentives.campaigns import CampaignKind, IncentiveCampaign
from channelfin.domain.incentives.credit_lines import CreditLine, CreditMovement, MovementKind
from channelfin.domain.ledger import Entry
from channelfin.domain.money import Money
from channelfin.domain.partners import AgreementStatus, FinancingAgreement, Partner, PartnerRole, PublisherDefault
from channelfin.domain.payment_runs import PaymentRun, RunStatus, Transfer
from channelfin.domain.payouts import WORKFLOW_KINDS, Payout, PayoutKind, journal
from channelfin.domain.programs import Enrollment, PartnerProgram, Sale
from channelfin.domain.relations import ConsentStatus, Relation, ResellerLink
from channelfin.domain.signatories import Signatory
from channelfin.services.paging import Page, PageRequest, paginate
from channelfin.services.ports import NotificationFailed, Ports, SignatureRequest, TaskTokenRejected, TransferFailed
from tests.factories import Clock, next_id
from tests.webhook_fakes import FakeResolver, FakeWebhookSender, FakeWebhookStore

T = TypeVar("T")


def _page(items: list[T], key: Callable[[T], str], page: PageRequest) -> Page[T]:
    return paginate(items, key, page)


@dataclass
class FakePartners:
    partners: dict[str, Partner] = field(default_factory=dict)
    agreements: dict[str, FinancingAgreement] = field(default_factory=dict)
    defaults: dict[tuple[str, str], PublisherDefault] = field(default_factory=dict)

    def add(self, partner: Partner) -> None:
        if partner.id in self.partners:
            raise Conflict("exists")
        self.partners[partner.id] = partner

    def get(self, partner_id: str) -> Partner | None:
        return self.partners.get(partner_id)

    def get_many(self, partner_ids: Iterable[str]) -> dict[str, Partner]:
        return {p: self.partners[p] for p in partner_ids if p in self.partners}

    def find(self, *, role: PartnerRole | None, page: PageRequest) -> Page[Partner]:
        items = sorted(
            (p for p in self.partners.values() if role is None or p.has_role(role)),
            key=lambda p: (p.name.casefold(), p.id),
        )
        return _page(items, lambda p: p.id, page)

    def add_agreement(self, agreement: FinancingAgreement) -> None:
        self.agreements[agreement.id] = agreement

    def save_agreement(self, agreement: FinancingAgreement, *, expected_status: AgreementStatus) -> None:
        if self.agreements[agreement.id].status is not expected_status:
            raise Conflict("changed")
        self.agreements[agreement.id] = agreement

    def get_agreement(self, agreement_id: str) -> FinancingAgreement | None:
        return self.agreements.get(agreement_id)

    def get_agreements(self, agreement_ids: Iterable[str]) -> dict[str, FinancingAgreement]:
        return {a: self.agreements[a] for a in agreement_ids if a in self.agreements}

    def record_default(self, default: PublisherDefault) -> None:
        self.defaults.setdefault((default.publisher_id, default.leaser_id), default)  # the first stays

    def default_of(self, publisher_id: str, leaser_id: str) -> PublisherDefault | None:
        return self.defaults.get((publisher_id, leaser_id))

    def agreements_of(self, partner_id: str) -> list[FinancingAgreement]:
        return sorted(
            (a for a in self.agreements.values() if a.partner_id == partner_id),
            key=lambda a: a.signed_at,
            reverse=True,
        )


@dataclass
class FakeContracts:
    contracts: dict[str, Contract] = field(default_factory=dict)
    outbox: FakeWebhookStore = field(default_factory=FakeWebhookStore)
    exposures: dict[ExposureKey, CreditExposure] = field(default_factory=dict)
    signatories: dict[str, Signatory] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def add(self, contract: Contract, *, events: Sequence[Event] = ()) -> None:
        if contract.id in self.contracts:
            raise Conflict("exists")
        self.outbox.record(events)  # like the store's transaction: the events with the fact, or neither
        self.contracts[contract.id] = contract

    def save(
        self,
        contract: Contract,
        *,
        expected_version: int,
        events: Sequence[Event] = (),
        dropped_parties: Iterable[str] = (),
        exposure: CreditExposure | None = None,
    ) -> None:
        # A party's list is derived from party_ids here: a dropped party leaves it with the save.
        with self.lock:  # one transaction: every condition holds or nothing is written
            if self.contracts[contract.id].version != expected_version:
                raise Conflict("changed")
            if exposure is not None:
                if self.exposure(exposure.key).version != exposure.version:
                    raise Conflict("the exposure changed")
                self.exposures[exposure.key] = replace(exposure, version=exposure.version + 1)
            self.outbox.record(events)
            self.contracts[contract.id] = contract

    def exposure(self, key: ExposureKey) -> CreditExposure:
        return self.exposures.get(key) or CreditExposure(key)

    def signatory(self, siren: str) -> Signatory | None:
        return self.signatories.get(siren)

    def confirm_signatory(self, signatory: Signatory) -> None:
        self.signatories[signatory.siren] = signatory

    def get(self, contract_id: str, *, consistent: bool = False) -> Contract | None:
        return self.contracts.get(contract_id)

    def get_many(self, contract_ids: Iterable[str], *, consistent: bool = False) -> dict[str, Contract]:
        return {c: self.contracts[c] for c in contract_ids if c in self.contracts}

    def find(
        self, *, party_id: str | None, role: PartyRole | None, status: ContractStatus | None, page: PageRequest
    ) -> Page[Contract]:
        items = [
            c
            for c in self.contracts.values()
            if (party_id is None or party_id in c.party_ids)
            and (role is None or (party_id is not None and role in c.roles_of(party_id)))
            and (status is None or c.status is status)
        ]
        items.sort(key=lambda c: (c.created_at, c.id), reverse=True)
        return _page(items, lambda c: c.id, page)

    def shares_contract(self, party_id: str, other_id: str) -> bool:
        return any({party_id, other_id} <= c.party_ids for c in self.contracts.values())


@dataclass
class FakeLedger:
    entries: dict[tuple[str, str], Entry] = field(default_factory=dict)

    def write(self, entries: Sequence[Entry]) -> None:
        if any((e.id, e.holder) in self.entries for e in entries):
            raise Conflict("an entry of this fact exists")
        self.entries.update(((e.id, e.holder), e) for e in entries)

    def entries_of(self, holder: str, *, until: datetime | None = None) -> list[Entry]:
        found = [e for e in self.entries.values() if e.holder == holder and (until is None or e.at <= until)]
        return sorted(found, key=lambda e: (e.at, e.id))

    def journal_until(self, at: datetime) -> list[Entry]:
        return sorted((e for e in self.entries.values() if e.at <= at), key=lambda e: (e.at, e.id, e.holder))


def _as_read(stored: Payout, before: Payout) -> bool:
    return (stored.status, stored.settled, stored.run_id) == (before.status, before.settled, before.run_id)


@dataclass
class FakePayouts:
    contracts: FakeContracts = field(default_factory=FakeContracts)
    ledger: FakeLedger = field(default_factory=FakeLedger)
    payouts: dict[str, Payout] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def _events(self, changes: Sequence[tuple[Payout | None, Payout]], at: datetime) -> list[Event]:
        return payout_events(changes, EventMaker(at, lambda: next_id("u")))  # as the store: its own events

    def add(self, payout: Payout) -> None:
        with self.lock:
            if payout.id in self.payouts:
                raise Conflict("exists")
            self.ledger.write(journal(None, payout, payout.created_at))
            self.contracts.outbox.record(self._events([(None, payout)], payout.created_at))
            self.payouts[payout.id] = payout
            contract = self.contracts.contracts.get(payout.contract_id or "")
            if contract is not None:  # like the DynamoDB store: the contract lists its payouts
                self.contracts.contracts[contract.id] = replace(
                    contract, payout_ids=contract.payout_ids | {payout.id}, version=contract.version + 1
                )

    def get_many(self, payout_ids: Iterable[str], *, consistent: bool = False) -> dict[str, Payout]:
        return {p: self.payouts[p] for p in payout_ids if p in self.payouts}

    def save(self, payout: Payout, *, before: Payout, at: datetime) -> None:
        self.settle([(before, payout)], journal(before, payout, at))

    def settle(self, changes: Sequence[tuple[Payout, Payout]], entries: Sequence[Entry]) -> None:
        with self.lock:
            if len(changes) + len(entries) > 100:
                raise ValueError("too many items for one transaction")
            if any(not _as_read(self.payouts[b.id], b) for b, _ in changes):
                raise Conflict("changed")
            self.ledger.write(entries)
            at = max((e.at for e in entries), default=None) or max(a.paid_at or a.created_at for _, a in changes)
            self.contracts.outbox.record(self._events(changes, at))
            for _, after in changes:
                self.payouts[after.id] = after

    def hold(self, payouts: Sequence[Payout], run_id: str) -> list[Payout]:
        held = []
        with self.lock:
            for payout in payouts:
                stored = self.payouts.get(payout.id)
                if stored is not None and stored.is_open and stored.run_id in (None, run_id):
                    self.payouts[payout.id] = stored.held_by(run_id)
                    held.append(self.payouts[payout.id])
        return held

    def release(self, payout: Payout, run_id: str) -> None:
        with self.lock:
            stored = self.payouts.get(payout.id)
            if stored is not None and stored.run_id == run_id:
                self.payouts[payout.id] = stored.held_by(None)

    def get(self, payout_id: str, *, consistent: bool = False) -> Payout | None:
        return self.payouts.get(payout_id)

    def of_party_between(self, partner_id: str, start: datetime, end: datetime) -> list[Payout]:
        found = [p for p in self.payouts.values() if partner_id in p.parties() and start <= p.value_date < end]
        return sorted(found, key=lambda p: (p.value_date, p.id))

    def open_owed_by(self, payer_id: str, up_to: datetime) -> list[Payout]:
        found = [
            p
            for p in self.payouts.values()
            if p.payer_id == payer_id and p.is_open and p.kind not in WORKFLOW_KINDS and p.value_date <= up_to
        ]
        return sorted(found, key=lambda p: (p.value_date, p.id))

    def find(self, *, contract_id: str | None, beneficiary_id: str | None, page: PageRequest) -> Page[Payout]:
        items = [
            p
            for p in self.payouts.values()
            if (contract_id is None or p.contract_id == contract_id)
            and (beneficiary_id is None or p.beneficiary_id == beneficiary_id)
        ]
        items.sort(key=lambda p: (p.created_at, p.id), reverse=True)
        return _page(items, lambda p: p.id, page)

    def of_payer(self, payer_id: str, page: PageRequest) -> Page[Payout]:
        items = sorted((p for p in self.payouts.values() if p.payer_id == payer_id), key=lambda p: (p.value_date, p.id))
        return _page(list(reversed(items)), lambda p: p.id, page)


@dataclass
class FakePaymentRuns:
    runs: dict[str, PaymentRun] = field(default_factory=dict)
    transfers_: dict[tuple[str, str], Transfer] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, run: PaymentRun) -> tuple[PaymentRun, bool]:
        with self.lock:
            if run.id in self.runs:
                return self.runs[run.id], False
            self.runs[run.id] = run
            return run, True

    def get(self, run_id: str) -> PaymentRun | None:
        return self.runs.get(run_id)

    def claim(self, run: PaymentRun, at: datetime) -> bool:
        with self.lock:
            stored = self.runs[run.id]
            if stored.status is not RunStatus.RUNNING or stored.claimed_at != run.claimed_at:
                return False
            self.runs[run.id] = replace(stored, claimed_at=at)
            return True

    def save(self, run: PaymentRun, *, expected: RunStatus) -> None:
        with self.lock:
            if self.runs[run.id].status is not expected:
                raise Conflict("changed")
            self.runs[run.id] = run

    def add_transfer(self, transfer: Transfer) -> None:
        with self.lock:
            key = (transfer.run_id, transfer.counterparty_id)
            if key in self.transfers_:
                raise Conflict("exists")
            self.transfers_[key] = transfer

    def get_transfer(self, run_id: str, counterparty_id: str) -> Transfer | None:
        return self.transfers_.get((run_id, counterparty_id))

    def save_transfer(self, transfer: Transfer, *, expected: Transfer) -> None:
        with self.lock:
            stored = self.transfers_[(transfer.run_id, transfer.counterparty_id)]

            def state(t: Transfer) -> tuple[object, ...]:
                return (t.status, t.netting is not None, t.requested_at, t.reference)

            if state(stored) != state(expected):
                raise Conflict("changed")
            self.transfers_[(transfer.run_id, transfer.counterparty_id)] = transfer

    def all_transfers(self, run_id: str) -> list[Transfer]:
        return sorted((t for (r, _), t in self.transfers_.items() if r == run_id), key=lambda t: t.counterparty_id)

    def transfers(self, run_id: str, page: PageRequest) -> Page[Transfer]:
        return _page(self.all_transfers(run_id), lambda t: t.counterparty_id, page)

    def runs_of(self, payer_id: str, page: PageRequest) -> Page[PaymentRun]:
        items = sorted((r for r in self.runs.values() if r.payer_id == payer_id), key=lambda r: r.started_at)
        return _page(list(reversed(items)), lambda r: r.id, page)


class InlinePaymentRuns:
    """The payments state machine's path, run at once in the test (tests/workflow runs the real one)."""

    def __init__(self) -> None:
        self.ports: Ports | None = None
        self.started: list[str] = []

    def start(self, name: str, payload: dict[str, Any]) -> None:
        from channelfin.services.payment_runs import execute_inline

        self.started.append(name)
        assert self.ports is not None, "InlinePaymentRuns.ports is set by fake_ports"
        execute_inline(self.ports, payload["runId"])

    def resume(self, token: str, output: dict[str, Any]) -> None:
        raise TaskTokenRejected("the payments workflow has no waits")

    def fail(self, token: str, error: str, cause: str) -> None:
        raise TaskTokenRejected("the payments workflow has no waits")


@dataclass
class FakeRelations:
    links: dict[str, ResellerLink] = field(default_factory=dict)
    relations: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (publisher, partner) -> sources
    roles: dict[tuple[str, str], frozenset[PartnerRole]] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def add_link(self, link: ResellerLink) -> None:
        with self.lock:
            if link.id in self.links:
                raise Conflict("exists")
            self.links[link.id] = link

    def save_link(self, link: ResellerLink, *, expected_version: int, relation: Relation | None = None) -> None:
        with self.lock:
            if self.links[link.id].version != expected_version:
                raise Conflict("changed")
            self.links[link.id] = link
            if relation is not None:
                self.relate(relation)

    def relate(self, relation: Relation) -> None:
        with self.lock:
            key = (relation.publisher_id, relation.partner_id)
            self.relations.setdefault(key, set()).add(relation.source)
            self.roles[key] = relation.partner_roles

    def get_link(self, link_id: str) -> ResellerLink | None:
        return self.links.get(link_id)

    def links_of(
        self, partner_id: str, *, as_reseller: bool, status: ConsentStatus | None, page: PageRequest
    ) -> Page[ResellerLink]:
        items = sorted(
            (
                link
                for link in self.links.values()
                if (link.reseller_id if as_reseller else link.publisher_id) == partner_id
                and status in (None, link.status)
            ),
            key=lambda link: link.id,
        )
        return _page(items, lambda link: link.id, page)

    def related(self, publisher_id: str, partner_id: str) -> bool:
        return (publisher_id, partner_id) in self.relations

    def related_partners(self, publisher_id: str, *, role: PartnerRole, page: PageRequest) -> Page[str]:
        items = sorted(q for (p, q), roles in self.roles.items() if p == publisher_id and role in roles)
        return _page(items, lambda partner_id: partner_id, page)


@dataclass
class FakePrograms:
    payouts: FakePayouts = field(default_factory=FakePayouts)
    relations: FakeRelations = field(default_factory=FakeRelations)
    programs: dict[str, PartnerProgram] = field(default_factory=dict)
    enrollments: dict[str, Enrollment] = field(default_factory=dict)
    indexed: set[str] = field(default_factory=set)  # enrolments listed among their partner's
    sales: dict[tuple[str, str], Sale] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_program(self, program: PartnerProgram) -> None:
        self.programs[program.id] = program

    def get_program(self, program_id: str) -> PartnerProgram | None:
        return self.programs.get(program_id)

    def programs_of(self, publisher_id: str) -> list[PartnerProgram]:
        return [p for p in self.programs.values() if p.publisher_id == publisher_id]

    def add_enrollment(self, enrollment: Enrollment) -> None:
        with self.lock:
            if enrollment.id in self.enrollments:
                raise Conflict("exists")
            self.enrollments[enrollment.id] = enrollment
            self.indexed.add(enrollment.id)

    def save_enrollment(self, enrollment: Enrollment) -> None:
        with self.lock:
            stored = self.enrollments[enrollment.id]
            if (stored.sales_count, stored.status) != (enrollment.sales_count, enrollment.status):
                raise Conflict("changed")
            self.enrollments[enrollment.id] = enrollment

    def answer_enrollment(self, answered: Enrollment, *, charge: Payout | None, relation: Relation | None) -> None:
        with self.lock, self.payouts.lock, self.relations.lock:  # one transaction
            stored = self.enrollments[answered.id]
            if stored.status is not ConsentStatus.PENDING:
                raise Conflict("answered")
            if charge is not None:
                self.payouts.add(charge)  # Conflict (nothing written) if it exists
            if relation is not None:
                self.relations.relate(relation)
            self.enrollments[answered.id] = replace(
                stored, status=answered.status, answered_by=answered.answered_by, answered_at=answered.answered_at
            )

    def enrollments_of_partner(
        self, partner_id: str, *, status: ConsentStatus | None, page: PageRequest
    ) -> Page[Enrollment]:
        items = sorted(
            (
                e
                for e in self.enrollments.values()
                if e.partner_id == partner_id and e.id in self.indexed and status in (None, e.status)
            ),
            key=lambda e: (e.enrolled_at, e.id),
            reverse=True,
        )
        return _page(items, lambda e: e.id, page)

    def index_enrollment(self, enrollment: Enrollment, relation: Relation | None, *, dry_run: bool = False) -> bool:
        with self.lock:
            if enrollment.id in self.indexed or dry_run:
                return enrollment.id not in self.indexed
            self.indexed.add(enrollment.id)
            if relation is not None:
                self.relations.relate(relation)
            return True

    def get_enrollment(self, enrollment_id: str) -> Enrollment | None:
        return self.enrollments.get(enrollment_id)

    def enrollments_of(self, program_id: str) -> list[Enrollment]:
        return sorted((e for e in self.enrollments.values() if e.program_id == program_id), key=lambda e: e.partner_id)

    def sales_of(self, enrollment_id: str) -> list[Sale]:
        return sorted((s for (e, _), s in self.sales.items() if e == enrollment_id), key=lambda s: s.number)

    def record_sale(self, enrollment_id: str, contract_id: str, sold_at: datetime) -> Sale:
        with self.lock:
            key = (enrollment_id, contract_id)
            if key not in self.sales:
                enrollment = self.enrollments[enrollment_id]
                number = enrollment.sales_count + 1
                self.enrollments[enrollment_id] = replace(enrollment, sales_count=number)
                self.sales[key] = Sale(enrollment_id, contract_id, number, sold_at)
            return self.sales[key]

    def cancel_sale(self, enrollment_id: str, contract_id: str) -> None:
        with self.lock:
            key = (enrollment_id, contract_id)
            if key in self.sales and not self.sales[key].cancelled:
                self.sales[key] = replace(self.sales[key], cancelled=True)
                enrollment = self.enrollments[enrollment_id]
                self.enrollments[enrollment_id] = replace(enrollment, sales_count=enrollment.sales_count - 1)


@dataclass
class FakeEscrows:
    agreements: dict[str, EscrowAgreement] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    outbox: FakeWebhookStore = field(default_factory=FakeWebhookStore)

    def add(self, agreement: EscrowAgreement) -> None:
        self.agreements[agreement.id] = agreement

    def save(self, agreement: EscrowAgreement, *, expected_version: int, events: Sequence[Event] = ()) -> None:
        with self.lock:
            if self.agreements[agreement.id].version != expected_version:
                raise Conflict("changed")
            self.outbox.record(events)
            self.agreements[agreement.id] = agreement

    def get(self, agreement_id: str) -> EscrowAgreement | None:
        return self.agreements.get(agreement_id)


@dataclass
class FakeIncentives:
    campaigns: dict[str, IncentiveCampaign] = field(default_factory=dict)
    lines: dict[str, CreditLine] = field(default_factory=dict)
    moves: list[CreditMovement] = field(default_factory=list)
    by_reference: dict[tuple[str, MovementKind, str], CreditMovement] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    outbox: FakeWebhookStore = field(default_factory=FakeWebhookStore)

    def add_campaign(self, campaign: IncentiveCampaign) -> None:
        self.campaigns[campaign.id] = campaign

    def save_campaign(self, campaign: IncentiveCampaign) -> None:
        self.campaigns[campaign.id] = campaign

    def get_campaign(self, campaign_id: str) -> IncentiveCampaign | None:
        return self.campaigns.get(campaign_id)

    def campaigns_of_vendor(
        self, vendor_id: str, *, kind: CampaignKind | None, page: PageRequest
    ) -> Page[IncentiveCampaign]:
        items = sorted(
            (c for c in self.campaigns.values() if c.vendor_id == vendor_id and kind in (None, c.kind)),
            key=lambda c: (c.kind.value, c.starts_at, c.id),
        )
        return _page(items, lambda c: c.id, page)

    def started_campaigns(
        self, *, vendor_id: str | None = None, distributor_id: str | None = None, kind: CampaignKind, at: datetime
    ) -> list[IncentiveCampaign]:
        return [
            c
            for c in self.campaigns.values()
            if c.kind is kind
            and c.starts_at <= at
            and (c.vendor_id == vendor_id if vendor_id else c.distributor_id == distributor_id)
        ]

    def add_line(self, line: CreditLine, *, events: Sequence[Event] = ()) -> None:
        with self.lock:
            if line.id in self.lines:
                raise Conflict("exists")
            self.outbox.record(events)
            self.lines[line.id] = line

    def save_line(
        self,
        line: CreditLine,
        *,
        expected_version: int,
        movement: CreditMovement | None = None,
        events: Sequence[Event] = (),
    ) -> None:
        with self.lock:
            if self.lines[line.id].version != expected_version:
                raise Conflict("changed")
            key = (line.id, movement.kind, movement.reference) if movement and movement.reference else None
            if key in self.by_reference:
                raise Conflict("a movement has that reference")
            self.outbox.record(events)
            self.lines[line.id] = line
            if movement is not None:
                self.moves.append(movement)
            if key is not None:
                assert movement is not None
                self.by_reference[key] = movement

    def movement_by_reference(self, line_id: str, kind: MovementKind, reference: str) -> CreditMovement | None:
        return self.by_reference.get((line_id, kind, reference))

    def get_line(self, line_id: str) -> CreditLine | None:
        return self.lines.get(line_id)

    def lines_of(self, partner_id: str, *, as_distributor: bool, page: PageRequest) -> Page[CreditLine]:
        items = sorted(
            (
                line
                for line in self.lines.values()
                if (line.distributor_id if as_distributor else line.reseller_id) == partner_id
            ),
            key=lambda line: line.id,
        )
        return _page(items, lambda line: line.id, page)

    def movements(self, line_id: str, *, start: datetime, end: datetime) -> list[CreditMovement]:
        return sorted(
            (m for m in self.moves if m.credit_line_id == line_id and start <= m.at < end), key=lambda m: m.at
        )

    def movements_page(self, line_id: str, page: PageRequest) -> Page[CreditMovement]:
        items = sorted((m for m in self.moves if m.credit_line_id == line_id), key=lambda m: m.at, reverse=True)
        return _page(items, lambda m: m.id, page)


@dataclass
class FakeAuditLog:
    entries: list[AuditEntry] = field(default_factory=list)

    def record(self, entry: AuditEntry) -> None:
        self.entries.append(entry)

    def entries_of_day(self, day: date, page: PageRequest) -> Page[AuditEntry]:
        items = sorted(
            (e for e in self.entries if e.at.astimezone(UTC).date() == day), key=lambda e: e.at, reverse=True
        )
        return _page(items, lambda e: e.id, page)


class FakeRenderer:
    """Stands in for the PDF renderer: the content's repr as bytes (deterministic, so hashes are stable)."""

    def render(self, content: Any) -> bytes:
        return b"%PDF-fake " + repr(content).encode()


class FakePersistedQueries:
    """The `persisted-queries` table in memory: expiry read as DynamoDB's TTL, trusted documents never replaced."""

    def __init__(self, clock: Callable[[], float] = lambda: 1_800_000_000.0) -> None:
        self.clock = clock
        self.items: dict[str, tuple[str, bool, float | None]] = {}

    def get(self, sha256: str) -> Any:
        from channelfin.store.persisted_queries import StoredDocument

        found = self.items.get(sha256)
        if found is None or (found[2] is not None and found[2] <= self.clock()):
            return None
        return StoredDocument(found[0], found[1])

    def put(self, sha256: str, document: str, *, ttl_seconds: int | None, trusted: bool = False) -> None:
        if not trusted and self.items.get(sha256, ("", False, None))[1]:
            return  # the real store's condition refuses it, and the refusal is ignored
        expires = None if ttl_seconds is None else int(self.clock()) + ttl_seconds
        self.items[sha256] = (document, trusted, expires)


@dataclass
class FakeDocumentStore:
    files: dict[str, bytes] = field(default_factory=dict)

    def put(self, key: str, data: bytes) -> None:
        self.files[key] = data

    def get(self, key: str) -> bytes | None:
        return self.files.get(key)

    def download_url(self, key: str, *, expires_in: int) -> str:
        return f"https://documents.example/{key}?expires={expires_in}"


@dataclass
class FakeSignatureProvider:
    requests: list[dict[str, Any]] = field(default_factory=list)
    needs_signer_email: bool = False

    def request_signature(self, **request: Any) -> SignatureRequest:
        self.requests.append(request)
        number = len(self.requests)
        return SignatureRequest(request_id=f"req-{number}", signing_url=f"https://sign.example/req-{number}")


@dataclass
class FakeWebhookEvents:
    ids: set[str] = field(default_factory=set)

    def seen(self, event_id: str) -> bool:
        return event_id in self.ids

    def remember(self, event_id: str, at: datetime) -> None:
        self.ids.add(event_id)


@dataclass
class ScriptedNotifier:
    """Fails the first `failures` sends, then delivers; remembers every delivery."""

    failures: int = 0
    attempts: int = 0
    sent: list[tuple[str, str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, *, recipient_id: str, kind: str, subject: str, body: str) -> None:
        with self.lock:
            self.attempts += 1
            if self.attempts <= self.failures:
                raise NotificationFailed(f"mail server refused message {self.attempts}")
            self.sent.append((recipient_id, kind, subject))


@dataclass
class FakeEngine:
    """Records what the services ask of the workflow; tokens are valid until used once."""

    started: dict[str, dict[str, Any]] = field(default_factory=dict)
    start_calls: int = 0
    open_tokens: set[str] = field(default_factory=set)
    resumed: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    failed: list[tuple[str, str, str]] = field(default_factory=list)

    def start(self, name: str, payload: dict[str, Any]) -> None:
        self.start_calls += 1
        self.started.setdefault(name, payload)

    def issue(self, token: str) -> str:
        self.open_tokens.add(token)
        return token

    def _use(self, token: str) -> None:
        if token not in self.open_tokens:
            raise TaskTokenRejected("InvalidToken")
        self.open_tokens.discard(token)

    def resume(self, token: str, output: dict[str, Any]) -> None:
        self._use(token)
        self.resumed.append((token, output))

    def fail(self, token: str, error: str, cause: str) -> None:
        self._use(token)
        self.failed.append((token, error, cause))


@dataclass
class ScriptedPayments:
    """Fails the first `failures` transfers and those of `refused_kinds`, then settles; remembers every attempt."""

    failures: int = 0
    attempts: list[str] = field(default_factory=list)
    refused_kinds: set[PayoutKind] = field(default_factory=set)
    refused_beneficiaries: set[str] = field(default_factory=set)
    paid: dict[str, tuple[str, str, Money]] = field(default_factory=dict)

    def transfer(self, payout: Payout) -> str:
        self.attempts.append(payout.id)
        if len(self.attempts) <= self.failures or payout.kind in self.refused_kinds:
            raise TransferFailed(f"bank refused transfer {len(self.attempts)} of {payout.id}")
        return f"ref-{payout.id}"

    def transfer_net(self, transfer_id: str, *, payer_id: str, beneficiary_id: str, amount: Money) -> str:
        """Idempotent per transfer id, like a bank's idempotency key; `paid` records each transfer once."""
        self.attempts.append(transfer_id)
        if len(self.attempts) <= self.failures or beneficiary_id in self.refused_beneficiaries:
            raise TransferFailed(f"bank refused transfer {len(self.attempts)}: {transfer_id}")
        self.paid.setdefault(transfer_id, (payer_id, beneficiary_id, amount))
        return f"ref-{transfer_id}"


@dataclass
class RecordedMetrics:
    counts: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def count(self, name: str, **dimensions: str) -> None:
        self.counts.append((name, dimensions))


def fake_ports() -> Ports:
    webhooks = FakeWebhookStore()
    contracts = FakeContracts(outbox=webhooks)
    ledger = FakeLedger()
    runner = InlinePaymentRuns()
    resolver = FakeResolver()
    payouts = FakePayouts(contracts, ledger)
    relations = FakeRelations()
    ports = Ports(
        partners=FakePartners(),
        contracts=contracts,
        payouts=payouts,
        programs=FakePrograms(payouts, relations),
        relations=relations,
        escrows=FakeEscrows(outbox=webhooks),
        incentives=FakeIncentives(outbox=webhooks),
        audit=FakeAuditLog(),
        renderer=FakeRenderer(),
        document_store=FakeDocumentStore(),
        signatures=FakeSignatureProvider(),
        webhook_events=FakeWebhookEvents(),
        clock=Clock(),
        new_id=lambda: next_id("n"),
        workflows=FakeEngine(),
        payments=ScriptedPayments(),
        metrics=RecordedMetrics(),
        escrow_workflows=FakeEngine(),
        notifier=ScriptedNotifier(),
        ledger=ledger,
        payment_runs=FakePaymentRuns(),
        payment_workflows=runner,
        webhooks=webhooks,
        webhook_sender=FakeWebhookSender(),
        resolver=resolver,
    )
    runner.ports = ports
    return ports
