"""No breaking change of the GraphQL schema goes unnoticed: each one is listed with its reason.

The schema the code exports (`channelfin export-schema`) is compared with the last committed
`schema.graphql` by graphql-core's `find_breaking_changes` (a field, type, argument or enum
value removed, a type made stricter, an argument made required...):
- while the schema has uncommitted changes, with HEAD's `schema.graphql`: the change being made;
- once the code's schema is HEAD's (a clean checkout, CI), with the version before the last
  commit that changed `schema.graphql`: the change just committed.
Each breaking change found must be listed in `docs/schema-changes.yaml` with a reason: a
deliberate break is possible, and stays on record. (`test_schema_file.py` checks that
`schema.graphql` is the export.)
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from graphql import build_schema, find_breaking_changes

from channelfin.cli import main

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = ROOT / "docs" / "schema-changes.yaml"


def git(*arguments: str) -> str | None:
    if shutil.which("git") is None:
        return None
    done = subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True)
    return done.stdout if done.returncode == 0 else None


def exported(tmp_path: Path) -> str:
    target = tmp_path / "schema.graphql"
    assert main(["export-schema", "--output", str(target)]) == 0
    return target.read_text()


def committed_before(current: str) -> tuple[str, str]:
    """The committed schema to compare with (see the module's docstring), and what it is."""
    if git("rev-parse", "--is-inside-work-tree") is None:
        pytest.skip("not in a git checkout (or no git): there is no committed schema.graphql to compare with")
    head = git("show", "HEAD:schema.graphql")
    if head is None:
        pytest.skip("schema.graphql is not committed yet: nothing to compare with")
    if head != current:
        return head, "HEAD's schema.graphql"
    last = (git("log", "-1", "--format=%H", "--", "schema.graphql") or "").strip()
    before = git("show", f"{last}~1:schema.graphql") if last else None
    if before is None:
        pytest.skip(f"no schema.graphql before commit {last[:10]} (the first one, or a shallow clone)")
    return before, f"schema.graphql before {last[:10]}, its last change"


def allowed() -> list[dict[str, Any]]:
    entries = yaml.safe_load(ALLOWED.read_text()) or []
    assert isinstance(entries, list), f"{ALLOWED.name} is a list of entries"
    return entries


def test_every_breaking_change_of_the_schema_is_listed_with_a_reason(tmp_path):
    current = exported(tmp_path)
    old, what = committed_before(current)
    found = [f"{c.type.name}: {c.description}" for c in find_breaking_changes(build_schema(old), build_schema(current))]
    listed = {entry["change"] for entry in allowed()}
    unlisted = [change for change in found if change not in listed]
    suggestion = [{"change": c, "reason": "", "date": dt.date.today()} for c in unlisted]
    assert not unlisted, (
        f"breaking changes of the GraphQL schema since {what}: clients built on it would fail.\n"
        "Undo them or, if they are deliberate, add them to docs/schema-changes.yaml with the reason and\n"
        "what clients must do:\n" + yaml.safe_dump(suggestion, sort_keys=False, allow_unicode=True)
    )


def test_every_listed_breaking_change_says_why():
    for entry in allowed():
        assert isinstance(entry, dict) and isinstance(entry.get("change"), str), f"{ALLOWED.name}: {entry}"
        assert str(entry.get("reason") or "").strip(), f"{ALLOWED.name}: {entry['change']} gives no reason"
        assert isinstance(entry.get("date"), dt.date), f"{ALLOWED.name}: {entry['change']} has no date (YYYY-MM-DD)"
