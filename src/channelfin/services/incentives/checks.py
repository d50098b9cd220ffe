"""Checks the reseller-support use cases share: who acts, which partner plays which role, references."""

from __future__ import annotations

from channelfin.domain.access import Principal, Role, require, require_acting_for
from channelfin.domain.error_codes import CommonCode
from channelfin.domain.errors import NotFound, ValidationError
from channelfin.domain.partners import MISSING_ROLE, Partner, PartnerRole
from channelfin.services.ports import Ports

MAX_QUOTE_LINES = 100
MAX_REFERENCE_LENGTH = 100


def require_admin_of(principal: Principal, partner_id: str, *roles: Role, action: str, field: list[str]) -> None:
    """The partner's own users with one of `roles` (a leaser-admin may act on any partner)."""
    if principal.has_any(Role.LEASER_ADMIN):
        return
    require(principal, *roles, action=action)
    require_acting_for(principal, partner_id, action=action, field=field)


def partner_with_role(ports: Ports, partner_id: str, role: PartnerRole, field: str) -> Partner:
    partner = ports.partners.get(partner_id)
    if partner is None:
        raise NotFound("no such partner", field=[field])
    if not partner.has_role(role):
        raise ValidationError(
            f"that partner is not a {role.value.lower().replace('_', ' ')}", code=MISSING_ROLE[role], field=[field]
        )
    return partner


def clean_reference(reference: str | None) -> str | None:
    if reference is None:
        return None
    reference = reference.strip()
    if len(reference) > MAX_REFERENCE_LENGTH:
        raise ValidationError(
            f"at most {MAX_REFERENCE_LENGTH} characters", code=CommonCode.TOO_LONG, field=["reference"]
        )
    return reference or None
