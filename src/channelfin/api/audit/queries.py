"""Root query fields of the audit trail."""

import datetime as dt
from typing import Annotated

import strawberry

from channelfin.api.audit.types import AuditEntryType
from channelfin.api.core.node import Info
from channelfin.api.core.pagination import After, Connection, First, paging
from channelfin.services import audit as audit_service


@strawberry.type
class AuditQueries:
    @strawberry.field(
        description="Every mutation of a UTC day, newest first: who, when, what, how it ended (leaser-admin)."
    )
    def audit_trail(
        self,
        info: Info,
        day: Annotated[dt.date, strawberry.argument(description="The UTC day whose entries are listed.")],
        first: First = None,
        after: After = None,
    ) -> Connection[AuditEntryType]:
        ctx = info.context
        request = paging(info, first, after)
        page = audit_service.audit_trail(ctx.ports, ctx.principal, day=day, page=request.request)
        return Connection[AuditEntryType].from_page(page, AuditEntryType.from_domain, request)
