"""Idempotency-Key handling on Powertools' persistence layer, on DynamoDB Local's `idempotency` table."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from channelfin.bootstrap import Settings, build_idempotency
from channelfin.store.tables import bind

pytestmark = pytest.mark.integration

BODY = {"query": "mutation { createContract(input: {}) { contract { id } } }", "variables": {"a": 1}}


@pytest.fixture
def settings(aws_local_env, table_pool):
    with table_pool.lease() as tables:
        settings = Settings.from_env(
            {
                "CHANNELFIN_TABLE_PREFIX": tables.prefix,
                "AWS_ENDPOINT_URL_DYNAMODB": table_pool.endpoint_url,
                "AWS_REGION": "eu-west-3",
            }
        )
        bind(prefix=settings.table_prefix, region=settings.region, host=settings.dynamodb_endpoint)
        yield settings


class Counter:
    def __init__(self, delay: float = 0.0, answer: dict | None = None, fail: bool = False) -> None:
        self.calls = 0
        self.delay = delay
        self.answer = answer
        self.fail = fail
        self.lock = threading.Lock()

    async def __call__(self) -> dict:
        with self.lock:
            self.calls += 1
            n = self.calls
        await asyncio.sleep(self.delay)
        if self.fail:
            raise RuntimeError("boom")
        return self.answer or {"data": {"createContract": {"contract": {"id": f"c{n}"}}}}


def run(requests, execute, key="key-1", caller="sub-1", body=BODY):
    return asyncio.run(requests.run(key=key, caller=caller, body=body, execute=execute))


def test_three_identical_submissions_run_once_and_replay_the_first_answer(settings):
    requests, execute = build_idempotency(settings), Counter()
    answers = [run(requests, execute) for _ in range(3)]
    assert execute.calls == 1
    assert [a.status for a in answers] == [200, 200, 200]
    assert [a.replayed for a in answers] == [False, True, True]
    assert answers[0].body == answers[1].body == answers[2].body
    # the same request with its keys in another order is the same request
    reordered = {"variables": {"a": 1}, "query": BODY["query"]}
    assert run(requests, execute, body=reordered).replayed and execute.calls == 1


def test_the_same_key_with_another_body_is_refused(settings):
    requests, execute = build_idempotency(settings), Counter()
    run(requests, execute)
    refused = run(requests, execute, body={**BODY, "variables": {"a": 2}})
    assert refused.status == 422 and refused.body["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert execute.calls == 1


def test_keys_belong_to_their_caller(settings):
    requests, execute = build_idempotency(settings), Counter()
    run(requests, execute, caller="integrator-a")
    other = run(requests, execute, caller="integrator-b")
    assert not other.replayed and execute.calls == 2


def test_a_failed_request_keeps_nothing_and_its_retry_runs(settings):
    requests = build_idempotency(settings)
    with pytest.raises(RuntimeError):
        run(requests, Counter(fail=True))
    retry = Counter()
    assert run(requests, retry).status == 200 and retry.calls == 1
    masked = {"errors": [{"message": "Unexpected error", "extensions": {"code": "INTERNAL_ERROR"}}]}
    buggy = Counter(answer=masked)
    run(requests, buggy, key="key-2")
    run(requests, buggy, key="key-2")
    assert buggy.calls == 2  # an answer hiding a bug is not kept


def test_concurrent_retries_run_the_request_once(settings):
    requests, execute = build_idempotency(settings), Counter(delay=0.5)
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda _: run(requests, execute), range(6)))
    assert execute.calls == 1
    statuses = sorted(a.status for a in answers)
    assert statuses.count(200) >= 1 and set(statuses) <= {200, 409}
    in_progress = [a for a in answers if a.status == 409]
    assert all(a.body["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_IN_PROGRESS" for a in in_progress)


def test_a_key_expires(settings):
    requests, execute = build_idempotency(Settings(**{**settings.__dict__, "idempotency_seconds": 1})), Counter()
    run(requests, execute)
    time.sleep(2.5)  # expiry is kept in whole seconds
    assert not run(requests, execute).replayed and execute.calls == 2


def test_a_bad_key_is_a_client_error(settings):
    requests, execute = build_idempotency(settings), Counter()
    assert run(requests, execute, key=" ").status == 400
    assert run(requests, execute, key="k" * 256).status == 400
    assert execute.calls == 0
