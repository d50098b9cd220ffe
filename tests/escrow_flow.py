"""Continuity driven through GraphQL: an escrow agreement, a declared default, a second admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from channelfin.api.core.ids import from_global_id
from tests import operations as ops
from tests.factories import LEASER_ADMIN, principal
from tests.world import World, register

SECOND_ADMIN = principal("leaser-admin", sub="second-admin")


@dataclass
class EscrowFlow:
    world: World
    host: str = ""
    provider: str = ""
    agreement: str = ""

    def setup(self, *, deposit_age_days: int = 30) -> dict[str, Any]:
        self.host = register(self.world.ports, "OVH Hébergement", "HOST")
        self.provider = register(self.world.ports, "SSII Continuité", "SERVICES_FIRM")
        # The ports' clock, not the machine's: the fakes' clock starts on a fixed day.
        deposit = self.world.ports.clock() - timedelta(days=deposit_age_days)
        result = self.world.run(
            LEASER_ADMIN,
            ops.SIGN_ESCROW,
            input={
                "leaserId": self.world.leaser,
                "publisherId": self.world.publisher,
                "hostId": self.host,
                "continuityProviderId": self.provider,
                "products": ["all-in-web CRM"],
                "depositReference": "APP-2026-114",
                "lastDepositAt": deposit.isoformat(),
            },
        )
        assert result.errors == [], result.errors
        payload = result.data["signEscrowAgreement"]
        assert payload["userErrors"] == [], payload["userErrors"]
        self.agreement = payload["escrowAgreement"]["id"]
        return payload["escrowAgreement"]

    @property
    def local(self) -> str:
        return from_global_id(self.agreement)[1]

    def declare(self, who=LEASER_ADMIN) -> Any:
        return self.world.run(
            who, ops.DECLARE_DEFAULT, input={"escrowAgreementId": self.agreement, "reason": "publisher in receivership"}
        )

    def confirm(self, who=SECOND_ADMIN, confirm: bool = True) -> Any:
        return self.world.run(who, ops.CONFIRM_TRIGGER, input={"escrowAgreementId": self.agreement, "confirm": confirm})

    def read(self, who=LEASER_ADMIN) -> dict[str, Any]:
        result = self.world.run(who, ops.ESCROW, id=self.agreement)
        assert result.errors == [], result.errors
        return result.data["escrowAgreement"]
