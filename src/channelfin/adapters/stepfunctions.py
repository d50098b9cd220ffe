"""The WorkflowEngine port on AWS Step Functions (moto's interpreter locally, same API)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from channelfin.services.ports import TaskTokenRejected

# What Step Functions answers when a token is not (or no longer) waited on.
TOKEN_ERRORS = {"InvalidToken", "TaskDoesNotExist", "TaskTimedOut"}


class StepFunctionsEngine:
    def __init__(self, client_factory: Callable[[], Any], state_machine_arn: str, timeouts: dict[str, int]) -> None:
        self._client_factory = client_factory
        self._client: Any = None
        self.state_machine_arn = state_machine_arn
        self.timeouts = timeouts

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = self._client_factory()
        return self._client

    def start(self, name: str, payload: dict[str, Any]) -> None:
        try:
            self.client.start_execution(
                stateMachineArn=self.state_machine_arn,
                name=name,
                input=json.dumps({**payload, "timeouts": self.timeouts}),
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ExecutionAlreadyExists":
                raise

    def resume(self, token: str, output: dict[str, Any]) -> None:
        self._callback(self.client.send_task_success, taskToken=token, output=json.dumps(output))

    def fail(self, token: str, error: str, cause: str) -> None:
        self._callback(self.client.send_task_failure, taskToken=token, error=error, cause=cause[:32000])

    @staticmethod
    def _callback(call: Callable[..., Any], **kwargs: Any) -> None:
        try:
            call(**kwargs)
        except ClientError as exc:
            if exc.response["Error"]["Code"] in TOKEN_ERRORS:
                raise TaskTokenRejected(exc.response["Error"]["Code"]) from exc
            raise
