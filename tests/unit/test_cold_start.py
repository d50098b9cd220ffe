"""What keeps the snapshot-less cold start cheap (bench/run.py's `cold_start_ratio`)."""

from __future__ import annotations

from pathlib import Path

API = Path(__file__).resolve().parents[2] / "src" / "channelfin" / "api"


def test_the_api_types_give_strawberry_evaluated_annotations():
    # With `from __future__ import annotations` every annotation is a string that Strawberry parses
    # (ast.parse, ast.unparse, eval) at each access, and fails on while dataclasses processes the
    # class: ~24% of our import's CPU. `http/` defines no Strawberry type and may keep it.
    stringified = [
        str(path.relative_to(API))
        for path in sorted(API.rglob("*.py"))
        if "http" not in path.relative_to(API).parts
        and "from __future__ import annotations" in path.read_text(encoding="utf-8")
    ]
    assert stringified == [], "quote the few forward references instead"
