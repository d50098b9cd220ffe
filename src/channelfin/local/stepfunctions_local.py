"""Step Functions on this machine: moto's ASL interpreter behind a local HTTP server.

The real definition files run; their Lambda tasks are answered in this process by the
project's step handlers, through botocore's `before-call.lambda.Invoke` event (the hook
`botocore.stub.Stubber` uses), because moto would otherwise need Docker to run Lambda.
See ../shared/LOCAL_STACK.md for the facts this relies on.
"""

from __future__ import annotations

import io
import json
import logging
import os
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any, cast

import boto3
from botocore.awsrequest import AWSResponse, HTTPHeaders

from channelfin.local.dynamodb_local import REGION, free_port
from channelfin.services.ports import Ports
from channelfin.workflows.definitions import definition_path, substitute
from channelfin.workflows.dispatch import ESCROW_STEPS, FINANCING_STEPS, PAYMENT_STEPS, run_step

ACCOUNT = "123456789012"
StepRunner = Callable[[str, dict[str, Any]], dict[str, Any]]
DefinitionEdit = Callable[[dict[str, Any]], dict[str, Any]]


class UnknownFunction(LookupError):
    pass


def function_name(prefix: str, step: str) -> str:
    return f"{prefix}{step}"


class LocalStepFunctions:
    def __init__(
        self,
        *,
        port: int | None = None,
        region: str = REGION,
        function_prefix: str = "channelfin-local-",
        edit_definition: DefinitionEdit | None = None,
    ):
        """`edit_definition` changes each definition before it is deployed (the tests shorten its retries)."""
        self.port = port or free_port()
        self.region = region
        self.function_prefix = function_prefix
        self.edit_definition = edit_definition
        self._server: Any = None
        self._runners: dict[str, tuple[str, StepRunner]] = {}

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        from moto.server import ThreadedMotoServer

        for noisy in ("moto", "werkzeug"):
            logging.getLogger(noisy).setLevel(logging.ERROR)
        # A failing step is reported on the execution (and by our own logs); the interpreter's
        # dump of its whole state tree for each one is noise.
        logging.getLogger("moto.stepfunctions.parser").setLevel(logging.CRITICAL)
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()
        request = urllib.request.Request(
            f"{self.endpoint_url}/moto-api/config",
            data=json.dumps({"stepfunctions": {"execute_state_machine": True}}).encode(),
            method="POST",
        )
        urllib.request.urlopen(request, timeout=10).close()
        # In server mode the interpreter calls Lambda at http://localhost:$MOTO_PORT; we answer first.
        os.environ["MOTO_PORT"] = str(self.port)
        if boto3.DEFAULT_SESSION is None:
            boto3.setup_default_session()
        session = cast(boto3.Session, boto3.DEFAULT_SESSION)
        # botocore types its hooks as returning None; a before-call hook's answer replaces the call.
        session.events.register(
            "before-call.lambda.Invoke", cast(Callable[..., None], self._invoke), unique_id="channelfin-local"
        )

    def stop(self) -> None:
        if boto3.DEFAULT_SESSION is not None:
            boto3.DEFAULT_SESSION.events.unregister("before-call.lambda.Invoke", unique_id="channelfin-local")
        if self._server is not None:
            self._server.stop()
            self._server = None

    def client(self) -> Any:
        return boto3.client(
            "stepfunctions",
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )

    def deploy(self, name: str, runner: StepRunner, step_names: list[str]) -> str:
        """Create (or update) state machine `name` from infra/<name>.asl.json; return its ARN.

        Its Lambda tasks (`step_names`) are answered in this process by `runner(step, event)`.
        """
        arns = {}
        for step in step_names:
            fn = function_name(self.function_prefix, step)
            self._runners[fn] = (step, runner)
            arns[step] = f"arn:aws:lambda:{self.region}:{ACCOUNT}:function:{fn}"
        text = definition_path(name).read_text()
        if self.edit_definition is not None:
            text = json.dumps(self.edit_definition(json.loads(text)))
        definition = substitute(text, arns)
        machine = f"{self.function_prefix}{name}"
        arn = f"arn:aws:states:{self.region}:{ACCOUNT}:stateMachine:{machine}"
        client = self.client()
        try:
            client.describe_state_machine(stateMachineArn=arn)
            client.update_state_machine(stateMachineArn=arn, definition=definition)
        except client.exceptions.StateMachineDoesNotExist:
            client.create_state_machine(
                name=machine, definition=definition, roleArn=f"arn:aws:iam::{ACCOUNT}:role/{machine}"
            )
        return arn

    def deploy_financing(self, ports: Callable[[], Ports]) -> str:
        """The financing state machine, its steps run on `ports()` (read at each step)."""
        return self.deploy("financing", lambda step, event: run_step(ports(), step, event), list(FINANCING_STEPS))

    def deploy_escrow(self, ports: Callable[[], Ports]) -> str:
        """The escrow-trigger state machine, its steps run on `ports()`."""
        return self.deploy("escrow", lambda step, event: run_step(ports(), step, event), list(ESCROW_STEPS))

    def deploy_payments(self, ports: Callable[[], Ports]) -> str:
        """The payment-run state machine, its steps run on `ports()`."""
        return self.deploy("payments", lambda step, event: run_step(ports(), step, event), list(PAYMENT_STEPS))

    def stop_running_executions(self, state_machine_arn: str) -> int:
        client = self.client()
        running = client.list_executions(stateMachineArn=state_machine_arn, statusFilter="RUNNING")["executions"]
        for execution in running:
            client.stop_execution(executionArn=execution["executionArn"], error="Stopped", cause="local stack reset")
        return len(running)

    def _invoke(self, params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        path = urllib.parse.unquote(params["url_path"])
        name = path.split("/functions/", 1)[1].split("/", 1)[0].rsplit(":", 1)[-1]
        if name not in self._runners:
            raise UnknownFunction(f"no local step handler for Lambda function {name!r}")
        step, runner = self._runners[name]
        body = params.get("body") or b"{}"
        event = json.loads(body.decode() if isinstance(body, bytes) else body)
        response: dict[str, Any] = {"StatusCode": 200, "ExecutedVersion": "$LATEST"}
        try:
            result = runner(step, event)
            payload = json.dumps(result if result is not None else {})
        except Exception as exc:  # noqa: BLE001 - reported to the state machine as Lambda would
            payload = json.dumps({"errorType": type(exc).__name__, "errorMessage": str(exc)})
            response["FunctionError"] = "Unhandled"
        response["Payload"] = io.BytesIO(payload.encode())
        return AWSResponse(params.get("url", ""), 200, HTTPHeaders(), None), response
