"""`channelfin dev`'s webhook delivery: the code the delivery Lambdas run, in a background thread.

In AWS the events table's stream brings each new event to the delivery Lambda (through SQS)
and a schedule retries what is due; locally one thread does both by polling the outbox
index and the due deliveries, on the same DynamoDB Local tables. Events written while the
server was down are still in the outbox when it starts again: the first pass sends them.
"""

from __future__ import annotations

import logging
import threading

from channelfin.services import webhook_delivery
from channelfin.services.ports import Ports

log = logging.getLogger("channelfin.webhooks")


class WebhookWorker:
    def __init__(self, ports: Ports, interval_seconds: float = 0.25) -> None:
        self.ports = ports
        self.interval = interval_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="webhook-delivery", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                done = webhook_delivery.run_once(self.ports)
                if done.attempted:
                    log.info(
                        "webhooks: %d events dispatched, %d attempts (%d succeeded, %d failed for good)",
                        done.dispatched,
                        done.attempted,
                        done.succeeded,
                        done.failed,
                    )
            except Exception:  # a pass that breaks (DynamoDB Local restarting...) is retried, never fatal
                log.exception("webhook delivery pass failed; trying again")
            self._stop.wait(self.interval)
