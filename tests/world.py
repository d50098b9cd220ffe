"""A small world built through the API itself: a leaser, a publisher, resellers, an agreement.

The publisher and its reseller have an accepted reseller link, so the reseller may be named on
the publisher's contracts; the stranger has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from channelfin.api.core.ids import from_global_id
from channelfin.domain.access import Principal
from channelfin.services.ports import Ports
from tests import operations as ops
from tests.factories import LEASER_ADMIN, principal
from tests.graphql_client import Result, execute


@dataclass
class World:
    ports: Ports
    leaser: str
    publisher: str
    reseller: str
    stranger: str
    agreement: str

    def run(self, who: Principal | None, query: str, **variables: Any) -> Result:
        return execute(self.ports, who, query, **variables)

    def user_of(self, partner_gid: str, role: str = "partner-user") -> Principal:
        return principal(role, partner_id=from_global_id(partner_gid)[1], sub=f"{role}-of-{partner_gid[:12]}")

    def contract_input(self, **overrides: Any) -> dict[str, Any]:
        value = {
            "ownerId": self.publisher,
            "publisherId": self.publisher,
            "resellerId": self.reseller,
            "customer": {"name": "Boulangerie Martin", "registrationNumber": "732 829 320"},
            "periodicity": "MONTHLY",
            "termMonths": 36,
            "startDate": "2027-01-01",
            "softwareFee": "1000.00",
            "supportFee": "150.00",
        }
        value.update(overrides)
        return value

    def create_contract(self, who: Principal | None = None, **overrides: Any) -> dict[str, Any]:
        result = self.run(
            who or self.user_of(overrides.get("ownerId", self.publisher)),
            ops.CREATE_CONTRACT,
            input=self.contract_input(**overrides),
        )
        assert result.errors == [], result.errors
        payload = result.data["createContract"]
        assert payload["userErrors"] == [], payload["userErrors"]
        return payload["contract"]

    def link(self, reseller: str, publisher: str | None = None) -> dict[str, Any]:
        """A reseller link asked for by the publisher's partner-admin and accepted by the reseller's."""
        return link(self.ports, publisher or self.publisher, reseller)


def _ok(ports: Ports, who: Principal, query: str, name: str, /, **fields: Any) -> dict[str, Any]:
    result = execute(ports, who, query, input=fields)
    assert result.errors == [], result.errors
    payload = result.data[name]
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload


def admin_of(partner_gid: str) -> Principal:
    local = from_global_id(partner_gid)[1]
    return principal("partner-admin", partner_id=local, sub=f"consent-admin-of-{local}")


def link(ports: Ports, publisher: str, reseller: str) -> dict[str, Any]:
    """A reseller link asked for by the publisher's partner-admin and accepted by the reseller's."""
    asked = _ok(
        ports, admin_of(publisher), ops.REQUEST_LINK, "requestResellerLink", publisherId=publisher, resellerId=reseller
    )
    link_id = asked["link"]["id"]
    return _ok(ports, admin_of(reseller), ops.ACCEPT_LINK, "acceptResellerLink", linkId=link_id)["link"]


def accept_enrollment(ports: Ports, enrollment: str, partner: str) -> dict[str, Any]:
    """The enrolled partner's partner-admin accepts the publisher's offer."""
    return _ok(ports, admin_of(partner), ops.ACCEPT_ENROLLMENT, "acceptEnrollment", enrollmentId=enrollment)[
        "enrollment"
    ]


def register(ports: Ports, name: str, *roles: str) -> str:
    result = execute(ports, LEASER_ADMIN, ops.REGISTER_PARTNER, input={"name": name, "roles": list(roles)})
    assert result.errors == [] and result.data["registerPartner"]["userErrors"] == [], result
    return result.data["registerPartner"]["partner"]["id"]


ANALYST_ANA = principal("credit-analyst", sub="analyst-ana")
MARIE = {"name": "Marie Martin", "email": "marie.martin@boulangerie-martin.fr"}


def confirm_signatory(ports: Ports, siren: str, signatory: dict[str, str] = MARIE) -> None:
    """The leaser knows who signs for that end client: its files' upfront payouts are not held for it."""
    _ok(ports, ANALYST_ANA, ops.CONFIRM_SIGNATORY, "confirmSignatory", registrationNumber=siren, **signatory)


def build_world(ports: Ports) -> World:
    leaser = register(ports, "Leasecom", "LEASER")
    publisher = register(ports, "all-in-web", "PUBLISHER")
    reseller = register(ports, "Logiciels du Sud", "RESELLER")
    stranger = register(ports, "Revendeur Tiers", "RESELLER", "PUBLISHER")
    result = execute(
        ports,
        LEASER_ADMIN,
        ops.SIGN_AGREEMENT,
        input={
            "partnerId": publisher,
            "leaserId": leaser,
            "annualRate": "0.06",
            "fileFee": "150.00",
        },
    )
    assert result.errors == [], result.errors
    link(ports, publisher, reseller)
    confirm_signatory(ports, "732 829 320")
    return World(ports, leaser, publisher, reseller, stranger, result.data["signFinancingAgreement"]["agreement"]["id"])
