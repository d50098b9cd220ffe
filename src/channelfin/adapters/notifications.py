"""Notifier adapters. No e-mail provider is wired yet: `LoggedNotifier` logs each message.

What was sent is recorded on the escrow agreement by the step that sent it (and is
queryable there), so a retried step never notifies the same recipient twice.
"""

from __future__ import annotations

import threading

from aws_lambda_powertools import Logger

logger = Logger(service="channelfin", child=True)  # logs through the handler's Powertools logger


class LoggedNotifier:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []
        self._lock = threading.Lock()

    def send(self, *, recipient_id: str, kind: str, subject: str, body: str) -> None:
        with self._lock:
            self.sent.append((recipient_id, kind, subject))
        logger.info("notification to %s %s: %s", kind, recipient_id, subject)
