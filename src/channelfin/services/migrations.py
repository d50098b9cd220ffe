"""Bringing stored data up to the current rules, idempotently (`channelfin dev` runs it at start;
`channelfin migrate` runs it against any stage).

Payouts written before payers existed (issue 16) get their payer, and the ledger entries of
their history (scheduled, then paid, failed or cancelled): the leaser for the software part
and support shares, the publisher for commissions and referral bonuses, the vendor for
rebates (read from the payout's id); a partner charge was stored with the affiliate as its
beneficiary, so it is turned round (the affiliate pays, the publisher is paid). A payout
whose payer cannot be told (a rebate reported without reference) is left as it is and
counted in the answer.

Files requested before end clients' exposures existed (issue 17) are counted in theirs: every
contract in an open financed status (one Query per status).

Enrolments made before consent (no status: read as ACCEPTED, their entry fee charged when
made) are listed among their partner's and, accepted, relate their partner to the publisher
(`index_enrollments`), as an acceptance does today.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace

from channelfin.domain.contract_status import ContractStatus
from channelfin.domain.contracts import Contract
from channelfin.domain.errors import Conflict, NotFound
from channelfin.domain.partners import PartnerRole
from channelfin.domain.payouts import Payout, PayoutKind, journal
from channelfin.domain.relations import Relation
from channelfin.services.contracts import count_in_exposure
from channelfin.services.financing import leaser_of
from channelfin.services.paging import Page, PageRequest, all_items
from channelfin.services.ports import Ports

PROGRESS_EVERY = 500


def _with_payer(ports: Ports, payout: Payout) -> Payout | None:
    contract = ports.contracts.get(payout.contract_id) if payout.contract_id else None
    kind = payout.kind
    if kind in (PayoutKind.SOFTWARE_UPFRONT, PayoutKind.SUPPORT_SHARE) and contract is not None:
        with contextlib.suppress(NotFound):
            return replace(payout, payer_id=leaser_of(ports, contract))
        return None
    if kind in (PayoutKind.COMMISSION, PayoutKind.REFERRAL) and contract is not None:
        return replace(payout, payer_id=contract.publisher_id)
    if kind is PayoutKind.PARTNER_CHARGE and contract is not None:
        return replace(payout, payer_id=payout.beneficiary_id, beneficiary_id=contract.publisher_id)
    if kind is PayoutKind.REBATE and payout.id.count("-") >= 2:  # rebate-<vendor>-<sale reference>
        vendor = payout.id.split("-", 2)[1]
        if ports.partners.get(vendor) is not None:
            return replace(payout, payer_id=vendor)
    return None


def migrate(ports: Ports, *, progress: Callable[[str], None] = lambda _: None, dry_run: bool = False) -> int:
    """Give every payout stored without a payer its payer and its ledger entries; how many were
    changed (with `dry_run`, would be, and nothing is written)."""
    changed = skipped = seen = 0
    for payout in all_items(lambda page: ports.payouts.find(contract_id=None, beneficiary_id=None, page=page)):
        seen += 1
        if seen % PROGRESS_EVERY == 0:
            progress(f"{seen} payouts read, {changed} {'to migrate' if dry_run else 'migrated'}")
        if payout.payer_id:
            continue
        migrated = _with_payer(ports, payout)
        if migrated is None:
            skipped += 1
            continue
        if dry_run:
            changed += 1
            continue
        at = payout.paid_at or payout.created_at
        with contextlib.suppress(Conflict):  # migrated meanwhile by another process
            ports.payouts.settle([(payout, migrated)], journal(None, migrated, at))
            changed += 1
    if skipped:
        progress(f"{skipped} payouts have no payer that can be told (see services/migrations.py)")
    counted = count_open_files(ports, dry_run=dry_run)
    if counted:
        progress(
            f"{counted} open financed file(s) {'to count' if dry_run else 'counted'} in their end client's exposure"
        )
    return changed


OPEN_FINANCED = (
    ContractStatus.UNDER_REVIEW,
    ContractStatus.APPROVED,
    ContractStatus.AWAITING_SIGNATURES,
    ContractStatus.AWAITING_DELIVERY,
    ContractStatus.AWAITING_PAYMENT,
    ContractStatus.ACTIVE,
)


def count_open_files(ports: Ports, *, dry_run: bool = False) -> int:
    """Count every open financed file in its end client's exposure (idempotent); how many were missing."""
    counted = 0
    for status in OPEN_FINANCED:
        for contract in all_items(_in_status(ports, status)):
            with contextlib.suppress(Conflict):  # moved meanwhile: its own write keeps the exposure right
                counted += count_in_exposure(ports, contract.id, dry_run=dry_run)
    return counted


def _in_status(ports: Ports, status: ContractStatus) -> Callable[[PageRequest], Page[Contract]]:
    return lambda page: ports.contracts.find(party_id=None, role=None, status=status, page=page)


def index_enrollments(ports: Ports, *, dry_run: bool = False) -> int:
    """List every enrolment among its partner's, with the relation an accepted one makes; how many were
    (with `dry_run`, would be) listed. Enrolments made since consent are listed when made: 0 for them."""
    count = 0
    publishers = all_items(lambda page: ports.partners.find(role=PartnerRole.PUBLISHER, page=page))
    for publisher in publishers:
        for program in ports.programs.programs_of(publisher.id):
            for enrollment in ports.programs.enrollments_of(program.id):
                partner = ports.partners.get(enrollment.partner_id)
                relation = None
                if enrollment.is_accepted and partner is not None:
                    since = enrollment.answered_at or enrollment.enrolled_at
                    relation = Relation.of_enrollment(publisher.id, partner, enrollment.id, since)
                count += ports.programs.index_enrollment(enrollment, relation, dry_run=dry_run)
    return count
