"""Webhooks over HTTP: `channelfin dev` delivers the outbox to a real receiver on 127.0.0.1.

The receiver verifies every message with the `standardwebhooks` library and the endpoint's
secret, and processes each event id once (it dedupes, as the README tells integrators to).
The dev server runs with a short retry schedule (`CHANNELFIN_WEBHOOK_RETRY`) so three days
of backoff take seconds.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from channelfin.local.dynamodb_local import free_port
from tests import operations as ops
from tests.e2e.conftest import DevServer
from tests.e2e.test_financing_over_http import _contract, _parties, _to_active, _wait

pytestmark = pytest.mark.e2e

FAST = {"CHANNELFIN_WEBHOOK_RETRY": "0.2,0.5,3", "CHANNELFIN_WEBHOOK_POLL_SECONDS": "0.1"}


@dataclass
class Receiver:
    """Paths answer 200 unless `script[path]` lists status codes to answer first."""

    secrets: dict[str, str] = field(default_factory=dict)  # path -> whsec_
    script: dict[str, list[int]] = field(default_factory=dict)
    processed: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # path -> messages, once per id
    seen: dict[str, set[str]] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, path: str, headers: dict[str, str], body: bytes) -> int:
        with self.lock:
            self.requests[path] = self.requests.get(path, 0) + 1
            queued = self.script.get(path)
            if queued:
                return queued.pop(0)
            try:
                message = Webhook(self.secrets[path]).verify(body, headers)
            except (KeyError, WebhookVerificationError) as exc:
                self.rejected.append(f"{path}: {exc!r}")
                return 400
            if message["id"] not in self.seen.setdefault(path, set()):  # at least once: dedupe by id
                self.seen[path].add(message["id"])
                self.processed.setdefault(path, []).append(message)
            return 204

    def messages(self, path: str) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.processed.get(path, []))


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 — http.server's naming
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            status = state.answer(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()


def _start(tmp_path, **env: str) -> DevServer:
    server = DevServer(data_dir=tmp_path, port=free_port())
    saved = {k: os.environ.get(k) for k in {**FAST, **env}}
    os.environ.update({**FAST, **env})
    try:
        server.start()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return server


@pytest.fixture(scope="module")
def hooks_server(tmp_path_factory) -> Iterator[DevServer]:
    server = _start(tmp_path_factory.mktemp("hooksdata"))
    yield server
    if server.process and server.process.poll() is None:
        server.stop()


def _endpoint(server: DevServer, p: dict[str, Any], receiver: Receiver, path: str, **fields: Any) -> str:
    fields = {"partnerId": p["publisher"], "url": receiver.url(path), **fields}
    data = server.gql(p["owner"], ops.CREATE_WEBHOOK_ENDPOINT, input=fields)["createWebhookEndpoint"]
    assert data["userErrors"] == [], data["userErrors"]
    receiver.secrets[path] = data["secret"]
    endpoint: str = data["webhookEndpoint"]["id"]
    return endpoint


def _until(check, timeout: float = 30.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _deliveries(server: DevServer, token: str, endpoint: str) -> list[dict[str, Any]]:
    data = server.gql(token, ops.WEBHOOK_DELIVERIES, e=endpoint, first=100)
    return [e["node"] for e in data["webhookDeliveries"]["edges"]]


def test_every_status_change_from_creation_to_active_arrives_in_order_and_verifies(hooks_server, receiver):
    s, p = hooks_server, _parties(hooks_server)
    _endpoint(s, p, receiver, "/ordered", eventTypes=["contract.status_changed"])
    contract = _contract(s, p, "1000.00")
    _to_active(s, p, contract)
    _wait(s, p["owner"], contract, "ACTIVE")

    def arrived():
        changes = [m["data"] for m in receiver.messages("/ordered") if m["data"]["contract"]["id"] == contract]
        return changes if changes and changes[-1]["to"] == "ACTIVE" else None

    changes = _until(arrived, what="ACTIVE to be delivered")
    timeline = s.gql(p["owner"], ops.FINANCED_CONTRACT, id=contract)["contract"]["timeline"]
    assert [c["to"] for c in changes] == [t["status"] for t in timeline]
    assert [c["from"] for c in changes[1:]] == [c["to"] for c in changes[:-1]]
    assert receiver.rejected == []


def test_500_three_times_then_200_is_delivered_on_the_fourth_attempt(hooks_server, receiver):
    s, p = hooks_server, _parties(hooks_server)
    receiver.script["/flaky"] = [500, 500, 500]
    endpoint = _endpoint(s, p, receiver, "/flaky", eventTypes=["contract.status_changed"])
    contract = _contract(s, p, "1000.00")
    message = _until(lambda: receiver.messages("/flaky"), what="the fourth attempt")[0]
    assert message["data"]["contract"]["id"] == contract and receiver.requests["/flaky"] == 4
    (delivery,) = _until(lambda: [d for d in _deliveries(s, p["owner"], endpoint) if d["status"] == "SUCCEEDED"])
    assert [a["statusCode"] for a in delivery["attempts"]] == [500, 500, 500, 204]
    assert all(a["durationMs"] >= 0 for a in delivery["attempts"])


def test_a_receiver_that_never_answers_well_ends_failed_with_each_attempt_listed(hooks_server, receiver):
    s, p = hooks_server, _parties(hooks_server)
    receiver.script["/down"] = [503] * 1000
    endpoint = _endpoint(s, p, receiver, "/down", eventTypes=["contract.status_changed"])
    _contract(s, p, "1000.00")

    def failed():
        return [d for d in _deliveries(s, p["owner"], endpoint) if d["status"] == "FAILED"]

    (delivery,) = _until(failed, timeout=40, what="the delivery to fail")
    assert len(delivery["attempts"]) >= 3 and {a["statusCode"] for a in delivery["attempts"]} == {503}
    assert receiver.requests["/down"] == len(delivery["attempts"])


def test_ssrf_urls_are_refused_over_http(hooks_server):
    s, p = hooks_server, _parties(hooks_server)
    for url in ("https://169.254.169.254/latest/meta-data/", "https://10.0.0.1/in", "file:///etc/passwd"):
        data = s.gql(p["owner"], ops.CREATE_WEBHOOK_ENDPOINT, input={"partnerId": p["publisher"], "url": url})
        payload = data["createWebhookEndpoint"]
        assert payload["webhookEndpoint"] is None and payload["userErrors"][0]["field"] == ["input", "url"]


def test_events_recorded_before_a_crash_are_delivered_after_a_restart(tmp_path, receiver):
    # A pass an hour apart: after the first (at start) nothing is sent until the crash.
    server = _start(tmp_path / "data", CHANNELFIN_WEBHOOK_POLL_SECONDS="3600")
    try:
        p = _parties(server)
        _endpoint(server, p, receiver, "/after-crash", eventTypes=["contract.status_changed"])
        contract = _contract(server, p, "1000.00")
        time.sleep(0.5)
        assert receiver.messages("/after-crash") == []
    finally:
        assert server.process is not None
        server.process.send_signal(signal.SIGKILL)  # the crash: no clean stop
        server.process.wait(timeout=30)
        if server.dynamodb_pid:
            os.kill(server.dynamodb_pid, signal.SIGTERM)
            _until(lambda: _gone(server.dynamodb_pid), what="DynamoDB Local to stop")
    server = _start(tmp_path / "data")
    try:
        (message,) = _until(lambda: receiver.messages("/after-crash"), what="the outbox after the restart")
        assert message["type"] == "contract.status_changed" and message["data"]["contract"]["id"] == contract
        assert message["data"]["to"] == "DRAFT"
        assert receiver.rejected == []  # verified by the library with the secret made before the crash
    finally:
        server.stop()


def _gone(pid: int | None) -> bool:
    from tests.e2e.conftest import process_alive

    return pid is None or not process_alive(pid)
