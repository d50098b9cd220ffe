"""A publisher's partner program driven through GraphQL: tiers, attributions, sales.

An enrolment counts once its partner accepts it: `enroll` enrols and accepts, as the publisher's
and then the partner's partner-admin would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from channelfin.domain.access import Principal
from tests import operations as ops
from tests.financing_flow import SIGNATURE_CONNECTOR
from tests.world import World, accept_enrollment, register


@dataclass
class ProgramFlow:
    world: World
    program: str = ""
    partners: dict[str, str] = field(default_factory=dict)
    enrollments: dict[str, str] = field(default_factory=dict)

    @property
    def publisher_admin(self) -> Principal:
        return self.world.user_of(self.world.publisher, "partner-admin")

    def mutate(self, who: Principal, operation: str, field_name: str, **fields: Any) -> dict[str, Any]:
        result = self.world.run(who, operation, input=fields)
        assert result.errors == [], result.errors
        return result.data[field_name]

    def create_program(self, who: Principal | None = None, **overrides: Any) -> dict[str, Any]:
        """The publisher's program (rates above DESIGN 1.2's defaults need `who` to be a leaser-admin)."""
        fields = {"publisherId": self.world.publisher, "name": "Programme partenaires", "entryFeeRate": "0.03"}
        payload = self.mutate(
            who or self.publisher_admin, ops.CREATE_PROGRAM, "createPartnerProgram", **{**fields, **overrides}
        )
        assert payload["userErrors"] == [], payload["userErrors"]
        self.program = payload["program"]["id"]
        return payload["program"]

    def enroll(
        self,
        tier: str,
        *roles: str,
        potential: str | None = None,
        name: str | None = None,
        accept: bool = True,
        partner: str | None = None,
    ) -> dict[str, Any]:
        """A new partner (or `partner`, already enrolled at another tier) enrolled at `tier`, its
        enrolment accepted by its partner-admin (unless `accept` is False)."""
        partner = partner or register(self.world.ports, name or f"{tier.title()} SARL", *(roles or ("RESELLER",)))
        payload = self.mutate(
            self.publisher_admin,
            ops.ENROLL,
            "enrollPartner",
            programId=self.program,
            partnerId=partner,
            tier=tier,
            segmentPotential=potential,
        )
        assert payload["userErrors"] == [], payload["userErrors"]
        self.partners[tier] = partner
        self.enrollments[tier] = payload["enrollment"]["id"]
        if accept:
            self.accept(tier)
        return payload["enrollment"]

    def accept(self, tier: str) -> dict[str, Any]:
        return accept_enrollment(self.world.ports, self.enrollments[tier], self.partners[tier])

    def qualify(self, tier: str) -> None:
        payload = self.mutate(
            self.publisher_admin,
            ops.QUALIFY,
            "setTechnicalQualification",
            enrollmentId=self.enrollments[tier],
            qualified=True,
        )
        assert payload["userErrors"] == []

    def attributed_contract(self, tier: str, *, owner: str | None = None, **overrides: Any) -> dict[str, Any]:
        owner = owner or self.world.publisher
        fields = self.world.contract_input(
            ownerId=owner,
            resellerId=owner if owner != self.world.publisher else None,
            softwareFee="400.00",
            supportFee="100.00",
            enrollmentId=self.enrollments[tier],
            **overrides,
        )
        return self.mutate(self.world.user_of(owner, "partner-admin"), ops.CREATE_CONTRACT, "createContract", **fields)

    def sell(self, tier: str, **overrides: Any) -> str:
        payload = self.attributed_contract(tier, **overrides)
        assert payload["userErrors"] == [], payload["userErrors"]
        contract = payload["contract"]["id"]
        signed = self.mutate(
            SIGNATURE_CONNECTOR,
            ops.RECORD_SIGNATURE,
            "recordSignature",
            contractId=contract,
            document="SALE_CONTRACT",
            signedBy="Marie Martin",
        )
        assert signed["userErrors"] == [], signed["userErrors"]
        return contract

    def payouts_of(self, contract: str, kind: str | None = None) -> list[dict[str, Any]]:
        result = self.world.run(self.world_admin, ops.FINANCED_CONTRACT, id=contract)
        assert result.errors == [], result.errors
        nodes = [e["node"] for e in result.data["contract"]["payouts"]["edges"]]
        return sorted((n for n in nodes if kind is None or n["kind"] == kind), key=lambda n: n["id"])

    @property
    def world_admin(self) -> Principal:
        from tests.factories import LEASER_ADMIN

        return LEASER_ADMIN
