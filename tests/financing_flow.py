"""Driving a contract through the financing flow with the GraphQL operations, as each role would."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from channelfin.api.core.ids import from_global_id
from channelfin.domain.access import Principal
from tests import operations as ops
from tests.factories import LEASER_ADMIN, principal
from tests.wait import wait_until
from tests.world import World

ANALYST = principal("credit-analyst", sub="analyst-ana")
TREASURY = principal("treasury", sub="treasury-tom")
SIGNATURE_CONNECTOR = principal("integration", sub="esign-connector")


@dataclass
class FinancingFlow:
    world: World

    @property
    def owner(self) -> Principal:
        return self.world.user_of(self.world.publisher, "partner-admin")

    def new_contract(self, **overrides: Any) -> str:
        return self.world.create_contract(**overrides)["id"]

    def _mutate(self, who: Principal, operation: str, name: str, **fields: Any) -> dict[str, Any]:
        result = self.world.run(who, operation, input=fields)
        assert result.errors == [], result.errors
        return result.data[name]

    def request(self, contract: str, who: Principal | None = None, agreement: str | None = None) -> dict[str, Any]:
        return self._mutate(
            who or self.owner,
            ops.REQUEST_FINANCING,
            "requestFinancing",
            contractId=contract,
            agreementId=agreement or self.world.agreement,
        )

    def review(self, contract: str, approve: bool, who: Principal = ANALYST, comment: str | None = None):
        return self._mutate(
            who, ops.REVIEW_FINANCING, "reviewFinancing", contractId=contract, approve=approve, comment=comment
        )

    def sign(self, contract: str, document: str, who: Principal = SIGNATURE_CONNECTOR) -> dict[str, Any]:
        return self._mutate(
            who,
            ops.RECORD_SIGNATURE,
            "recordSignature",
            contractId=contract,
            document=document,
            signedBy="Marie Martin",
        )

    def sign_both(self, contract: str) -> None:
        for document in ("SALE_CONTRACT", "LEASE_CONTRACT"):
            assert self.sign(contract, document)["userErrors"] == []

    def decline(self, contract: str) -> dict[str, Any]:
        return self._mutate(
            SIGNATURE_CONNECTOR,
            ops.DECLINE_SIGNATURE,
            "declineSignature",
            contractId=contract,
            document="LEASE_CONTRACT",
            declinedBy="Marie Martin",
            reason="the rent is too high",
        )

    def deliver(self, contract: str, who: Principal | None = None) -> dict[str, Any]:
        return self._mutate(
            who or self.owner,
            ops.SUBMIT_DELIVERY_REPORT,
            "submitDeliveryReport",
            contractId=contract,
            installedAt="2026-11-01",
            signedBy="Marie Martin",
        )

    def collect(self, contract: str, installment: int, who: Principal = TREASURY) -> dict[str, Any]:
        return self._mutate(
            who, ops.RECORD_INSTALLMENT, "recordInstallmentCollected", contractId=contract, installment=installment
        )

    def read(self, contract: str, who: Principal = LEASER_ADMIN) -> dict[str, Any]:
        result = self.world.run(who, ops.FINANCED_CONTRACT, id=contract)
        assert result.errors == [], result.errors
        return result.data["contract"]

    def wait_for(self, contract: str, *statuses: str, timeout: float = 20, waiting_for: str | None = None):
        """Poll until the contract is in one of `statuses` (and, if given, its workflow waits for that step)."""
        last: dict[str, Any] = {}

        def arrived() -> dict[str, Any] | None:
            current = last["contract"] = self.read(contract)
            financing = current["financing"] or {}
            if current["status"] in statuses and (waiting_for is None or financing.get("waitingFor") == waiting_for):
                return current
            return None

        def still() -> str:
            current = last["contract"]
            return (
                f"still {current['status']} (waiting for {(current['financing'] or {}).get('waitingFor')}), "
                f"wanted {statuses}: {current['timeline']}"
            )

        return wait_until(arrived, timeout=timeout, what=still)

    @staticmethod
    def local(contract: str) -> str:
        return from_global_id(contract)[1]

    @staticmethod
    def payouts(contract_data: dict[str, Any], kind: str | None = None) -> list[dict[str, Any]]:
        nodes = [e["node"] for e in contract_data["payouts"]["edges"]]
        return [n for n in nodes if kind is None or n["kind"] == kind]
