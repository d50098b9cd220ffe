"""Locust users of the load test (bench/load.py runs this file in its own interpreter: gevent patches it).

    python bench/load_users.py PLAN.json SECONDS USERS OUT.json

Each user mixes what partners and treasury do at once: reads (a contract, a page of contracts),
contract creation, financing requests, installment collections. Every answer is judged: a 5xx,
an `errors` entry or a userError is counted; the ids of accepted mutations are written out, so
the driver can look every one of them up afterwards.
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import gevent
from locust import FastHttpUser, between, events, task
from locust.env import Environment

PLAN: dict[str, Any] = {}
ACCEPTED: dict[str, list[Any]] = {"contracts": [], "financing_requests": [], "installments": []}
OUTCOMES: Counter[str] = Counter()

CREATE = """mutation($i: CreateContractInput!) { createContract(input: $i) {
  contract { id } userErrors { code } } }"""
FINANCE = """mutation($i: RequestFinancingInput!) { requestFinancing(input: $i) {
  decision { outcome } userErrors { code } } }"""
COLLECT = """mutation($i: RecordInstallmentCollectedInput!) { recordInstallmentCollected(input: $i) {
  payout { id } userErrors { code } } }"""
ONE = "query($id: ID!) { contract(id: $id) { id status payouts(first: 20) { edges { node { id kind } } } } }"
PAGE = "{ contracts(first: 20) { edges { node { id status softwareFee { amount } } } } }"


def siren() -> str:
    """A random SIREN whose last digit is its Luhn check digit (createContract verifies it)."""
    digits = [random.randrange(10) for _ in range(8)]
    total = 0
    for position, digit in enumerate(reversed(digits)):
        doubled = digit * 2 if position % 2 == 0 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


class Partner(FastHttpUser):
    wait_time = between(0.05, 0.2)

    def gql(self, name: str, token: str, query: str, **variables: Any) -> dict[str, Any] | None:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        body = json.dumps({"query": query, "variables": variables})
        with self.client.post("/graphql", data=body, headers=headers, name=name, catch_response=True) as answer:
            if answer.status_code >= 500:
                OUTCOMES["5xx"] += 1
                answer.failure(f"{answer.status_code}")
                return None
            if answer.status_code != 200:
                OUTCOMES[f"http_{answer.status_code}"] += 1
                answer.failure(f"{answer.status_code}")
                return None
            found = answer.json()
            if found.get("errors"):
                OUTCOMES["graphql_errors"] += 1
                answer.failure(json.dumps(found["errors"])[:300])
                return None
            [payload] = found["data"].values()
            if isinstance(payload, dict) and payload.get("userErrors"):
                OUTCOMES["user_errors:" + ",".join(e["code"] for e in payload["userErrors"])] += 1
                return None
            OUTCOMES["ok"] += 1
            return payload

    def new_contract(self) -> str | None:
        fee = f"{random.randint(200, 900)}.00"  # present value well under the instant-decision limit
        payload = self.gql(
            "createContract",
            PLAN["owner"],
            CREATE,
            i={
                "ownerId": PLAN["publisher"],
                "publisherId": PLAN["publisher"],
                "customer": {"name": "Client de charge", "registrationNumber": siren()},
                "periodicity": "MONTHLY",
                "termMonths": 36,
                "startDate": "2027-01-01",
                "softwareFee": fee,
                "supportFee": "50.00",
            },
        )
        if payload is None:
            return None
        ACCEPTED["contracts"].append(payload["contract"]["id"])
        return str(payload["contract"]["id"])

    @task(5)
    def read_one(self) -> None:
        self.gql("contract", PLAN["owner"], ONE, id=random.choice(PLAN["active"]))

    @task(3)
    def read_page(self) -> None:
        self.gql("contracts", PLAN["owner"], PAGE)

    @task(2)
    def create(self) -> None:
        self.new_contract()

    @task(2)
    def request_financing(self) -> None:
        contract = self.new_contract()
        if contract is None:
            return
        i = {"contractId": contract, "agreementId": PLAN["agreement"]}
        if self.gql("requestFinancing", PLAN["owner"], FINANCE, i=i) is not None:
            ACCEPTED["financing_requests"].append(contract)

    @task(2)
    def collect(self) -> None:
        contract, installment = random.choice(PLAN["active"]), random.randint(1, 6)
        i = {"contractId": contract, "installment": installment}
        if self.gql("recordInstallmentCollected", PLAN["treasury"], COLLECT, i=i) is not None:
            ACCEPTED["installments"].append([contract, installment])


def main(plan_file: str, seconds: float, users: int, out_file: str) -> None:
    PLAN.update(json.loads(Path(plan_file).read_text()))
    env = Environment(user_classes=[Partner], host=PLAN["host"], events=events)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    gevent.spawn_later(seconds, runner.quit)  # stops by itself
    runner.greenlet.join()
    total = env.stats.total
    Path(out_file).write_text(
        json.dumps(
            {
                "requests": total.num_requests,
                "failures": total.num_failures,
                "requests_per_second": total.num_requests / seconds,
                "p50_ms": total.get_response_time_percentile(0.5),
                "p99_ms": total.get_response_time_percentile(0.99),
                "outcomes": dict(OUTCOMES),
                "accepted": ACCEPTED,
                "errors": [f"{e.name}: {e.error}" for e in list(env.stats.errors.values())[:10]],
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
