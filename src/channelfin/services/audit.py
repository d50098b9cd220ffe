"""Reading the audit trail (leaser admins only); entries are written by the API layer for every mutation."""

from __future__ import annotations

from datetime import date

from ..domain.access import Principal, Role, require
from ..domain.audit import AuditEntry
from .paging import Page, PageRequest
from .ports import Ports


def audit_trail(ports: Ports, principal: Principal, *, day: date, page: PageRequest) -> Page[AuditEntry]:
    require(principal, Role.LEASER_ADMIN, action="auditTrail")
    return ports.audit.entries_of_day(day, page)
