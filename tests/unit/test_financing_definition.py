"""The shape of infra/financing.asl.json (and both definitions' retries), and the check that guards it."""

from __future__ import annotations

import copy
import json

import pytest

from channelfin.domain.contract_status import NEXT_STATUSES, ContractStatus
from channelfin.workflows.definitions import check, definition_path, placeholders
from channelfin.workflows.dispatch import FINANCING_STEPS
from tests.state_machines import quick_retries, retriers


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


# What each retrier of the deployed definitions does: errors → (IntervalSeconds, MaxAttempts, BackoffRate).
DESIGNED_RETRIES = {
    # The Lambda errors AWS asks every Lambda task to retry (deploy branch), beside our Conflict.
    (
        "Conflict",
        "Lambda.ServiceException",
        "Lambda.AWSLambdaException",
        "Lambda.SdkClientException",
        "Lambda.TooManyRequestsException",
    ): (1, 3, 2),
    ("SignatureProviderError",): (5, 5, 2),
    ("TransferFailed",): (1, 3, 2),
    ("NotificationFailed",): (1, 3, 2),
    ("States.ALL",): (1, 2, 2),
}


@pytest.mark.parametrize("name", ["financing", "escrow"])
def test_the_files_retry_with_their_designed_waits_and_the_test_copy_only_shortens_them(name):
    real = json.loads(definition_path(name).read_text())
    found = [
        (path, tuple(r["ErrorEquals"]), (r["IntervalSeconds"], r["MaxAttempts"], r["BackoffRate"]))
        for path, r in retriers(real)
    ]
    assert found and [(path, errors, DESIGNED_RETRIES.get(errors)) for path, errors, _ in found] == found

    # tests/workflow deploys a copy whose retriers wait 1 s each and keep their errors and attempts.
    quick = quick_retries(real)
    assert all(r["IntervalSeconds"] == 1 and r["BackoffRate"] == 1 for _, r in retriers(quick))
    for _, retrier in [*retriers(real), *retriers(quick)]:
        del retrier["IntervalSeconds"], retrier["BackoffRate"]
    assert quick == real
