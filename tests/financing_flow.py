"""Driving a contract through the financing flow with the GraphQL operations, as each role would."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from channelfin.api.core.ids import from_global_id
from channelfin.domain.access import Principal
from channelfin.services import financing_workflow as steps
from channelfin.services.ports import Ports
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

    def sign(
        self,
        contract: str,
        document: str,
        who: Principal = SIGNATURE_CONNECTOR,
        override_reason: str | None = None,
        signed_by: str = "Marie Martin",
    ) -> dict[str, Any]:
        """The end client's signature as the provider reports it (or a leaser-admin's override, with a reason)."""
        fields: dict[str, Any] = {"contractId": contract, "document": document, "signedBy": signed_by}
        if override_reason is not None:
            fields["overrideReason"] = override_reason
        return self._mutate(who, ops.RECORD_SIGNATURE, "recordSignature", **fields)

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

    def sign_delivery(self, contract: str, who: Principal = SIGNATURE_CONNECTOR) -> dict[str, Any]:
        """The end client signs the submitted delivery report (the provider's word, via the connector)."""
        return self.sign(contract, "DELIVERY_REPORT", who=who)

    def decline_delivery(self, contract: str, reason: str = "not installed") -> dict[str, Any]:
        """The end client refuses to sign the submitted report (the provider's word, via the connector)."""
        return self._mutate(
            SIGNATURE_CONNECTOR,
            ops.DECLINE_SIGNATURE,
            "declineSignature",
            contractId=contract,
            document="DELIVERY_REPORT",
            declinedBy="Marie Martin",
            reason=reason,
        )

    def deliver_and_sign(self, contract: str) -> None:
        """The owner submits the report and the end client signs it: delivery is complete."""
        assert self.deliver(contract)["userErrors"] == []
        assert self.sign_delivery(contract)["userErrors"] == []

    def step(self, step: Callable[[Ports, str, str], None], contract: str, token: str) -> None:
        """Run a waiting workflow step in-process, as the engine would with a task token."""
        self.world.ports.workflows.issue(token)
        step(self.world.ports, self.local(contract), token)

    def transmit(self, contract: str) -> str:
        """Request, signatures and the signed delivery report, the workflow's steps run in-process (the
        fakes have no engine): the file is transmitted and its upfront payout created, not paid yet."""
        self.request(contract)
        self.step(steps.send_for_signature, contract, "t-sign")
        self.sign_both(contract)
        self.step(steps.await_delivery_report, contract, "t-delivery")
        self.deliver(contract)
        self.step(steps.send_delivery_report, contract, "t-report")
        self.sign_delivery(contract)
        steps.transmit_file(self.world.ports, self.local(contract))
        return steps.create_upfront_payout(self.world.ports, self.local(contract))["payoutId"]

    def to_active(self, contract: str) -> None:
        """The whole financing flow: transmitted, then paid and activated."""
        payout = self.transmit(contract)
        steps.disburse(self.world.ports, payout)
        steps.activate(self.world.ports, self.local(contract))

    def transmitted(self, **overrides: Any) -> str:
        """A new contract, transmitted: its upfront payout is created, not paid yet."""
        contract = self.new_contract(**overrides)
        self.transmit(contract)
        return contract

    def hold(self, contract: str, token: str = "t-hold") -> None:
        """The workflow's HoldUpfrontPayout step, run in-process."""
        self.step(steps.hold_upfront_payout, contract, token)

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
