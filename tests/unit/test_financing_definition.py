"""The shape of infra/financing.asl.json, and the check that guards it."""

from __future__ import annotations

import copy
import json

import pytest

from channelfin.domain.contract_status import NEXT_STATUSES, ContractStatus
from channelfin.workflows.definitions import check, definition_path, placeholders
from channelfin.workflows.dispatch import FINANCING_STEPS


@pytest.fixture(scope="module")
def definition():
    return json.loads(definition_path("financing").read_text())


def test_the_definition_is_well_formed(definition):
    assert check(definition, set(FINANCING_STEPS)) == []


def test_every_task_has_a_step_handler(definition):
    # Their Lambda entries: tests/unit/test_step_handlers.py.
    assert set(placeholders(definition_path("financing").read_text())) == set(FINANCING_STEPS)


def test_waiting_tasks_pass_their_token_and_time_out(definition):
    waiting = {n: s for n, s in definition["States"].items() if s.get("Resource", "").endswith(".waitForTaskToken")}
    # A held upfront payout waits for an analyst without a deadline: expiring would drop money owed.
    held = waiting.pop("HoldUpfrontPayout")
    assert held["Parameters"]["Payload"]["taskToken.$"] == "$$.Task.Token" and "TimeoutSecondsPath" not in held
    assert len(waiting) == 4  # credit review, signatures, the owner's report, the end client's signature of it
    for state in waiting.values():
        assert state["Parameters"]["Payload"]["taskToken.$"] == "$$.Task.Token"
        assert state["TimeoutSecondsPath"].startswith("$.timeouts.")
        assert any("States.Timeout" in c["ErrorEquals"] for c in state["Catch"])


def test_every_contract_status_is_reachable_from_draft():
    seen, todo = set(), [ContractStatus.DRAFT]
    while todo:
        status = todo.pop()
        if status not in seen:
            seen.add(status)
            todo.extend(NEXT_STATUSES[status])
    assert seen == set(ContractStatus)


@pytest.mark.parametrize(
    ("breakage", "problem"),
    [
        (lambda d: d["States"]["TransmitFile"].update(Next="Nowhere"), "TransmitFile goes to 'Nowhere'"),
        (lambda d: d["States"]["Activate"]["Parameters"].update(FunctionName="${Unknown}"), "'Unknown'"),
        (lambda d: d["States"]["SendForSignature"]["Parameters"]["Payload"].pop("taskToken.$"), "does not pass"),
        (lambda d: d["States"].update(Orphan={"Type": "Succeed"}), "Orphan is unreachable"),
        (lambda d: d.update(StartAt="Missing"), "StartAt 'Missing'"),
    ],
)
def test_the_check_finds_broken_definitions(definition, breakage, problem):
    broken = copy.deepcopy(definition)
    breakage(broken)
    assert any(problem in p for p in check(broken, set(FINANCING_STEPS))), check(broken, set(FINANCING_STEPS))
