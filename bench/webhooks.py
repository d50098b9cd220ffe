"""Webhooks (issue 19): 1,000 events delivered to a local endpoint, and what delivery costs the mutations.

The events are put straight into the outbox (as a burst of facts would leave them), for a
partner with one endpoint: a receiver on 127.0.0.1 that answers 204. `channelfin dev`'s
delivery process (`local.webhook_worker`) sends them while createContract mutations are timed
through the handler; the same mutations are timed before, with no endpoint and no delivery
running. Delivery and the receiver each run in a process of their own, as in AWS the
delivery Lambdas and the integrator's server share nothing with the API; on 2 cores they
still compete with the mutations for the CPU, so the "during" figure is the pessimistic one.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import statistics
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from progress import say

EVENTS = 1_000


def _serve(ports: Any, ids: Any, stop: Any) -> None:
    """The receiver, in its own process: answers 204 and passes each webhook-id on."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 — http.server's naming
            self.rfile.read(int(self.headers.get("content-length") or 0))
            ids.put(self.headers["webhook-id"])
            self.send_response(204)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ports.put(server.server_address[1])
    stop.wait()
    server.shutdown()


@contextmanager
def receiver() -> Iterator[tuple[str, Callable[[], set[str]]]]:
    """A receiver's URL, and a function returning the webhook ids it has received so far."""
    context = multiprocessing.get_context("spawn")
    ports, ids, stop = context.Queue(), context.Queue(), context.Event()
    process = context.Process(target=_serve, args=(ports, ids, stop), daemon=True)
    process.start()
    received: set[str] = set()

    def so_far() -> set[str]:
        while True:
            try:
                received.add(ids.get_nowait())
            except queue.Empty:
                return received

    try:
        yield f"http://127.0.0.1:{ports.get(timeout=30)}/hooks", so_far
    finally:
        stop.set()
        process.join(10)


SUBJECTS = 100  # the events are about 100 contracts, 10 each (delivered in order per contract)


def seed_events(partner_id: str) -> set[str]:
    """EVENTS events of the partner in the outbox, as facts' transactions leave them."""
    from channelfin.api.core.ids import to_global_id
    from channelfin.domain.events import EventMaker, EventType, Fact
    from channelfin.store.outbox import EventRecord, event_record

    maker = EventMaker(datetime.now(UTC), lambda: uuid.uuid4().hex)
    for n in range(EVENTS):
        subject = to_global_id("Contract", f"bench-webhooks-{n % SUBJECTS:03d}")
        maker.add(Fact(EventType.CONTRACT_STATUS_CHANGED, subject, [partner_id], lambda _, n=n: {"n": n}))
    with EventRecord.batch_write() as batch:
        for event in maker.events:
            batch.save(event_record(event))
    return {e.id for e in maker.events}


@dataclass
class Timed:
    wall: float  # median milliseconds
    cpu: float
    requests: float  # DynamoDB requests a mutation, on average


@dataclass
class Samples:
    """Wall and CPU seconds of each mutation, and the DynamoDB requests of them all (counted by the
    benchmark's `DynamoCalls` on the API's clients). The CPU time and the requests are this
    process's (the API's; delivery runs in a process of its own): they tell a mutation that does
    more work from one that waits for a CPU others are using."""

    counter: Any
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    requests: int = 0

    def take(self, create: Callable[[], Any], runs: int) -> None:
        with self.counter.delta() as calls:
            for _ in range(runs):
                start, start_cpu = time.perf_counter(), time.process_time()
                create()
                self.wall.append(time.perf_counter() - start)
                self.cpu.append(time.process_time() - start_cpu)
        self.requests += sum(calls.values())

    def timed(self) -> Timed:
        return Timed(
            round(statistics.median(self.wall) * 1000, 2),
            round(statistics.median(self.cpu) * 1000, 2),
            round(self.requests / len(self.wall), 2),
        )


BLOCK = 10  # mutations timed in a row before delivery is paused or resumed


def _alternating(create: Callable[[], Any], runs: int, pid: int | None, counter: Any) -> tuple[Timed, Timed, float]:
    """`runs` mutations while delivery goes on and `runs` with its process stopped (SIGSTOP), in
    alternating blocks during the fan-out: the two sets see the same data and the same moment of
    DynamoDB Local's JVM, so their ratio is what delivery running adds, not the JVM's drift between
    two phases (the before/during ratio moved from 0.95 to 1.39 between runs of the same code).
    Also the seconds delivery was paused, which the fan-out's time leaves out."""
    assert pid is not None
    delivering, paused = Samples(counter), Samples(counter)
    paused_for = 0.0
    for block in range(2 * max(1, runs // BLOCK)):
        if block % 2 == 0:
            delivering.take(create, BLOCK)
            continue
        stopped = time.perf_counter()
        os.kill(pid, signal.SIGSTOP)
        try:
            paused.take(create, BLOCK)
        finally:
            os.kill(pid, signal.SIGCONT)
            paused_for += time.perf_counter() - stopped
    return delivering.timed(), paused.timed(), paused_for


def measure(
    ports: Any, api: Any, claims: Callable[..., dict[str, str]], publisher: str, reseller: str, runs: int, counter: Any
):
    from channelfin.api.core.ids import to_global_id
    from channelfin.local.webhook_worker import WebhookWorker
    from channelfin.services.webhook_delivery import run_once

    while run_once(ports).dispatched:  # what earlier benchmarks left in the outbox: not this figure's
        pass
    owner = claims("partner-admin", publisher, sub="bench-owner")
    fields = {
        "ownerId": to_global_id("Partner", publisher),
        "publisherId": to_global_id("Partner", publisher),
        "resellerId": to_global_id("Partner", reseller),
        "customer": {"name": "Client Webhook", "registrationNumber": "552100554"},
        "periodicity": "MONTHLY",
        "termMonths": 36,
        "startDate": "2027-01-01",
        "softwareFee": "1000.00",
        "supportFee": "150.00",
    }
    # A contract may name a reseller only with its consent: the publisher asks, the reseller accepts.
    asked = api(
        "mutation($input: RequestResellerLinkInput!) { requestResellerLink(input: $input) { link { id } } }",
        owner,
        input={"publisherId": fields["publisherId"], "resellerId": fields["resellerId"]},
    )["requestResellerLink"]["link"]
    if asked is not None:  # None: linked by an earlier run on the same data
        api(
            "mutation($input: AcceptResellerLinkInput!) { acceptResellerLink(input: $input) { link { id } } }",
            claims("partner-admin", reseller, sub="bench-reseller-admin"),
            input={"linkId": asked["id"]},
        )
    mutation = "mutation($input: CreateContractInput!) { createContract(input: $input) { userErrors { code } } }"

    def create() -> None:
        errors = api(mutation, owner, input=fields)["createContract"]["userErrors"]
        assert errors == [], errors

    for _ in range(20):
        create()  # warm
    say(f"webhooks: {runs} createContract with no endpoint")
    counter.watch_records()  # the API's clients, on this thread
    before = Samples(counter)
    before.take(create, runs)
    without = before.timed()
    while run_once(ports).dispatched:
        pass
    worker = WebhookWorker(interval_seconds=0.05)
    worker.start()
    worker.wait_ready()  # before the events: its interpreter's start is not delivery time
    try:
        with receiver() as (url, received):
            made = api(
                "mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) "
                "{ userErrors { code message } } }",
                owner,
                input={"partnerId": to_global_id("Partner", publisher), "url": url},
            )
            assert made["createWebhookEndpoint"]["userErrors"] == [], made
            say(
                f"webhooks: {EVENTS:,} events put in the outbox; {runs} createContract while they go out, "
                f"and {runs} with delivery paused, in alternating blocks of {BLOCK}"
            )
            start = time.perf_counter()
            seeded = seed_events(publisher)
            during, paused, paused_for = _alternating(create, runs, worker.pid, counter)
            while not seeded <= received():
                time.sleep(0.01)
            fanout = time.perf_counter() - start - paused_for
    finally:
        worker.stop()
    return {
        "webhook_fanout_1000_s": round(fanout, 3),
        "mutation_warm_ms_without_endpoint": without.wall,
        "mutation_warm_ms_during_fanout": during.wall,
        "mutation_fanout_ratio": round(during.wall / without.wall, 3),
        "mutation_warm_ms_delivery_paused": paused.wall,
        "mutation_delivery_ratio": round(during.wall / paused.wall, 3),
        "mutation_cpu_ms_without_endpoint": without.cpu,
        "mutation_cpu_ms_during_fanout": during.cpu,
        "mutation_cpu_fanout_ratio": round(during.cpu / without.cpu, 3),
        "mutation_ddb_requests_without_endpoint": without.requests,
        "mutation_ddb_requests_during_fanout": during.requests,
    }
