"""Delivering one event to one endpoint: its attempts, when to try again, when to give up.

At least once: a delivery is PENDING until an attempt gets a 2xx answer (SUCCEEDED) or the
retry window (three days by default) has passed (FAILED). Attempts back off exponentially
with jitter. Whoever attempts a delivery first moves its next attempt past the attempt's
timeout (`claimed`), conditioned on the delivery as read: a second worker finds it taken,
and if the first dies mid-attempt the delivery is due again once that time has passed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from channelfin.domain.events import EventType

RESPONSE_EXCERPT_BYTES = 2048
DEFAULT_TIMEOUT_SECONDS = 10.0


class DeliveryStatus(enum.Enum):
    PENDING = "PENDING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


@dataclass(frozen=True, slots=True)
class Answer:
    """What one POST got: a status code (None when no HTTP answer came), the first 2 KB of the body."""

    status_code: int | None
    duration_ms: int
    body: str = ""
    error: str | None = None  # timeout, refused, TLS, an address refused by the URL rules...

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    def summary(self) -> str:
        return f"HTTP {self.status_code}" if self.status_code is not None else (self.error or "no answer")


@dataclass(frozen=True, slots=True)
class Attempt:
    number: int
    at: datetime
    status_code: int | None
    duration_ms: int
    response_body: str
    error: str | None = None


@dataclass(frozen=True, slots=True)
class RetrySchedule:
    """Exponential backoff from `first` (doubling, at most `longest`) with jitter, until `give_up_after`.

    The defaults: 30 s, 1 min, 2 min ... 8 h, for three days (about 20 attempts). Tests use seconds.
    """

    first: timedelta = timedelta(seconds=30)
    longest: timedelta = timedelta(hours=8)
    give_up_after: timedelta = timedelta(days=3)

    @classmethod
    def parse(cls, text: str) -> RetrySchedule:
        """`first,longest,give_up_after` in seconds (`CHANNELFIN_WEBHOOK_RETRY`), e.g. "0.2,1,5"."""
        first, longest, give_up = (float(part) for part in text.split(","))
        if not 0 < first <= longest or give_up <= 0:
            raise ValueError("CHANNELFIN_WEBHOOK_RETRY is first,longest,giveUpAfter in seconds, 0 < first <= longest")
        return cls(timedelta(seconds=first), timedelta(seconds=longest), timedelta(seconds=give_up))

    def delay(self, attempts_made: int, jitter: float) -> timedelta:
        """After the n-th failed attempt: first × 2^(n-1), capped, then between half and all of it."""
        base = min(self.longest, self.first * 2 ** max(attempts_made - 1, 0))
        return base * (0.5 + 0.5 * min(max(jitter, 0.0), 1.0))


@dataclass(frozen=True, slots=True)
class Delivery:
    id: str  # sorts by creation time: `dlv_<time>...`
    endpoint_id: str
    partner_id: str
    event_id: str
    event_type: EventType
    subject_id: str
    created_at: datetime
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: tuple[Attempt, ...] = ()
    next_attempt_at: datetime | None = None  # PENDING only: when it is due (or its claim runs out)
    version: int = 1

    @property
    def last_attempt_at(self) -> datetime | None:
        return self.attempts[-1].at if self.attempts else None

    def claimed(self, at: datetime, hold: timedelta) -> Delivery:
        """Taken by one worker for an attempt: not due again before `at + hold` (unless it records one)."""
        return replace(self, next_attempt_at=at + hold, version=self.version + 1)

    def attempted(
        self, answer: Answer, *, at: datetime, schedule: RetrySchedule, jitter: float, endpoint_enabled: bool = True
    ) -> Delivery:
        """The attempt recorded; SUCCEEDED on a 2xx, else due again after a backoff, or FAILED past the window."""
        attempt = Attempt(
            len(self.attempts) + 1,
            at,
            answer.status_code,
            answer.duration_ms,
            answer.body[:RESPONSE_EXCERPT_BYTES],
            answer.error,
        )
        done = replace(self, attempts=(*self.attempts, attempt), version=self.version + 1)
        if answer.succeeded:
            return replace(done, status=DeliveryStatus.SUCCEEDED, next_attempt_at=None)
        retry_at = at + schedule.delay(len(done.attempts), jitter)
        first = done.attempts[0].at
        if not endpoint_enabled or retry_at > first + schedule.give_up_after:
            return replace(done, status=DeliveryStatus.FAILED, next_attempt_at=None)
        return replace(done, next_attempt_at=retry_at)

    def abandoned(self, reason: str, at: datetime) -> Delivery:
        """The endpoint is gone or disabled: FAILED without a request, the reason kept as an attempt."""
        return self.attempted(
            Answer(None, 0, error=reason), at=at, schedule=RetrySchedule(), jitter=0, endpoint_enabled=False
        )
