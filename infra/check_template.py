"""checkov on the packaged template, against the committed baseline (run by infra/validate).

checkov runs from its own environment (.venv-checkov, made by scripts/setup: its pins cannot
share .venv's). Every finding must be listed in infra/checkov-baseline.yaml under its check id,
with the resource and a reason; a finding not listed fails, and so does a listed entry that
matches no finding any more (fixed: remove it). Exit status 1 and one line per problem otherwise.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / ".serverless" / "cloudformation-template-update-stack.json"
BASELINE = ROOT / "infra" / "checkov-baseline.yaml"
CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"


@dataclass(frozen=True)
class Finding:
    check_id: str
    resource: str  # the template's logical id
    title: str


def load_baseline(path: Path = BASELINE) -> dict[str, dict]:
    entries = yaml.safe_load(path.read_text()) or {}
    if not isinstance(entries, dict):
        raise SystemExit(f"{path}: a mapping of check ids expected")
    return entries


def baseline_problems(baseline: dict[str, dict]) -> list[str]:
    """Each entry names its resources and says why in words, not a placeholder."""
    found = []
    for check_id, entry in baseline.items():
        if not isinstance(entry, dict):
            found.append(f"{check_id}: resources and reason expected")
            continue
        reason = entry.get("reason")
        if not isinstance(reason, str) or len(reason.split()) < 8:
            found.append(f"{check_id}: no reason (a sentence saying why the finding is accepted)")
        resources = entry.get("resources")
        if not isinstance(resources, list) or not resources or not all(isinstance(r, str) for r in resources):
            found.append(f"{check_id}: no resources (logical ids or patterns)")
    return found


def parse(report: dict | list) -> list[Finding]:
    """checkov's JSON report: one object per framework, or a list of them."""
    reports = report if isinstance(report, list) else [report]
    findings = []
    for one in reports:
        for failed in one.get("results", {}).get("failed_checks", []):
            logical_id = failed["resource"].split(".", 1)[-1]
            findings.append(Finding(failed["check_id"], logical_id, failed.get("check_name", "")))
    return findings


def problems(findings: list[Finding], baseline: dict[str, dict]) -> list[str]:
    found = baseline_problems(baseline)
    used: set[tuple[str, str]] = set()
    for finding in findings:
        patterns = (baseline.get(finding.check_id) or {}).get("resources") or []
        matching = [p for p in patterns if fnmatchcase(finding.resource, p)]
        if not matching:
            unlisted = f"{finding.check_id} on {finding.resource}: {finding.title}"
            found.append(f"{unlisted} (fix it, or baseline it with a reason)")
        used.update((finding.check_id, p) for p in matching)
    for check_id, entry in baseline.items():
        for pattern in (entry or {}).get("resources") or []:
            if (check_id, pattern) not in used:
                found.append(f"{check_id} on {pattern}: baselined but no longer found; remove it from {BASELINE.name}")
    return found


def run_checkov(template: Path = TEMPLATE) -> list[Finding]:
    if not CHECKOV.exists():
        raise SystemExit(f"{CHECKOV.relative_to(ROOT)} missing: run scripts/setup")
    completed = subprocess.run(
        [str(CHECKOV), "--file", str(template), "--framework", "cloudformation", "--output", "json", "--quiet",
         "--compact", "--skip-download"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if completed.returncode not in (0, 1) or not completed.stdout.strip():
        raise SystemExit(f"checkov failed ({completed.returncode}):\n{completed.stderr[-2000:]}")
    return parse(json.loads(completed.stdout))


def main() -> int:
    findings = run_checkov()
    found = problems(findings, load_baseline())
    for line in found:
        print(line, file=sys.stderr)
    if not found:
        checks = len({f.check_id for f in findings})
        print(f"checkov: {len(findings)} findings, all baselined with their reasons ({checks} checks)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
