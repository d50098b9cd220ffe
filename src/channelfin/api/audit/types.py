"""GraphQL types of the audit trail of mutations."""

import datetime as dt

import strawberry

from channelfin.domain.audit import AuditEntry, AuditOutcome


@strawberry.type(name="AuditEntry", description="One mutation as it was asked and how it ended.")
class AuditEntryType:
    at: dt.datetime = strawberry.field(description="When (UTC).")
    actor: str = strawberry.field(description="The user or machine client (JWT `sub`).")
    roles: list[str] = strawberry.field(description="The caller's roles (Cognito groups) when it acted.")
    partner_id: str | None = strawberry.field(description="The partner the caller acted for, if any (raw id).")
    operation: str = strawberry.field(description="The mutation, e.g. recordFirmOrder.")
    outcome: AuditOutcome = strawberry.field(description="Done, refused for a business reason, or denied.")
    arguments: str = strawberry.field(description="Its arguments as JSON (cut at 4,000 characters).")
    codes: list[str] = strawberry.field(description="The userError or error codes of a REFUSED or DENIED call.")

    @classmethod
    def from_domain(cls, e: AuditEntry) -> "AuditEntryType":
        return cls(
            at=e.at,
            actor=e.actor,
            roles=list(e.roles),
            partner_id=e.partner_id,
            operation=e.operation,
            outcome=e.outcome,
            arguments=e.arguments,
            codes=list(e.codes),
        )
