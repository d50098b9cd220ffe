"""Continuity (DESIGN 1.4): an escrow agreement keeps the service running if the publisher fails.

A declared default does nothing until a *different* leaser admin confirms it; then the
host and the end clients are told, the escrow deposit goes to the continuity provider,
and every affected contract is run and supported by that provider from then on.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from channelfin.domain.error_codes import CommonCode, ContractCode, EscrowCode
from channelfin.domain.errors import InvalidTransition, PermissionDenied, ValidationError

DEFAULT_STALE_DEPOSIT_DAYS = 180


class EscrowStatus(enum.Enum):
    ACTIVE = "ACTIVE"
    DEFAULT_DECLARED = "DEFAULT_DECLARED"
    TRIGGERED = "TRIGGERED"
    DISMISSED = "DISMISSED"


@dataclass(frozen=True, slots=True)
class EscrowEvent:
    """One step of the agreement's life: what, when, who."""

    step: str
    at: datetime
    actor: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Notification:
    recipient_id: str
    recipient_kind: str  # HOST, END_CLIENT, CONTINUITY_PROVIDER
    subject: str
    sent_at: datetime
    contract_id: str | None = None


@dataclass(frozen=True, slots=True)
class EscrowAgreement:
    id: str
    leaser_id: str
    publisher_id: str
    host_id: str
    continuity_provider_id: str
    products: tuple[str, ...]
    deposit_reference: str
    last_deposit_at: datetime
    signed_at: datetime
    signed_by: str
    status: EscrowStatus = EscrowStatus.ACTIVE
    default_reason: str | None = None
    declared_by: str | None = None
    declarations: int = 0
    confirmed_by: str | None = None
    deposit_released_at: datetime | None = None
    history: tuple[EscrowEvent, ...] = ()
    notifications: tuple[Notification, ...] = ()
    taken_over: tuple[str, ...] = ()  # contracts now under continuity
    task_token: str | None = None
    version: int = 1

    @classmethod
    def sign(
        cls,
        *,
        id: str,
        leaser_id: str,
        publisher_id: str,
        host_id: str,
        continuity_provider_id: str,
        products: list[str],
        deposit_reference: str,
        last_deposit_at: datetime,
        signed_at: datetime,
        signed_by: str,
    ) -> EscrowAgreement:
        cleaned = tuple(dict.fromkeys(p.strip() for p in products if p.strip()))
        if not cleaned:
            raise ValidationError("name at least one covered product", code=CommonCode.REQUIRED, field=["products"])
        if not deposit_reference.strip():
            raise ValidationError(
                "the escrow deposit reference is required", code=CommonCode.REQUIRED, field=["depositReference"]
            )
        if last_deposit_at > signed_at:
            raise ValidationError(
                "the last deposit is in the future", code=CommonCode.INVALID_DATE, field=["lastDepositAt"]
            )
        if continuity_provider_id == publisher_id:
            raise ValidationError(
                "the continuity provider cannot be the publisher",
                code=CommonCode.SAME_PARTNER,
                field=["continuityProviderId"],
            )
        return cls(
            id=id,
            leaser_id=leaser_id,
            publisher_id=publisher_id,
            host_id=host_id,
            continuity_provider_id=continuity_provider_id,
            products=cleaned,
            deposit_reference=deposit_reference.strip(),
            last_deposit_at=last_deposit_at,
            signed_at=signed_at,
            signed_by=signed_by,
            history=(EscrowEvent("SIGNED", signed_at, signed_by, f"deposit {deposit_reference.strip()}"),),
        )

    @property
    def party_ids(self) -> frozenset[str]:
        return frozenset({self.leaser_id, self.publisher_id, self.host_id, self.continuity_provider_id})

    def deposit_is_stale(self, now: datetime, max_age_days: int = DEFAULT_STALE_DEPOSIT_DAYS) -> bool:
        """A deposit older than that may not be enough to run the service."""
        return now - self.last_deposit_at > timedelta(days=max_age_days)

    @property
    def execution_name(self) -> str:
        return f"escrow-{self.id}-{self.declarations}"

    def _logged(
        self, step: str, at: datetime, actor: str, note: str | None = None, **changes: object
    ) -> EscrowAgreement:
        logged = replace(self, history=(*self.history, EscrowEvent(step, at, actor, note)), version=self.version + 1)
        return replace(logged, **changes)  # type: ignore[arg-type]  # each caller names fields of this dataclass

    def default_declared(self, *, reason: str, by: str, at: datetime) -> EscrowAgreement:
        if self.status not in (EscrowStatus.ACTIVE, EscrowStatus.DISMISSED):
            raise InvalidTransition(
                f"a {self.status.value} agreement cannot take a new declaration", code=ContractCode.NOT_ACTIVE
            )
        if not reason.strip():
            raise ValidationError("say why the publisher is in default", code=CommonCode.REQUIRED, field=["reason"])
        return self._logged(
            "DEFAULT_DECLARED",
            at,
            by,
            reason.strip(),
            status=EscrowStatus.DEFAULT_DECLARED,
            default_reason=reason.strip(),
            declared_by=by,
            declarations=self.declarations + 1,
            confirmed_by=None,
        )

    def decided(self, *, confirm: bool, by: str, at: datetime) -> EscrowAgreement:
        if self.status is not EscrowStatus.DEFAULT_DECLARED or self.confirmed_by is not None:
            raise InvalidTransition("no declared default waits for confirmation", code=EscrowCode.NOTHING_TO_CONFIRM)
        if by == self.declared_by:
            raise PermissionDenied("the default is confirmed by a different leaser admin than the one who declared it")
        if confirm:
            return self._logged("DEFAULT_CONFIRMED", at, by, confirmed_by=by, task_token=None)
        return self._logged("DISMISSED", at, by, status=EscrowStatus.DISMISSED, task_token=None)

    def waiting(self, token: str) -> EscrowAgreement:
        return replace(self, task_token=token, version=self.version + 1)

    def notified(self, notification: Notification, actor: str) -> EscrowAgreement:
        if any(
            (n.recipient_id, n.contract_id) == (notification.recipient_id, notification.contract_id)
            for n in self.notifications
        ):
            return self
        updated = replace(self, notifications=(*self.notifications, notification))
        note = f"{notification.recipient_kind} {notification.recipient_id}"
        return updated._logged("NOTIFIED", notification.sent_at, actor, note)

    def deposit_released(self, *, at: datetime, actor: str) -> EscrowAgreement:
        if self.deposit_released_at is not None:
            return self
        return self._logged(
            "DEPOSIT_RELEASED",
            at,
            actor,
            f"{self.deposit_reference} to {self.continuity_provider_id}",
            deposit_released_at=at,
        )

    def contract_taken_over(self, contract_id: str, *, at: datetime, actor: str) -> EscrowAgreement:
        if contract_id in self.taken_over:
            return self
        return self._logged(
            "CONTRACT_UNDER_CONTINUITY", at, actor, contract_id, taken_over=(*self.taken_over, contract_id)
        )

    def triggered(self, *, at: datetime, actor: str) -> EscrowAgreement:
        if self.status is EscrowStatus.TRIGGERED:
            return self
        if self.confirmed_by is None:
            raise InvalidTransition("the default was not confirmed", code=EscrowCode.NOT_CONFIRMED)
        return self._logged(
            "TRIGGERED", at, actor, f"{len(self.taken_over)} contract(s)", status=EscrowStatus.TRIGGERED
        )

    def expired_unconfirmed(self, *, at: datetime, actor: str) -> EscrowAgreement:
        if self.status is not EscrowStatus.DEFAULT_DECLARED or self.confirmed_by is not None:
            return self
        return self._logged(
            "DISMISSED", at, actor, "not confirmed in time", status=EscrowStatus.DISMISSED, task_token=None
        )
