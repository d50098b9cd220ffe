"""Reading the audit trail (leaser admins only); entries are written by the API layer for every mutation."""

from __future__ import annotations

from datetime import date

from channelfin.domain.access import Principal, Role, require
from channelfin.domain.audit import AuditEntry
from channelfin.services.paging import Page, PageRequest
from channelfin.services.ports import Ports


def audit_trail(ports: Ports, principal: Principal, *, day: date, page: PageRequest) -> Page[AuditEntry]:
    require(principal, Role.LEASER_ADMIN, action="auditTrail")
    return ports.audit.entries_of_day(day, page)
