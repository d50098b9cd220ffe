"""Build the Lambda functions' zips, one per group, into .build/lambda/ (infra/sls runs this first).

    .venv/bin/python infra/package.py            # all groups; prints each zip's size

Each group carries only the libraries its handlers import:
- graphql (the API), webhook (the e-signature provider's events), steps (the state machines'
  tasks and the daily schedule): channelfin and the locked dependencies but fpdf2;
- documents (SendForSignature, RenderDocument): the same and fpdf2 with fontTools and Pillow,
  and anyascii.

How, and why not serverless-python-requirements:
- the libraries are installed from requirements.txt, the hashed lock resolved for Lambda's
  Python and platform (serverless.yml's custom lambdaPython and lambdaPlatform; scripts/lock),
  by pip with --require-hashes for that platform, binary wheels only;
- every module, top-level ones (six.py, typing_extensions.py) included, is compiled by the
  runtime's Python with hash-checked bytecode: Lambda's code directory is read-only and its
  files all carry one date, so without it every cold start compiles from source;
- shared libraries are stripped for arm64 with llvm-strip (GNU strip of an x86_64 machine
  cannot read aarch64 files; the plugin's strip failed there without a word);
- botocore keeps the models of the services channelfin calls (KEPT_SERVICES): 17 MB of its
  zipped 17.1 MB are the models of some 400 services; endpoints.json keeps their entries only;
  boto3 and botocore ship together at the tested versions (tests/unit/test_locks.py), not the
  runtime's boto3 beside our botocore.
- the zips are reproducible: entries sorted, one date, one mode.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / ".build"
OUT = BUILD / "lambda"
LOCK = ROOT / "requirements.txt"

# The services channelfin creates clients for (tests/unit/test_packages.py checks the code against it):
# DynamoDB (PynamoDB, Powertools' idempotency), S3 (the PDFs), Step Functions (the workflows),
# Lambda (RenderDocument), Secrets Manager (Powertools Parameters: the e-signature secret).
KEPT_SERVICES = ("dynamodb", "s3", "stepfunctions", "lambda", "secretsmanager")
# Distributions left out of every group but documents (top-level import names, as installed,
# and the start of their .dist-info folders).
DOCUMENTS_ONLY = ("fpdf", "fontTools", "PIL", "pillow.libs", "defusedxml", "anyascii")
DOCUMENTS_ONLY_DIST_INFO = ("fpdf2-", "fonttools-", "pillow-", "defusedxml-", "anyascii-")
GROUPS = ("graphql", "webhook", "steps", "documents")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# What a zip may not carry: the local stack, the CLI, caches of other Pythons, console scripts.
LEFT_OUT = ("channelfin/local/", "channelfin/cli.py", "bin/", "share/")
# What only the GraphQL handler reads: its kept dataclass methods (1.3 MB unzipped).
GRAPHQL_ONLY = ("channelfin/handlers/__pycache__/dataclass-code.",)


def say(message: str) -> None:
    print(f"package: {message}", file=sys.stderr, flush=True)


def custom_value(key: str) -> str:
    """A `  key: value` line of serverless.yml's custom section (lambdaPython, lambdaPlatform)."""
    for line in (ROOT / "serverless.yml").read_text().splitlines():
        if line.startswith(f"  {key}:"):
            return line.split(":", 1)[1].strip().strip('"')
    raise SystemExit(f"package: no {key} in serverless.yml's custom section")


def runtime_python(version: str) -> str:
    """An interpreter of Lambda's Python version, for bytecode that version reads."""
    candidates = [os.environ.get("CHANNELFIN_RUNTIME_PYTHON", ""), shutil.which(f"python{version}") or ""]
    candidates += sorted(str(p) for p in Path.home().glob(f".pyenv/versions/{version}.*/bin/python{version}"))
    candidates += [f"/usr/local/bin/python{version}", f"/usr/bin/python{version}"]
    for candidate in filter(None, candidates):
        try:
            found = subprocess.run(
                [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], capture_output=True, text=True
            )
        except OSError:
            continue
        if found.returncode == 0 and found.stdout.strip() == version:
            return candidate
    raise SystemExit(
        f"package: Python {version} (Lambda's runtime) is needed to compile the bytecode: put python{version} "
        f"on the PATH or set CHANNELFIN_RUNTIME_PYTHON"
    )


def strip_tool() -> list[str]:
    for tool in ("llvm-strip", "aarch64-linux-gnu-strip"):
        if shutil.which(tool):
            return [tool, "--strip-unneeded"]
    raise SystemExit("package: no strip for aarch64: apt-get install llvm (llvm-strip) or binutils-aarch64-linux-gnu")


def install_libraries(version: str, platform: str, python: str) -> Path:
    """The lock installed for Lambda, compiled and stripped; cached by the lock, target and interpreter."""
    key = hashlib.sha256(LOCK.read_bytes() + f"{version} {platform} {Path(__file__).read_text()}".encode()).hexdigest()[
        :16
    ]
    site = BUILD / "cache" / f"site-{key}"
    if (site / ".complete").exists():
        return site
    shutil.rmtree(site, ignore_errors=True)
    say(f"installing {LOCK.name} for python {version} {platform} (hashes checked)")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
         "--require-hashes", "--only-binary=:all:", f"--platform={platform}", "--implementation=cp",
         f"--python-version={version}", "--no-compile", "--target", str(site), "-r", str(LOCK)],
        check=True,
    )  # fmt: skip
    for left in ("bin", "share"):
        shutil.rmtree(site / left, ignore_errors=True)
    data = site / "botocore" / "data"
    for service in data.iterdir():
        if service.is_dir() and service.name not in KEPT_SERVICES:
            shutil.rmtree(service)
    trim_endpoints(data)
    libraries = sorted(str(p) for p in site.rglob("*.so*") if p.is_file())
    if libraries:
        say(f"stripping {len(libraries)} shared libraries for arm64")
        subprocess.run([*strip_tool(), *libraries], check=True)
    compile_tree(python, site)
    (site / ".complete").touch()
    return site


def trim_endpoints(data: Path) -> None:
    """endpoints.json keeps the kept services' entries, by their endpoint prefix (Step Functions'
    is `states`): the process's first client parses the whole file, 1.25 MB of which almost all
    describes other services (18 ms on the bench machine, on every cold start of every function)."""
    prefixes = set()
    for service in KEPT_SERVICES:
        model = max((data / service).glob("*/service-2.json*"))  # the latest API version
        text = gzip.decompress(model.read_bytes()) if model.suffix == ".gz" else model.read_bytes()
        prefixes.add(json.loads(text)["metadata"]["endpointPrefix"])
    path = data / "endpoints.json"
    endpoints = json.loads(path.read_text())
    for partition in endpoints["partitions"]:
        partition["services"] = {k: v for k, v in partition["services"].items() if k in prefixes}
    path.write_text(json.dumps(endpoints, separators=(",", ":")))


def host_extensions(version: str, platform: str, site: Path) -> Path | None:
    """The lock's extension modules built for this machine, for tests/unit/test_packages.py alone.

    An x86_64 machine cannot load the zips' aarch64 extension modules (brotli's `_brotli`, which
    the GraphQL function imports at init). The same pinned releases, hash-checked from the same
    lock, are installed for this machine and only their extension modules kept: run beside the
    unzipped package, Python skips the aarch64 files (their suffix is not this machine's) and
    loads these, while every Python module still comes from the zip. Never shipped.
    """
    import sysconfig

    machine = sysconfig.get_platform().split("-")[-1]  # linux-x86_64 -> x86_64
    if platform.endswith(machine):
        return None
    native = sorted({p.relative_to(site).parts[0] for p in site.glob("*.so")})
    records = [r for r in site.glob("*.dist-info/RECORD") if any(f"{n}," in r.read_text() for n in native)]
    pins = {r.parent.name.removesuffix(".dist-info").rsplit("-", 1)[0].lower().replace("_", "-") for r in records}
    blocks = re.split(r"\n(?=[a-z0-9])", LOCK.read_text())
    wanted = [b for b in blocks if b.split("==")[0].strip().lower().replace("_", "-") in pins]
    host = BUILD / "host-extensions"
    shutil.rmtree(host, ignore_errors=True)
    if not wanted:
        return None
    host.mkdir(parents=True)
    (host / "requirements.txt").write_text("\n".join(wanted) + "\n")
    target = f"manylinux2014_{machine}"
    say(f"extension modules of {', '.join(sorted(pins))} for this machine ({target}), for the tests")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
         "--require-hashes", "--only-binary=:all:", f"--platform={target}", "--implementation=cp",
         f"--python-version={version}", "--no-compile", "--target", str(host / "site"),
         "-r", str(host / "requirements.txt")],
        check=True,
    )  # fmt: skip
    for path in sorted((host / "site").glob("*.so")):
        path.rename(host / path.name)
    shutil.rmtree(host / "site")
    return host


def compile_tree(python: str, folder: Path) -> None:
    """Hash-checked bytecode of every module under `folder`, as Lambda's /var/task will hold it."""
    subprocess.run(
        [python, "-m", "compileall", "-q", "-j0", "--invalidation-mode", "checked-hash",
         "-s", str(folder), "-p", "/var/task", str(folder)],
        check=True,
    )  # fmt: skip


def own_code(python: str) -> Path:
    """channelfin's own modules (no local stack, no CLI), compiled like the libraries."""
    code = BUILD / "channelfin-code"
    shutil.rmtree(code, ignore_errors=True)
    shutil.copytree(
        ROOT / "src" / "channelfin",
        code / "channelfin",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "local"),
    )
    (code / "channelfin" / "cli.py").unlink()
    compile_tree(python, code)
    return code


# The GraphQL function's settings that choose what its init imports, as serverless.yml deploys it
# (its secrets' ids replaced by values: nothing here may call AWS), so the kept dataclass methods
# cover the deployed cold path (tests/unit/test_packages.py imports it the same way).
GRAPHQL_SETTINGS = {
    "CHANNELFIN_STAGE": "package",
    "CHANNELFIN_ESIGN_PROVIDER": "yousign",
    "CHANNELFIN_RENDERER_FUNCTION": "channelfin-package-RenderDocument",
    "CHANNELFIN_TRUSTED_DOCUMENTS": "true",
    "CHANNELFIN_CURSOR_SECRET": "package",
    "CHANNELFIN_INTEGRATION_CLIENTS": "{}",
    "CHANNELFIN_CONNECTOR_CLIENT_ID": "package",
    "AWS_REGION": "eu-west-3",
    "AWS_ACCESS_KEY_ID": "package",
    "AWS_SECRET_ACCESS_KEY": "package",
    "POWERTOOLS_LOG_LEVEL": "ERROR",
}


def dataclass_code(python: str, code: Path, site: Path, host: Path | None) -> Path:
    """The GraphQL handler's kept dataclass methods (channelfin/handlers/dataclass_code.py), written
    by its import in a bare interpreter of the runtime's Python over the package: once deployed,
    the package is read-only, so a cold start could never write them."""
    paths = [str(code), str(site), *([str(host)] if host else [])]
    env = {"PATH": os.environ.get("PATH", ""), **GRAPHQL_SETTINGS}
    subprocess.run(
        [python, "-I", "-S", "-c", f"import sys; sys.path[:0] = {paths!r}; import channelfin.handlers.graphql"],
        check=True,
        env=env,
        cwd=code,
    )
    (written,) = (code / "channelfin" / "handlers" / "__pycache__").glob("dataclass-code.*.bin")
    return written


def botocore_models(python: str, code: Path, site: Path) -> Path:
    """botocore's data files of the kept services, parsed by the runtime's Python and kept in the
    package (channelfin/store/botocore_models.py): a deployed package is read-only."""
    paths = [str(code), str(site)]
    prepare = f"from channelfin.store.botocore_models import prepare; prepare(services={KEPT_SERVICES!r})"
    subprocess.run(
        [python, "-I", "-S", "-c", f"import sys; sys.path[:0] = {paths!r}; {prepare}"],
        check=True,
        env={"PATH": os.environ.get("PATH", "")},
        cwd=code,
    )
    (folder,) = (code / "channelfin" / "store" / "__pycache__").glob("botocore-*")
    return folder


def files(folder: Path, *, group: str) -> Iterator[tuple[str, Path]]:
    documents = group == "documents"
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_dir() or name.startswith(LEFT_OUT) or name == ".complete":
            continue
        if group != "graphql" and name.startswith(GRAPHQL_ONLY):
            continue
        if not documents and name.split("/")[0] in DOCUMENTS_ONLY:
            continue
        if not documents and name.split("/")[0].lower().startswith(DOCUMENTS_ONLY_DIST_INFO):
            continue  # their .dist-info
        yield name, path


def write_zip(target: Path, folders: list[Path], *, group: str) -> None:
    entries = sorted((name, path) for folder in folders for name, path in files(folder, group=group))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        for name, path in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, path.read_bytes(), compresslevel=9)
    partial.replace(target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args(argv)
    version, platform = custom_value("lambdaPython"), custom_value("lambdaPlatform")
    python = runtime_python(version)
    site = install_libraries(version, platform, python)
    code = own_code(python)
    host = host_extensions(version, platform, site)
    kept = dataclass_code(python, code, site, host)
    say(f"{kept.relative_to(code)}: the GraphQL handler's dataclass methods, compiled")
    models = botocore_models(python, code, site)
    say(f"{models.relative_to(code)}: botocore's data of {len(KEPT_SERVICES)} services, parsed and listed")
    for group in GROUPS:
        target = OUT / f"{group}.zip"
        write_zip(target, [site, code], group=group)
        say(f"{target.relative_to(ROOT)}: {target.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
