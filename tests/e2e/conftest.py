"""End-to-end layer: `channelfin dev` started as a user would, talked to over HTTP."""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from channelfin import cli
from channelfin.local.dynamodb_local import free_port
from tests.wait import wait_until


@dataclass
class DevServer:
    data_dir: Path
    port: int
    process: subprocess.Popen[str] | None = None
    output: list[str] | None = None
    dynamodb_pid: int | None = None
    _minted_by_process: bool = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"

    def start(self, timeout: float = 60) -> None:
        self.output = []
        self._minted_by_process = False
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "channelfin.cli",
                "dev",
                "--port",
                str(self.port),
                "--data-dir",
                str(self.data_dir),
                "--log-level",
                "warning",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            self._wait_started(time.monotonic() + timeout)
        except BaseException:
            # One that never answered must not live on (with its JVM) to slow down the next start.
            self.process.kill()
            self.process.communicate(timeout=30)
            raise

    def _wait_started(self, deadline: float) -> None:
        assert self.process is not None and self.process.stdout is not None and self.output is not None
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line and self.process.poll() is not None:
                raise RuntimeError("channelfin dev exited:\n" + "".join(self.output))
            self.output.append(line)
            if match := re.search(r"\(pid (\d+)\)", line):
                self.dynamodb_pid = int(match.group(1))
            if "Ctrl-C stops everything" in line:
                break
        self._wait_http(deadline)

    def _wait_http(self, deadline: float) -> None:
        def healthy() -> bool:
            try:
                return httpx.get(f"http://127.0.0.1:{self.port}/health", timeout=1).status_code == 200
            except httpx.TransportError:
                return False

        wait_until(
            healthy,
            timeout=max(0.0, deadline - time.monotonic()),
            interval=0.1,
            what=lambda: "channelfin dev did not answer:\n" + "".join(self.output or []),
        )

    def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        rest, _ = self.process.communicate(timeout=30)
        self.output.append(rest)
        return self.process.returncode

    def token(self, role: str, partner: str | None = None, sub: str | None = None) -> str:
        """A token from `channelfin token`, as a user gets one.

        The first token after each start comes from the command run as a process of its own, as a
        user runs it; the others from the same command called in this process (`channelfin.cli.main`):
        a Python process per token cost 0.7 s of CPU, and the e2e layer asks for about forty.
        """
        args = ["token", "--role", role, "--data-dir", str(self.data_dir)]
        if partner:
            args += ["--partner", partner]
        if sub:
            args += ["--sub", sub]
        if not self._minted_by_process:
            command = [sys.executable, "-m", "channelfin.cli", *args]
            minted = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            self._minted_by_process = True
            return minted.strip()
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            assert cli.main(args) == 0
        return printed.getvalue().strip()

    def post(self, token: str | None, query: str, **variables: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.post(self.url, json={"query": query, "variables": variables}, headers=headers, timeout=30)

    def gql(self, token: str, query: str, **variables: Any) -> dict[str, Any]:
        response = self.post(token, query, **variables)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    def consent(self, partner: str, query: str, **fields: Any) -> dict[str, Any]:
        """A consent mutation sent by the partner's own partner-admin; its payload, which must be accepted."""
        payload = next(iter(self.gql(self.token("partner-admin", partner=partner), query, input=fields).values()))
        assert payload["userErrors"] == [], payload["userErrors"]
        return payload

    def link(self, publisher: str, reseller: str) -> None:
        """A reseller link asked for by the publisher's partner-admin and accepted by the reseller's."""
        from tests import operations as ops

        link = self.consent(publisher, ops.REQUEST_LINK, publisherId=publisher, resellerId=reseller)["link"]
        self.consent(reseller, ops.ACCEPT_LINK, linkId=link["id"])

    def know_end_clients(self, *sirens: str) -> None:
        """The leaser's analyst confirms who signs for those end clients, so their files are paid without a hold."""
        from tests import operations as ops

        analyst = self.token("credit-analyst", sub="e2e-analyst")
        for siren in sirens:
            email = f"signature-{siren.replace(' ', '')}@client.example"
            fields = {"registrationNumber": siren, "name": "Marie Martin", "email": email}
            payload = self.gql(analyst, ops.CONFIRM_SIGNATORY, input=fields)["confirmSignatory"]
            assert payload["userErrors"] == [], payload["userErrors"]

    def accept_enrollment(self, enrollment: str, partner: str) -> None:
        from tests import operations as ops

        self.consent(partner, ops.ACCEPT_ENROLLMENT, enrollmentId=enrollment)


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")


def started(data_dir: Path) -> Iterator[DevServer]:
    server = DevServer(data_dir=data_dir, port=free_port())
    server.start()
    try:
        yield server
    finally:
        if server.process and server.process.poll() is None:
            server.stop()


@pytest.fixture(scope="session")
def shared_dev_server(tmp_path_factory):
    """One `channelfin dev` for every module marked `shared_dev_server` (10–15 s to start, paid once).

    A module earns the mark when it only adds data of its own: it registers its own partners, creates
    its own contracts and reads them back by id or through its own partners, and never counts or
    lists what the whole database holds (other modules' data is there, in an order that varies).
    """
    yield from started(tmp_path_factory.mktemp("devdata"))


@pytest.fixture(scope="module")
def dev_server(request, tmp_path_factory):
    """The module's `channelfin dev`: the shared one when the module is marked `shared_dev_server`.

    Unmarked, a module gets a server of its own on an empty data directory, as every module did
    before the shared server: a test that needs a clean database (the fuzzers, a seed, counts over
    everything) keeps working unchanged.
    """
    if request.node.get_closest_marker("shared_dev_server") is not None:
        yield request.getfixturevalue("shared_dev_server")
    else:
        yield from started(tmp_path_factory.mktemp("devdata"))
