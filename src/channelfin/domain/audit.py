"""The audit trail: who asked for what change, when, and how it ended (kept for leaser admins)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class AuditOutcome(enum.Enum):
    DONE = "DONE"  # the change was made
    REFUSED = "REFUSED"  # a business refusal (userErrors): nothing changed
    DENIED = "DENIED"  # not allowed (FORBIDDEN) or failed (a masked error): nothing to show for it


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: str
    at: datetime
    actor: str  # the JWT `sub`
    roles: tuple[str, ...]
    partner_id: str | None
    operation: str  # the mutation's field name, e.g. recordFirmOrder
    outcome: AuditOutcome
    arguments: str  # the mutation's arguments as JSON, cut at MAX_ARGUMENTS_CHARS
    codes: tuple[str, ...] = ()  # the userError or error codes, for REFUSED and DENIED

    MAX_ARGUMENTS_CHARS = 4000
