"""The functions' zips as Lambda receives them (infra/package.py; infra/validate builds them first).

Each zip is unzipped and run by a bare interpreter of the runtime's Python (`-I -S`: no
site-packages, no environment paths), as Lambda's /var/task with only the runtime's libraries:
every handler of the group imports, every module of ours imports, and the GraphQL one answers
an API Gateway v2 event.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("package", ROOT / "infra" / "package.py")
assert spec and spec.loader
package = importlib.util.module_from_spec(spec)
spec.loader.exec_module(package)

ZIPS = ROOT / ".build" / "lambda"
built = pytest.mark.skipif(
    not (ZIPS / "graphql.zip").exists(), reason="infra/validate (run by scripts/test first) builds the zips"
)
MAX_ZIPPED_MB = {"graphql": 15, "webhook": 15, "steps": 15, "documents": 30}
HANDLERS = {  # serverless.yml's handlers, by group
    "graphql": ["channelfin.handlers.graphql"],
    "webhook": ["channelfin.handlers.esign_webhook"],
    "steps": [
        "channelfin.handlers.financing_steps",
        "channelfin.handlers.escrow_steps",
        "channelfin.handlers.payment_steps",
    ],
    "documents": ["channelfin.handlers.documents", "channelfin.handlers.financing_steps"],
}
# Ours that need fpdf2 (and Pillow's aarch64 libraries, which an x86_64 machine cannot load).
NEEDS_FPDF = {"channelfin.adapters.pdf"}

BARE_RUN = r"""
import importlib, json, sys
modules, event, extra = json.loads(sys.stdin.read())
failed = {}
for name in modules:
    try:
        importlib.import_module(name)
    except Exception as exc:  # noqa: BLE001 (reported)
        failed[name] = f"{type(exc).__name__}: {exc}"
exec(extra)
answer = None
if event is not None:
    import channelfin.handlers.graphql as graphql
    class Context:
        function_name, memory_limit_in_mb, aws_request_id = "channelfin-graphql", 1024, "bare"
        invoked_function_arn = "arn:aws:lambda:eu-west-3:123456789012:function:channelfin-graphql"
    answer = graphql.handler(event, Context())
outside = sorted({m.__file__ for m in list(sys.modules.values()) if getattr(m, "__file__", None)
                  and "site-packages" in m.__file__})
kept = getattr(sys.modules.get("channelfin.handlers.graphql"), "_dataclass_methods", None)
methods = kept and {"compiled": kept.compiled, "reused": kept.reused}
sessions = sys.modules.get("channelfin.store.sessions")
loader = sessions and sessions._loader
models = loader and {"parsed": loader.kept.parsed, "reused": loader.kept.reused}
print(json.dumps({"failed": failed, "answer": answer, "outside": outside, "dataclass_methods": methods,
                  "botocore_models": models}))
"""


_unzipped: dict[str, Path] = {}


def unzipped(group: str, tmp_path: Path) -> Path:
    """The group's zip unzipped (once per test session: the tests only read it)."""
    if group not in _unzipped:
        target = tmp_path / group
        with zipfile.ZipFile(ZIPS / f"{group}.zip") as archive:
            archive.extractall(target)
        _unzipped[group] = target
    return _unzipped[group]


def bare_python(
    task: Path, modules: list[str], event: dict | None, settings: dict | None = None, run: str = ""
) -> dict:
    python = package.runtime_python(package.custom_value("lambdaPython"))
    env = {"PATH": os.environ.get("PATH", ""), "AWS_REGION": "eu-west-3", "CHANNELFIN_STAGE": "ci",
           "AWS_ACCESS_KEY_ID": "bare", "AWS_SECRET_ACCESS_KEY": "bare", "LAMBDA_TASK_ROOT": str(task),
           **(settings or {})}  # fmt: skip
    # This machine's builds of the lock's extension modules (infra/package.py, when it is not
    # aarch64): after the package on the path, so only what the zip's aarch64 files cannot be is loaded.
    host = ROOT / ".build" / "host-extensions"
    paths = f"sys.path.insert(0, {str(task)!r}); sys.path.append({str(host)!r})"
    done = subprocess.run(
        # -B: nothing written into the unzipped package, which later tests read as the zip made it
        [python, "-I", "-S", "-B", "-c", f"import sys; {paths}; exec({BARE_RUN!r})"],
        input=json.dumps([modules, event, run]),
        capture_output=True,
        text=True,
        env=env,
        cwd=task,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def our_modules(task: Path) -> list[str]:
    return sorted(
        ".".join(p.relative_to(task).with_suffix("").parts).removesuffix(".__init__")
        for p in (task / "channelfin").rglob("*.py")
    )


def api_event() -> dict:
    claims = {"sub": "bare", "cognito:groups": "[leaser-admin]"}
    return {
        "version": "2.0",
        "routeKey": "POST /graphql",
        "rawPath": "/graphql",
        "rawQueryString": "",
        "headers": {"content-type": "application/json", "host": "api.example.com"},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "bare",
            "domainName": "api.example.com",
            "domainPrefix": "api",
            "http": {"method": "POST", "path": "/graphql", "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1"},
            "requestId": "bare",
            "routeKey": "POST /graphql",
            "stage": "$default",
            "time": "24/Nov/2026:00:00:00 +0000",
            "timeEpoch": 0,
            "authorizer": {"jwt": {"claims": claims, "scopes": []}},
        },
        "body": json.dumps({"query": "query Bare { __typename }"}),
        "isBase64Encoded": False,
    }


@built
@pytest.mark.parametrize("group", package.GROUPS)
def test_each_zip_is_within_its_size(group):
    zipped_mb = (ZIPS / f"{group}.zip").stat().st_size / 1e6
    assert zipped_mb <= MAX_ZIPPED_MB[group], f"{group}.zip is {zipped_mb:.1f} MB zipped"


@built
@pytest.mark.parametrize("group", ["graphql", "webhook", "steps"])
def test_a_bare_interpreter_imports_the_group_from_its_zip_alone(group, tmp_path):
    task = unzipped(group, tmp_path)
    modules = [*HANDLERS[group], *(m for m in our_modules(task) if m not in NEEDS_FPDF)]
    found = bare_python(task, modules, api_event() if group == "graphql" else None)
    assert found["failed"] == {}
    assert found["outside"] == [], "imported from outside the zip"
    if group == "graphql":
        answer = found["answer"]
        assert answer["statusCode"] == 200, answer
        assert json.loads(answer["body"]) == {"data": {"__typename": "Query"}}
    assert not (task / "fpdf").exists() and not (task / "PIL").exists(), "fpdf2 and Pillow belong to documents"


@built
def test_the_graphql_handler_compiles_no_dataclass_method_from_its_zip(tmp_path):
    """Its cold start, with the settings it is deployed with, reuses the methods infra/package.py
    compiled on the runtime's Python: every one."""
    task = unzipped("graphql", tmp_path)
    kept = sorted(p.name for p in (task / "channelfin" / "handlers" / "__pycache__").glob("dataclass-code.*"))
    assert kept == [f"dataclass-code.cpython-{package.custom_value('lambdaPython').replace('.', '')}.bin"]
    deployed = {**package.GRAPHQL_SETTINGS, "CHANNELFIN_STAGE": "ci"}
    methods = bare_python(task, HANDLERS["graphql"], None, deployed)["dataclass_methods"]
    # one per class on Python 3.13 (one per method before): Strawberry's types, ours, the libraries'
    assert methods["compiled"] == 0 and methods["reused"] > 300, methods
    for group in ("webhook", "steps", "documents"):
        with zipfile.ZipFile(ZIPS / f"{group}.zip") as archive:
            assert not [n for n in archive.namelist() if "dataclass-code." in n], f"{group} carries what it never reads"


MAKE_CLIENTS = f"""
from channelfin.store.sessions import client
for service in {package.KEPT_SERVICES!r}:
    client(service, region_name="eu-west-3")
"""


@built
@pytest.mark.parametrize("group", package.GROUPS)
def test_clients_of_the_kept_services_parse_no_botocore_data_from_the_zip(group, tmp_path):
    """The package's parses (botocore_models.py) match its botocore's files, byte for byte: a cold
    start's first clients parse none of them."""
    task = unzipped(group, tmp_path)
    found = bare_python(task, [], None, run=MAKE_CLIENTS)
    assert found["failed"] == {}
    assert found["botocore_models"]["parsed"] == 0 and found["botocore_models"]["reused"] >= 10, found
    listed = [n for n in zipfile.ZipFile(ZIPS / f"{group}.zip").namelist() if "/botocore-" in n]
    assert all(n.startswith("channelfin/store/__pycache__/botocore-") for n in listed) and len(listed) >= 10


@built
def test_the_documents_zip_imports_its_handlers_and_carries_stripped_arm64_libraries(tmp_path):
    task = unzipped("documents", tmp_path)
    found = bare_python(task, HANDLERS["documents"], None)
    assert found["failed"] == {}
    libraries = [p for p in task.rglob("*.so*") if p.is_file()]
    assert libraries, "Pillow's libraries are missing"
    for library in libraries:
        machine, sections = elf_machine_and_sections(library.read_bytes())
        assert machine == 183, f"{library.name}: not aarch64 (e_machine {machine})"
        assert not {".symtab"} & sections and not any(s.startswith(".debug") for s in sections), (
            f"{library.name}: not stripped ({sorted(sections)})"
        )


def elf_machine_and_sections(data: bytes) -> tuple[int, set[str]]:
    """e_machine and the section names of a 64-bit little-endian ELF file."""
    assert data[:4] == b"\x7fELF" and data[4] == 2 and data[5] == 1
    machine = int.from_bytes(data[18:20], "little")
    shoff = int.from_bytes(data[40:48], "little")
    shentsize, shnum, shstrndx = (int.from_bytes(data[o : o + 2], "little") for o in (58, 60, 62))
    header = lambda i: data[shoff + i * shentsize : shoff + (i + 1) * shentsize]  # noqa: E731
    names_at = int.from_bytes(header(shstrndx)[24:32], "little")
    sections = set()
    for i in range(shnum):
        start = names_at + int.from_bytes(header(i)[0:4], "little")
        sections.add(data[start : data.index(b"\0", start)].decode())
    return machine, sections


@built
@pytest.mark.parametrize("group", package.GROUPS)
def test_every_module_has_hash_checked_bytecode_for_the_runtime(group):
    """Top-level modules (six.py, typing_extensions.py) included: Lambda's /var/task is read-only."""
    tag = "cpython-" + package.custom_value("lambdaPython").replace(".", "")
    with zipfile.ZipFile(ZIPS / f"{group}.zip") as archive:
        names = set(archive.namelist())
        sources = [n for n in names if n.endswith(".py")]
        missing, unchecked = [], []
        for source in sources:
            folder, _, module = source.rpartition("/")
            compiled = f"{folder + '/' if folder else ''}__pycache__/{module[:-3]}.{tag}.pyc"
            if compiled not in names:
                missing.append(source)
            elif int.from_bytes(archive.read(compiled)[4:8], "little") != 0b11:
                unchecked.append(compiled)
    assert {"six.py", "typing_extensions.py"} <= set(sources)
    assert missing == [] and unchecked == [], (missing[:5], unchecked[:5])
    assert not any(n.startswith(("channelfin/local/", "src/")) or n == "channelfin/cli.py" for n in names)


def test_botocore_keeps_every_service_the_code_calls():
    """infra/package.py drops the other services' models: a client of a dropped one would fail."""
    called = set()
    for path in (ROOT / "src" / "channelfin").rglob("*.py"):
        called |= set(re.findall(r"""client\(\s*["']([a-z0-9-]+)["']""", path.read_text()))
    called |= {"dynamodb", "secretsmanager"}  # PynamoDB and Powertools' idempotency; Powertools Parameters
    assert called <= set(package.KEPT_SERVICES), sorted(called - set(package.KEPT_SERVICES))


REGIONS = ("eu-west-3", "us-east-1", "cn-north-1", "us-gov-west-1")
ENDPOINTS = f"""
import json, botocore.session
session = botocore.session.get_session()
print(json.dumps({{f"{{s}} {{r}}": session.create_client(s, region_name=r).meta.endpoint_url
                  for s in {package.KEPT_SERVICES!r} for r in {REGIONS!r}}}))
"""


@built
def test_the_kept_services_make_clients_from_the_zip_with_the_full_endpoints(tmp_path):
    # The zip's botocore has only the kept services' models and endpoints.json entries: their
    # clients resolve the endpoints the whole botocore does, in every partition we tried.
    task = unzipped("steps", tmp_path)
    found = bare_python(task, ["botocore.session"], None)
    assert found["failed"] == {}
    python = package.runtime_python(package.custom_value("lambdaPython"))
    done = subprocess.run(
        [python, "-I", "-S", "-c", f"import sys; sys.path.insert(0, {str(task)!r}); exec({ENDPOINTS!r})"],
        capture_output=True,
        text=True,
        env={"AWS_ACCESS_KEY_ID": "bare", "AWS_SECRET_ACCESS_KEY": "bare"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    full = subprocess.run(
        [sys.executable, "-c", ENDPOINTS],
        capture_output=True,
        text=True,
        env={**os.environ, "AWS_ACCESS_KEY_ID": "bare", "AWS_SECRET_ACCESS_KEY": "bare"},
        check=True,
    )
    assert json.loads(done.stdout) == json.loads(full.stdout)
    assert (task / "botocore" / "data" / "endpoints.json").stat().st_size < 100_000


PACKAGED = ROOT / ".serverless" / "cloudformation-template-update-stack.json"


@pytest.mark.skipif(not PACKAGED.exists(), reason="infra/validate packages the template")
def test_the_packaging_imports_the_graphql_handler_with_the_settings_it_is_deployed_with():
    """What chooses the code its init runs: every CHANNELFIN_ variable of the deployed function (a
    secret's id given as the secret's value), and the same e-signature provider."""
    variables = json.loads(PACKAGED.read_text())["Resources"]["GraphqlLambdaFunction"]["Properties"]["Environment"]
    deployed = {k.removesuffix("_ID") if k.endswith("_SECRET_ID") else k for k in variables["Variables"]}
    left = {k for k in deployed if k.startswith("CHANNELFIN_") and not k.endswith(("_ARN", "_BUCKET", "_PREFIX"))}
    assert left <= set(package.GRAPHQL_SETTINGS), left - set(package.GRAPHQL_SETTINGS)
    assert package.GRAPHQL_SETTINGS["CHANNELFIN_ESIGN_PROVIDER"] == variables["Variables"]["CHANNELFIN_ESIGN_PROVIDER"]
