"""Who may do what (DESIGN 4), as pure functions of the caller and the data.

The caller is a `Principal` built from the JWT claims Cognito issues (`sub`,
`custom:partner_id`, `cognito:groups`). Leaser staff see everything; a partner's users
(and an integration token that carries a partner) see only their own partner's data and
the contracts where their partner plays a role.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from channelfin.domain.errors import PermissionDenied


class Role(enum.Enum):
    LEASER_ADMIN = "leaser-admin"
    CREDIT_ANALYST = "credit-analyst"
    TREASURY = "treasury"
    PARTNER_ADMIN = "partner-admin"
    PARTNER_USER = "partner-user"
    INTEGRATION = "integration"


LEASER_STAFF = frozenset({Role.LEASER_ADMIN, Role.CREDIT_ANALYST, Role.TREASURY})
PARTNER_ROLES = frozenset({Role.PARTNER_ADMIN, Role.PARTNER_USER, Role.INTEGRATION})


@dataclass(frozen=True, slots=True)
class Principal:
    sub: str
    roles: frozenset[Role]
    partner_id: str | None = None
    connector: bool = False  # the platform's own machine client (e-signature), known by its client id

    @classmethod
    def from_groups(cls, sub: str, groups: Iterable[str], partner_id: str | None = None) -> Principal | None:
        """A user (or an integrator's client acting for a partner); None when no group we know is left.

        Removing a user from its groups cuts it off, whatever partner its token still names; a
        token that names a partner carries none of the leaser staff's roles.
        """
        known = {r.value: r for r in Role}
        roles = frozenset(known[g] for g in groups if g in known)
        if partner_id:
            # Leaser staff act for no partner. A user who is both (a partner's user put in a staff
            # group) keeps only the partner's roles: else a credit analyst of a publisher approved
            # its own files and confirmed its own mailbox as the end client's signatory.
            roles -= LEASER_STAFF
        if not roles:
            return None
        return cls(sub=sub, roles=roles, partner_id=partner_id or None)

    @classmethod
    def platform_connector(cls, sub: str) -> Principal:
        return cls(sub=sub, roles=frozenset({Role.INTEGRATION}), connector=True)

    @property
    def is_leaser_staff(self) -> bool:
        return bool(self.roles & LEASER_STAFF)

    @property
    def is_platform_connector(self) -> bool:
        """The platform's own connector (e-signature): a configured machine client, never a group member."""
        return self.connector and Role.INTEGRATION in self.roles and self.partner_id is None

    @property
    def sees_everything(self) -> bool:
        return self.is_leaser_staff or self.is_platform_connector

    def has_any(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    def acts_for(self, partner_id: str) -> bool:
        """A partner's own users (or its integration token) acting for that partner."""
        return self.partner_id == partner_id and bool(self.roles & PARTNER_ROLES)

    def can_see_partner(self, partner_id: str) -> bool:
        return self.sees_everything or self.acts_for(partner_id)

    def can_see_any_of(self, partner_ids: Iterable[str]) -> bool:
        return self.sees_everything or any(self.acts_for(p) for p in partner_ids)


def require(principal: Principal, *roles: Role, action: str) -> None:
    if not principal.has_any(*roles):
        allowed = ", ".join(r.value for r in roles)
        raise PermissionDenied(f"{action} needs one of the roles: {allowed}")


def require_acting_for(principal: Principal, partner_id: str, *, action: str, field: list[str]) -> None:
    if not principal.acts_for(partner_id):
        raise PermissionDenied(f"{action} is done by that partner's own users", field=field)
