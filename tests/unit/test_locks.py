"""The lock files agree with pyproject.toml, and Lambda ships the versions the tests run.

`scripts/lock` makes both with uv: `requirements.txt` (what Lambda ships, resolved for the
runtime's Python and platform) and `requirements-dev.txt` (what `scripts/setup` installs, any
platform). These tests read them as pip does (`packaging`'s requirements and markers) and walk
what each dependency needs through the installed distributions' metadata — which is the
lock's own, as `test_the_environment_is_the_one_the_lock_describes` checks. When one fails
after a change to pyproject.toml: run `scripts/lock` and commit both files.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.markers import Marker, default_environment
from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
LAMBDA_LOCK = ROOT / "requirements.txt"
DEV_LOCK = ROOT / "requirements-dev.txt"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
FIX = "run scripts/lock (it re-resolves both lock files from pyproject.toml) and commit them"


@dataclass(frozen=True)
class Pin:
    name: NormalizedName
    version: Version
    marker: Marker | None
    hashes: tuple[str, ...]

    def applies(self, environment: dict[str, str]) -> bool:
        return self.marker is None or self.marker.evaluate(environment)


@cache
def pins(path: Path) -> tuple[Pin, ...]:
    """A requirements file as pip reads it: `name==version ; marker` with `--hash=` options, comments aside."""
    found = []
    for line in path.read_text().replace("\\\n", " ").splitlines():
        line = re.sub(r"(^|\s)#.*", "", line).strip()
        if not line:
            continue
        requirement, *options = re.split(r"\s+(?=--)", line)
        assert not requirement.startswith("-"), f"{path.name}: an option line pip would apply to all: {line}"
        parsed = Requirement(requirement)
        [specifier] = parsed.specifier
        assert specifier.operator == "==", f"{path.name}: {requirement} is not pinned with =="
        hashes = tuple(o.removeprefix("--hash=") for o in options)
        assert all(o.startswith("--hash=") for o in options), f"{path.name}: {line}"
        found.append(Pin(canonicalize_name(parsed.name), Version(specifier.version), parsed.marker, hashes))
    return tuple(found)


def pinned(path: Path, environment: dict[str, str]) -> dict[NormalizedName, Version]:
    chosen: dict[NormalizedName, Version] = {}
    for pin in pins(path):
        if pin.applies(environment):
            assert pin.name not in chosen, f"{path.name}: {pin.name} pinned twice for one environment"
            chosen[pin.name] = pin.version
    return chosen


def lambda_target() -> tuple[str, str]:
    """The Python version and platform tag requirements.txt was resolved for (its header, from scripts/lock)."""
    [target] = re.findall(r"^# lambda-target: python (3\.\d+) (\S+)$", LAMBDA_LOCK.read_text(), re.MULTILINE)
    return target


def lambda_environment() -> dict[str, str]:
    version, platform = lambda_target()
    machine = "x86_64" if platform.endswith("x86_64") else platform.rsplit("_", 1)[-1]
    return {
        **default_environment(),
        "python_version": version,
        "python_full_version": f"{version}.0",
        "implementation_name": "cpython",
        "implementation_version": f"{version}.0",
        "platform_python_implementation": "CPython",
        "platform_machine": machine,
        "platform_system": "Linux",
        "sys_platform": "linux",
        "os_name": "posix",
    }


def here() -> dict[str, str]:
    return dict(default_environment())


def own_extras(requirements: list[str]) -> list[Requirement]:
    """pyproject's requirements with `channelfin[extra]` replaced by that extra's own requirements."""
    expanded = []
    for text in requirements:
        requirement = Requirement(text)
        if canonicalize_name(requirement.name) == PROJECT["name"]:
            for extra in requirement.extras:
                expanded += own_extras(PROJECT["optional-dependencies"][extra])
        else:
            expanded.append(requirement)
    return expanded


def applies(marker: Marker | None, environment: dict[str, str], extra: str) -> bool:
    """Whether a dependency declared with this marker is needed, for this extra of the distribution."""
    return extra == "" if marker is None else marker.evaluate({**environment, "extra": extra})


def needed(roots: list[Requirement], environment: dict[str, str]) -> tuple[dict[str, list[Requirement]], set[str]]:
    """Every distribution the roots need in `environment` (with what asks for it), and those not installed."""
    asked: dict[str, list[Requirement]] = {}
    absent: set[str] = set()
    walked: set[tuple[str, str]] = set()
    queue = [r for r in roots if applies(r.marker, environment, "")]
    while queue:
        requirement = queue.pop()
        name = canonicalize_name(requirement.name)
        asked.setdefault(name, []).append(requirement)
        for extra in ("", *sorted(requirement.extras)):
            if (name, extra) in walked:
                continue
            walked.add((name, extra))
            try:
                declared = metadata.requires(name) or []
            except metadata.PackageNotFoundError:
                absent.add(name)
                continue
            for text in declared:
                dependency = Requirement(text)
                if applies(dependency.marker, environment, extra):
                    queue.append(dependency)
    return asked, absent


def disagreements(
    lock: dict[NormalizedName, Version], roots: list[Requirement], environment: dict[str, str]
) -> list[str]:
    asked, absent = needed(roots, environment)
    problems = [f"{name} is needed but not locked" for name in sorted(asked.keys() - lock.keys())]
    problems += [f"{name} is locked but nothing needs it" for name in sorted(lock.keys() - asked.keys())]
    for name in sorted(asked.keys() & lock.keys()):
        for requirement in asked[name]:
            if not requirement.specifier.contains(lock[name], prereleases=True):
                problems.append(f"{name}=={lock[name]} does not satisfy {requirement}")
    problems += [f"{name} is not installed here, so what it needs is unknown" for name in sorted(absent - asked.keys())]
    return problems


@pytest.mark.parametrize("lock", [LAMBDA_LOCK, DEV_LOCK], ids=lambda p: p.name)
def test_every_locked_release_is_pinned_with_its_hashes(lock):
    assert pins(lock), f"{lock.name} pins nothing"
    for pin in pins(lock):
        assert pin.hashes, f"{lock.name}: {pin.name} has no --hash (pip's --require-hashes would refuse it)"
        assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in pin.hashes), f"{lock.name}: {pin.name}"
    assert lock.read_text().startswith("# GENERATED by scripts/lock"), f"{lock.name}: say it is generated"


def test_the_lambda_lock_holds_exactly_what_the_dependencies_need():
    lock = pinned(LAMBDA_LOCK, lambda_environment())
    problems = disagreements(lock, own_extras(PROJECT["dependencies"]), lambda_environment())
    assert problems == [], f"pyproject.toml's dependencies and requirements.txt disagree: {problems}; {FIX}"


def test_the_dev_lock_holds_exactly_what_the_test_extra_needs_here():
    roots = own_extras([*PROJECT["dependencies"], *PROJECT["optional-dependencies"]["test"]])
    problems = disagreements(pinned(DEV_LOCK, here()), roots, here())
    assert problems == [], f"pyproject.toml and requirements-dev.txt disagree: {problems}; {FIX}"


def test_lambda_ships_the_versions_the_tests_run():
    shipped = pinned(LAMBDA_LOCK, lambda_environment())
    tested = pinned(DEV_LOCK, lambda_environment())
    differ = {n: f"ships {v}, tested {tested.get(n)}" for n, v in shipped.items() if tested.get(n) != v}
    assert differ == {}, f"{differ}; {FIX}"


def test_boto3_and_botocore_ship_together():
    """Shipped in the zips at the tested versions, not the runtime's boto3 beside our botocore."""
    shipped = pinned(LAMBDA_LOCK, lambda_environment())
    assert {"boto3", "botocore", "s3transfer"} <= shipped.keys()


def test_the_environment_is_the_one_the_lock_describes():
    wrong = {}
    for name, version in pinned(DEV_LOCK, here()).items():
        try:
            installed = Version(metadata.version(name))
        except metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            wrong[name] = f"locked {version}, installed {installed}"
    assert wrong == {}, f"{wrong}: rm .venv/.channelfin-installed and run scripts/setup"


class _AnyTag(yaml.SafeLoader):
    """serverless.yml with CloudFormation's short forms (!Ref, !Sub...) read as plain values."""


_AnyTag.add_multi_constructor("!", lambda loader, suffix, node: None)


def serverless() -> Any:
    return yaml.load((ROOT / "serverless.yml").read_text(), Loader=_AnyTag)  # noqa: S506 (a safe loader)


def test_the_lambda_lock_is_resolved_for_what_packaging_installs():
    """Same Python version and platform as infra/package.py installs for, and the runtime is that Python."""
    config = serverless()
    version, platform = lambda_target()
    assert config["custom"]["lambdaPython"] == version and config["custom"]["lambdaPlatform"] == platform, FIX
    assert config["provider"]["runtime"] == f"python{version}"
    assert config["provider"]["architecture"] == ("x86_64" if platform.endswith("x86_64") else "arm64")
