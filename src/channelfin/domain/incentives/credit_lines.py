"""Distributor credit lines (encours): limits, the credit-insurer guard, firm orders, what campaigns add."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from channelfin.domain.error_codes import CommonCode, IncentiveCode
from channelfin.domain.errors import Conflict, PermissionDenied, ValidationError
from channelfin.domain.incentives.campaigns import CampaignKind, IncentiveCampaign, in_force
from channelfin.domain.money import Money
from channelfin.domain.partners import PartnerRole

# ---------------------------------------------------------------- credit lines


class CreditChangeAction(enum.Enum):
    OPENED = "OPENED"  # the first limit of a line
    APPLIED = "APPLIED"  # a raise or a moderate cut, in force at once
    HELD = "HELD"  # a cut to zero or by more than half, waiting for a second user
    CONFIRMED = "CONFIRMED"  # the held cut, confirmed by a different user: now in force
    WITHDRAWN = "WITHDRAWN"  # the held cut, dropped: the old limit stays


@dataclass(frozen=True, slots=True)
class CreditLineEvent:
    action: CreditChangeAction
    at: datetime
    by: str
    from_limit: Money
    to_limit: Money


@dataclass(frozen=True, slots=True)
class PendingCreditChange:
    from_limit: Money
    to_limit: Money
    requested_by: str
    requested_at: datetime


def is_drastic_cut(old: Money, new: Money) -> bool:
    """The credit-insurer guard: to zero, or by more than half (a cut to exactly half applies)."""
    return new < old and (new.amount == 0 or new.amount * 2 < old.amount)


# A cut is measured against the highest limit in force over this window, so that a cut made in
# steps (20,000 → 10,000 → 5,000 → 2,500, each by half) is held like the cut it adds up to.
CUT_LOOKBACK = timedelta(days=30)
IN_FORCE_ACTIONS = frozenset({"OPENED", "APPLIED", "CONFIRMED"})


@dataclass(frozen=True, slots=True)
class CreditPosition:
    """What a reseller may still order at a distributor at one moment."""

    insured_limit: Money
    guarantees: Money
    order_extras: Money
    outstanding: Money

    @property
    def available(self) -> Money:
        return self.insured_limit + self.guarantees + self.order_extras - self.outstanding


class MovementKind(enum.Enum):
    FIRM_ORDER = "FIRM_ORDER"  # charges the line
    RESELLER_PAYMENT = "RESELLER_PAYMENT"  # the reseller paid the distributor: reduces the outstanding


@dataclass(frozen=True, slots=True)
class CreditMovement:
    id: str
    credit_line_id: str
    kind: MovementKind
    amount: Money
    at: datetime
    by: str
    licence_program: str | None = None
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class CreditLine:
    """A reseller's credit (encours) at one distributor; one line per pair."""

    id: str
    distributor_id: str
    reseller_id: str
    insured_limit: Money
    outstanding: Money
    created_at: datetime
    pending_change: PendingCreditChange | None = None
    history: tuple[CreditLineEvent, ...] = ()
    version: int = 1

    @staticmethod
    def id_for(distributor_id: str, reseller_id: str) -> str:
        return f"{distributor_id}.{reseller_id}"

    @classmethod
    def open(cls, *, distributor_id: str, reseller_id: str, limit: Money, by: str, at: datetime) -> CreditLine:
        _check_limit(limit)
        limit = limit.rounded()
        return cls(
            id=cls.id_for(distributor_id, reseller_id),
            distributor_id=distributor_id,
            reseller_id=reseller_id,
            insured_limit=limit,
            outstanding=Money.zero(limit.currency),
            created_at=at,
            history=(CreditLineEvent(CreditChangeAction.OPENED, at, by, Money.zero(limit.currency), limit),),
        )

    def _next(self, **changes: object) -> CreditLine:
        """Every change moves the version, which the store's conditional write checks."""
        return replace(self, version=self.version + 1, **changes)  # type: ignore[arg-type]

    def _logged(
        self, action: CreditChangeAction, by: str, at: datetime, old: Money, new: Money
    ) -> tuple[CreditLineEvent, ...]:
        return (*self.history, CreditLineEvent(action, at, by, old, new))

    def highest_limit_since(self, since: datetime) -> Money:
        """The highest insured limit in force at any time from `since` until now."""
        in_force_then = Money.zero(self.insured_limit.currency)
        limits = [self.insured_limit]
        for event in self.history:  # oldest first
            if event.action.value not in IN_FORCE_ACTIONS:
                continue
            if event.at <= since:
                in_force_then = event.to_limit
            else:
                limits.append(event.to_limit)
        return max([in_force_then, *limits])

    def set_limit(self, limit: Money, *, by: str, at: datetime, lookback: timedelta = CUT_LOOKBACK) -> CreditLine:
        """A raise or a moderate cut applies at once; a drastic cut is held for a second user.

        Drastic against the highest limit in force over `lookback`, not only the current one.
        """
        _check_limit(limit)
        limit = limit.rounded()
        if self.pending_change is not None:
            raise Conflict(
                "a cut of this line waits for confirmation: confirm or withdraw it first",
                code=IncentiveCode.CHANGE_PENDING,
                field=["insuredLimit"],
            )
        old = self.insured_limit
        if limit == old:
            return self
        if limit < old and is_drastic_cut(self.highest_limit_since(at - lookback), limit):
            return self._next(
                pending_change=PendingCreditChange(old, limit, by, at),
                history=self._logged(CreditChangeAction.HELD, by, at, old, limit),
            )
        return self._next(insured_limit=limit, history=self._logged(CreditChangeAction.APPLIED, by, at, old, limit))

    def confirm_change(self, *, by: str, at: datetime) -> CreditLine:
        pending = self._pending()
        if by == pending.requested_by:
            raise PermissionDenied(
                "a held cut is confirmed by a different user than the one who asked for it",
                field=["creditLineId"],
            )
        return self._next(
            insured_limit=pending.to_limit,
            pending_change=None,
            history=self._logged(CreditChangeAction.CONFIRMED, by, at, pending.from_limit, pending.to_limit),
        )

    def withdraw_change(self, *, by: str, at: datetime) -> CreditLine:
        pending = self._pending()
        return self._next(
            pending_change=None,
            history=self._logged(CreditChangeAction.WITHDRAWN, by, at, pending.from_limit, pending.to_limit),
        )

    def _pending(self) -> PendingCreditChange:
        if self.pending_change is None:
            raise Conflict("no change of this line waits for confirmation", code=IncentiveCode.NO_PENDING_CHANGE)
        return self.pending_change

    def position(self, guarantees: Money, order_extras: Money) -> CreditPosition:
        return CreditPosition(self.insured_limit, guarantees, order_extras, self.outstanding)

    def charge(self, amount: Money, position: CreditPosition) -> CreditLine:
        """A firm order: refused, nothing changed, if it does not fit the credit available before it."""
        _check_movement(amount)
        if amount > position.available:
            raise Conflict(
                f"the order ({amount.rounded()}) exceeds the credit available ({position.available.rounded()})",
                code=IncentiveCode.CREDIT_LIMIT_EXCEEDED,
                field=["amount"],
            )
        return self._next(outstanding=self.outstanding + amount.rounded())

    def repay(self, amount: Money) -> CreditLine:
        _check_movement(amount)
        if amount > self.outstanding:
            raise ValidationError(
                f"the payment ({amount.rounded()}) is more than the outstanding ({self.outstanding})",
                code=IncentiveCode.PAYMENT_EXCEEDS_OUTSTANDING,
                field=["amount"],
            )
        return self._next(outstanding=self.outstanding - amount.rounded())


def _check_limit(limit: Money) -> None:
    if limit.is_negative:
        raise ValidationError(
            "insuredLimit may not be negative", code=CommonCode.INVALID_AMOUNT, field=["insuredLimit"]
        )


def _check_movement(amount: Money) -> None:
    if amount.amount <= 0:
        raise ValidationError("amount must be positive", code=CommonCode.INVALID_AMOUNT, field=["amount"])
    if amount.rounded() != amount:
        raise ValidationError("amount is in whole cents", code=CommonCode.INVALID_AMOUNT, field=["amount"])


def credit_guarantees(
    campaigns: Iterable[IncentiveCampaign], *, distributor_id: str, reseller_roles: Iterable[PartnerRole], at: datetime
) -> Money:
    roles = frozenset(reseller_roles)
    found = [
        c.amount
        for c in in_force(campaigns, CampaignKind.CREDIT_GUARANTEE, at)
        if c.amount is not None and c.covers_distributor(distributor_id) and c.covers_roles(roles)
    ]
    return sum(found, Money.zero())


def order_extras(
    campaigns: Iterable[IncentiveCampaign],
    orders: Iterable[CreditMovement],
    *,
    distributor_id: str,
    reseller_roles: Iterable[PartnerRole],
    at: datetime,
) -> Money:
    """Per ORDER_CREDIT campaign in force: `amount` × the full `per_order_amount`s of its firm orders."""
    roles = frozenset(reseller_roles)
    orders = [o for o in orders if o.kind is MovementKind.FIRM_ORDER]
    extras = Money.zero()
    for c in in_force(campaigns, CampaignKind.ORDER_CREDIT, at):
        if not (c.covers_distributor(distributor_id) and c.covers_roles(roles)):
            continue
        assert c.amount is not None and c.per_order_amount is not None
        counted = sum(
            (o.amount for o in orders if c.starts_at <= o.at < c.ends_at and c.covers_programme(o.licence_program)),
            Money.zero(),
        )
        extras += c.amount * int(counted.amount // c.per_order_amount.amount)
    return extras
