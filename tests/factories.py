"""Builders for domain objects and callers, one place for every test layer."""

from __future__ import annotations

import itertools
import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from channelfin.domain.access import Principal, Role
from channelfin.domain.contracts import Contract
from channelfin.domain.customers import Customer
from channelfin.domain.financing import Periodicity
from channelfin.domain.money import Money
from channelfin.domain.partners import FinancingAgreement, Partner, PartnerRole
from channelfin.domain.payouts import Payout, PayoutKind, PayoutStatus

_ids = itertools.count(1)
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def next_id(prefix: str = "id") -> str:
    return f"{prefix}{next(_ids):06d}"


class Clock:
    """A clock that moves one second per reading, so orderings are deterministic (and no two
    readings alike, also when webhook delivery lanes read it from several threads)."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            self.now += timedelta(seconds=1)
            return self.now


def partner(*roles: PartnerRole, name: str | None = None) -> Partner:
    pid = next_id("p")
    return Partner.register(id=pid, name=name or f"Partner {pid}", roles=list(roles), created_at=T0)


def agreement(owner: Partner, leaser: Partner, **overrides: object) -> FinancingAgreement:
    values: dict[str, object] = dict(annual_rate=Decimal("0.06"), file_fee=Money.of("150.00"))
    values.update(overrides)
    return FinancingAgreement.sign(
        id=next_id("a"),
        partner=owner,
        leaser=leaser,
        signed_at=T0,
        signed_by="admin",
        **values,  # type: ignore[arg-type]
    )


def contract(owner: Partner, publisher: Partner, reseller: Partner | None = None, **overrides: object) -> Contract:
    values: dict[str, object] = dict(
        customer=Customer.create("Boulangerie Martin"),
        periodicity=Periodicity.MONTHLY,
        term_months=36,
        start_date=date(2027, 1, 1),
        software_fee=Money.of("1000.00"),
        support_fee=Money.of("150.00"),
        created_at=T0,
        created_by="user",
    )
    values.update(overrides)
    return Contract.create(id=next_id("c"), owner=owner, publisher=publisher, reseller=reseller, **values)  # type: ignore[arg-type]


def payout(pid: str, kind: PayoutKind, payer_id: str, beneficiary_id: str, amount: Money, due: datetime) -> Payout:
    """A SCHEDULED payout, recorded when it fell due."""
    return Payout(
        id=pid,
        kind=kind,
        status=PayoutStatus.SCHEDULED,
        amount=amount,
        beneficiary_id=beneficiary_id,
        payer_id=payer_id,
        created_at=due,
        due_by=due,
    )


def principal(role: Role | str, partner_id: str | None = None, sub: str | None = None) -> Principal:
    """A user of that role (for `integration` without a partner: the platform's e-signature connector)."""
    role = Role(role) if isinstance(role, str) else role
    if role is Role.INTEGRATION and partner_id is None:
        return Principal.platform_connector(sub or "esign-connector")
    return Principal(sub=sub or f"user-{role.value}", roles=frozenset({role}), partner_id=partner_id)


LEASER_ADMIN = principal(Role.LEASER_ADMIN)
