"""The bounded load test of issue 17: `channelfin dev` on loopback, 20 locust users, then the books.

    .venv/bin/python bench/load.py --seconds 60 --users 20     (bench/run.py runs it too)

Starts `channelfin dev` (its own DynamoDB Local and Step Functions engine, a fresh data
directory), prepares a leaser, a publisher, an agreement and two ACTIVE contracts over HTTP,
then runs bench/load_users.py in its own interpreter for a fixed time (it stops by itself).
Afterwards every accepted mutation is looked up: each created contract exists, each financing
request left DRAFT, each collected installment has its support share; and no contract has a
payout twice (same kind and installment). Figures: throughput, p50, p99, the 5xx count.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from progress import say

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

CONTRACT = """query($id: ID!) { contract(id: $id) { id status collectedInstallments financing { waitingFor }
  payouts(first: 100) { edges { node { id kind installment } } } } }"""


class DevServer:
    """`channelfin dev` on a free loopback port with its own data directory."""

    def __init__(self, data_dir: Path, **env: str) -> None:
        from channelfin.local.dynamodb_local import free_port

        self.data_dir, self.port = data_dir, free_port()
        self.host = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONUNBUFFERED": "1", **env}
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> DevServer:
        """Start it (about 15 s to be ready on 2 cores: DynamoDB Local, Step Functions, the app)."""
        command = [sys.executable, "-m", "channelfin.cli", "dev", "--port", str(self.port)]
        command += ["--data-dir", str(self.data_dir), "--log-level", "warning"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env)
        return self

    def wait_ready(self) -> DevServer:
        assert self.process is not None, "start() first"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"channelfin dev exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.host}/health", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError("channelfin dev did not answer in 120 s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def __enter__(self) -> DevServer:
        return self.start().wait_ready()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def token(self, role: str, partner: str | None = None, sub: str | None = None) -> str:
        command = [sys.executable, "-m", "channelfin.cli", "token", "--role", role, "--data-dir", str(self.data_dir)]
        command += ["--partner", partner] if partner else []
        command += ["--sub", sub] if sub else []
        return subprocess.run(command, check=True, capture_output=True, text=True, env=self.env).stdout.strip()

    def gql(self, token: str, query: str, **variables: Any) -> dict[str, Any]:
        answer = httpx.post(
            f"{self.host}/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert "errors" not in body, body["errors"]
        [payload] = body["data"].values()
        assert not (isinstance(payload, dict) and payload.get("userErrors")), payload
        return payload  # type: ignore[no-any-return]


def prepare(server: DevServer) -> dict[str, Any]:
    """A leaser, a publisher with its agreement, and two ACTIVE contracts whose installments get collected."""
    admin = server.token("leaser-admin", sub="load-admin")
    register = (
        "mutation($i: RegisterPartnerInput!) { registerPartner(input: $i) { partner { id } userErrors { code } } }"
    )
    leaser = server.gql(admin, register, i={"name": "Loueur Charge", "roles": ["LEASER"]})["partner"]["id"]
    publisher = server.gql(admin, register, i={"name": "Éditeur Charge", "roles": ["PUBLISHER"]})["partner"]["id"]
    agreement = server.gql(
        admin,
        "mutation($i: SignFinancingAgreementInput!) { signFinancingAgreement(input: $i) { agreement { id } "
        "userErrors { code } } }",
        i={"partnerId": publisher, "leaserId": leaser, "annualRate": "0.06", "fileFee": "150.00"},
    )["agreement"]["id"]
    plan = {
        "host": server.host,
        "publisher": publisher,
        "agreement": agreement,
        "admin": admin,
        "owner": server.token("partner-admin", partner=publisher, sub="load-owner"),
        "treasury": server.token("treasury", sub="load-treasury"),
        "connector": server.token("integration", sub="load-esign"),
    }
    for siren in ("552100554", "732829320"):  # known end clients: their upfront payouts are not held
        server.gql(
            admin,
            "mutation($i: ConfirmSignatoryInput!) { confirmSignatory(input: $i) { signatory { email } "
            "userErrors { code } } }",
            i={"registrationNumber": siren, "name": "Client Actif", "email": f"signature@{siren}.example"},
        )
    plan["active"] = [activate(server, plan, siren) for siren in ("552100554", "732829320")]
    return plan


def activate(server: DevServer, plan: dict[str, Any], siren: str) -> str:
    contract = server.gql(
        plan["owner"],
        "mutation($i: CreateContractInput!) { createContract(input: $i) { contract { id } userErrors { code } } }",
        i={
            "ownerId": plan["publisher"],
            "publisherId": plan["publisher"],
            "customer": {"name": "Client actif", "registrationNumber": siren},
            "periodicity": "MONTHLY",
            "termMonths": 36,
            "startDate": "2027-01-01",
            "softwareFee": "500.00",
            "supportFee": "50.00",
        },
    )["contract"]["id"]
    server.gql(
        plan["owner"],
        "mutation($i: RequestFinancingInput!) { requestFinancing(input: $i) { decision { outcome } "
        "userErrors { code } } }",
        i={"contractId": contract, "agreementId": plan["agreement"]},
    )
    wait(server, plan, contract, "AWAITING_SIGNATURES")
    for document in ("SALE_CONTRACT", "LEASE_CONTRACT"):
        server.gql(
            plan["connector"],
            "mutation($i: RecordSignatureInput!) { recordSignature(input: $i) { contract { id } "
            "userErrors { code } } }",
            i={"contractId": contract, "document": document, "signedBy": "Client"},
        )
    wait(server, plan, contract, "AWAITING_DELIVERY")
    server.gql(
        plan["owner"],
        "mutation($i: SubmitDeliveryReportInput!) { submitDeliveryReport(input: $i) { contract { id } "
        "userErrors { code } } }",
        i={"contractId": contract, "installedAt": "2026-11-20", "signedBy": "Client"},
    )
    # The report goes to the end client for signature; the provider's word comes through the connector.
    wait(server, plan, contract, "AWAITING_DELIVERY", "DELIVERY_SIGNATURE")
    server.gql(
        plan["connector"],
        "mutation($i: RecordSignatureInput!) { recordSignature(input: $i) { contract { id } userErrors { code } } }",
        i={"contractId": contract, "document": "DELIVERY_REPORT", "signedBy": "Client"},
    )
    wait(server, plan, contract, "ACTIVE")
    return str(contract)


def wait(server: DevServer, plan: dict[str, Any], contract: str, status: str, waiting_for: str | None = None) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = server.gql(plan["admin"], CONTRACT, id=contract)
        step = found["financing"]["waitingFor"] if found["financing"] else None
        if found["status"] == status and (status == "ACTIVE" or step) and waiting_for in (None, step):
            return
        time.sleep(0.2)
    raise RuntimeError(f"contract {contract} did not reach {status} {waiting_for or ''}")


def audit(server: DevServer, plan: dict[str, Any], accepted: dict[str, list[Any]]) -> dict[str, int]:
    """Every accepted mutation found again; no payout twice on any contract touched."""
    lost, twice = 0, 0
    contracts = set(accepted["contracts"]) | set(plan["active"])
    with ThreadPoolExecutor(8) as pool:  # read back in parallel: the server is idle now
        found = pool.map(lambda c: server.gql(plan["admin"], CONTRACT, id=c), sorted(contracts))
        seen: dict[str, dict[str, Any]] = dict(zip(sorted(contracts), found, strict=True))
    lost += sum(1 for c in accepted["contracts"] if seen[c] is None or seen[c]["id"] != c)
    lost += sum(1 for c in accepted["financing_requests"] if seen[c]["status"] == "DRAFT")
    for contract, installment in accepted["installments"]:
        shares = [
            e["node"]
            for e in seen[contract]["payouts"]["edges"]
            if e["node"]["kind"] == "SUPPORT_SHARE" and e["node"]["installment"] == installment
        ]
        lost += 0 if shares else 1
    for found in seen.values():
        kinds = Counter((e["node"]["kind"], e["node"]["installment"]) for e in found["payouts"]["edges"])
        twice += sum(n - 1 for n in kinds.values() if n > 1)
    return {"lost": lost, "twice": twice, "checked_contracts": len(seen)}


def measure(
    seconds: float = 60, users: int = 20, server: DevServer | None = None, plan: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The load test against `server` (started by the caller, e.g. while it set up other things), or a
    `channelfin dev` of its own; on `plan`, the caller's `prepare(server)`, or prepared here."""
    with tempfile.TemporaryDirectory(prefix="channelfin-load-") as work, contextlib.ExitStack() as stack:
        if server is None:
            server = stack.enter_context(DevServer(Path(work) / "data"))
        if plan is None:
            server.wait_ready()
            say(f"load: channelfin dev on {server.host}; two contracts brought to ACTIVE")
            plan = prepare(server)
        plan_file, out_file = Path(work) / "plan.json", Path(work) / "out.json"
        plan_file.write_text(json.dumps(plan))
        say(f"load: {users} locust users for {seconds:g} s (reads, contracts, financing, installments)")
        runner = [sys.executable, str(ROOT / "bench" / "load_users.py"), str(plan_file), str(seconds), str(users)]
        subprocess.run([*runner, str(out_file)], check=True, timeout=seconds + 120, stdout=subprocess.DEVNULL)
        result = json.loads(out_file.read_text())
        accepted = result["accepted"]
        books = audit(server, plan, accepted)
    return {
        "load_users": users,
        "load_seconds": seconds,
        "load_requests": result["requests"],
        "load_requests_per_second": round(result["requests_per_second"], 1),
        "load_p50_ms": result["p50_ms"],
        "load_p99_ms": result["p99_ms"],
        "load_5xx": result["outcomes"].get("5xx", 0),
        "load_accepted_mutations": sum(len(v) for v in accepted.values()),
        "load_lost_mutations": books["lost"],
        "load_payouts_twice": books["twice"],
        "load_outcomes": result["outcomes"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=20)
    args = parser.parse_args()
    figures = measure(args.seconds, args.users)
    print(json.dumps(figures, indent=2))
    return 0 if figures["load_5xx"] == figures["load_lost_mutations"] == figures["load_payouts_twice"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
