"""A small world built through the API itself: a leaser, a publisher, resellers, an agreement."""

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


def register(ports: Ports, name: str, *roles: str) -> str:
    result = execute(ports, LEASER_ADMIN, ops.REGISTER_PARTNER, input={"name": name, "roles": list(roles)})
    assert result.errors == [] and result.data["registerPartner"]["userErrors"] == [], result
    return result.data["registerPartner"]["partner"]["id"]


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
    return World(ports, leaser, publisher, reseller, stranger, result.data["signFinancingAgreement"]["agreement"]["id"])
