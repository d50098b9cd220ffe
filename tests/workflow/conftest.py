"""Workflow layer: infra/*.asl.json executed by moto's interpreter (retries quickened), steps on DynamoDB Local."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest

from channelfin.local.stepfunctions_local import LocalStepFunctions
from tests.fakes import RecordedMetrics, ScriptedNotifier, ScriptedPayments
from tests.financing_flow import FinancingFlow
from tests.stack import pooled_ports
from tests.state_machines import quick_retries
from tests.wait import wait_until
from tests.world import build_world

pytestmark = pytest.mark.workflow


@pytest.fixture(scope="session")
def local_engine():
    engine = LocalStepFunctions(edit_definition=quick_retries)  # retries wait 1 s each: tests/state_machines.py
    engine.start()
    current = SimpleNamespace(ports=None)
    arn = engine.deploy_financing(lambda: current.ports)
    escrow_arn = engine.deploy_escrow(lambda: current.ports)
    payments_arn = engine.deploy_payments(lambda: current.ports)
    yield SimpleNamespace(engine=engine, arn=arn, escrow_arn=escrow_arn, payments_arn=payments_arn, current=current)
    engine.stop()


@dataclass
class WorkflowFlow(FinancingFlow):
    engine: LocalStepFunctions = None  # type: ignore[assignment]
    arn: str = ""
    escrow_arn: str = ""

    @property
    def notifier(self) -> ScriptedNotifier:
        return self.world.ports.notifier  # type: ignore[return-value]

    def escrow_execution(self, agreement_local_id: str, declaration: int = 1, timeout: float = 30) -> dict[str, Any]:
        name = f"escrow-{agreement_local_id}-{declaration}"
        return self._finished(self.escrow_arn.replace(":stateMachine:", ":execution:") + f":{name}", timeout)

    def _finished(self, execution_arn: str, timeout: float) -> dict[str, Any]:
        client = self.engine.client()

        def finished() -> dict[str, Any] | None:
            described = client.describe_execution(executionArn=execution_arn)
            return described if described["status"] != "RUNNING" else None

        return wait_until(finished, timeout=timeout, what=f"{execution_arn} still RUNNING")

    @property
    def payments(self) -> ScriptedPayments:
        return self.world.ports.payments  # type: ignore[return-value]

    @property
    def metrics(self) -> RecordedMetrics:
        return self.world.ports.metrics  # type: ignore[return-value]

    def set_timeout(self, key: str, seconds: int) -> None:
        self.world.ports.workflows.timeouts[key] = seconds  # type: ignore[attr-defined]

    def execution(self, contract: str, *, until_done: bool = True, timeout: float = 30) -> dict[str, Any]:
        execution_arn = self.arn.replace(":stateMachine:", ":execution:") + f":financing-{self.local(contract)}"
        if until_done:
            return self._finished(execution_arn, timeout)
        return self.engine.client().describe_execution(executionArn=execution_arn)

    def executions(self) -> list[dict[str, Any]]:
        return self.engine.client().list_executions(stateMachineArn=self.arn, maxResults=1000)["executions"]

    def execution_names(self, contract: str) -> list[str]:
        return [e["name"] for e in self.executions() if self.local(contract) in e["name"]]


@pytest.fixture
def flow(aws_local_env, table_pool, local_engine, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL_SFN", local_engine.engine.endpoint_url)
    env = {
        "CHANNELFIN_FINANCING_STATE_MACHINE_ARN": local_engine.arn,
        "CHANNELFIN_ESCROW_STATE_MACHINE_ARN": local_engine.escrow_arn,
        "CHANNELFIN_PAYMENTS_STATE_MACHINE_ARN": local_engine.payments_arn,
    }
    with pooled_ports(
        table_pool,
        env,
        payments=ScriptedPayments(),
        metrics=RecordedMetrics(),
        notifier=ScriptedNotifier(),
    ) as ports:
        local_engine.current.ports = ports
        yield WorkflowFlow(
            build_world(ports), engine=local_engine.engine, arn=local_engine.arn, escrow_arn=local_engine.escrow_arn
        )
        local_engine.engine.stop_running_executions(local_engine.arn)
        local_engine.engine.stop_running_executions(local_engine.escrow_arn)
