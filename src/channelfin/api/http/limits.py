"""The limits a client meets (DESIGN 4), as configuration: defaults after GraphQL Armor's.

No GraphQL import here: the step functions' Lambdas read settings too and should not pay
for Strawberry at their cold start. `query_limits` enforces them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Limits:
    max_depth: int = 8
    max_aliases: int = 15
    max_tokens: int = 2_000
    max_document_chars: int = 15_000
    max_cost: int = 5_000
    max_batch: int = 10
    max_body_bytes: int = 1_000_000
    max_list_input: int = 100
    max_string_input: int = 1_000
    max_repeated_fields: int = 10
    introspection: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, introspection: bool = True) -> Limits:
        """`CHANNELFIN_MAX_DEPTH`, `CHANNELFIN_MAX_ALIASES`, ... override the defaults."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {"introspection": introspection}
        for f in fields(cls):
            name = f"CHANNELFIN_{f.name.upper()}"
            if f.name != "introspection" and env.get(name):
                values[f.name] = int(env[name])
        return cls(**values)
