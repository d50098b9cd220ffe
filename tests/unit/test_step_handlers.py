"""The Lambda entry points of the state machines: one per Task, logging under the workflow's subject."""

from __future__ import annotations

import inspect
import io
import json
from dataclasses import dataclass
from types import ModuleType

import pytest
from aws_lambda_powertools import Logger

from channelfin.handlers import escrow_steps, financing_steps, payment_steps, workflow_task
from channelfin.handlers.workflow_task import lambda_name
from channelfin.workflows.definitions import definition_path, placeholders


@dataclass
class LambdaContext:
    function_name: str = "channelfin-test-Disburse"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:eu-west-3:000000000000:function:channelfin-test-Disburse"
    aws_request_id: str = "req-1"


def entries(module: ModuleType) -> set[str]:
    return {name for name, _ in inspect.getmembers(module, inspect.isfunction) if not name.startswith("_")}


@pytest.mark.parametrize(
    ("definition", "module"), [("financing", financing_steps), ("escrow", escrow_steps), ("payments", payment_steps)]
)
def test_every_task_of_a_definition_has_its_lambda_entry_in_its_module(definition, module):
    tasks = {lambda_name(step) for step in placeholders(definition_path(definition).read_text())}
    assert tasks == entries(module) - {"task", "start_due_runs", "workflow_ports"}


def test_a_step_logs_under_its_contract_with_the_function_context(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr(workflow_task.logger.registered_handler, "stream", stream)
    library_logger = Logger(service="channelfin", child=True)

    def run_step(ports, step, event):
        library_logger.info("step ran")  # a library module's child logger
        return {"payoutId": "pay-1", "step": step}

    monkeypatch.setattr("channelfin.workflows.dispatch.run_step", run_step)
    monkeypatch.setattr("channelfin.handlers.workflow_task.workflow_ports", lambda: None)

    answer = financing_steps.disburse({"contractId": "c-42", "payoutId": "pay-1"}, LambdaContext())

    assert answer == {"payoutId": "pay-1", "step": "Disburse"}
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    ran = next(line for line in lines if line["message"] == "step ran")
    assert ran["correlation_id"] == "c-42"
    assert ran["function_name"] == "channelfin-test-Disburse"
    assert ran["step"] == "Disburse"
    assert ran["service"] == "channelfin"
