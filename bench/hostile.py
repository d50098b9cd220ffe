"""What a hostile document costs before it is refused (issue 17): the red team's exploding fragments.

Each of 19 fragments spreads the next one twice (under 1 KB); walked spread by spread it took
13 s of CPU. Measured through the handler with a real API Gateway event, median of `runs`.
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

LEVELS = 19


def exploding_fragments(levels: int = LEVELS) -> str:
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels))
    return "{ ...F0 } " + chain + f" fragment F{levels} on Query {{ viewer {{ sub }} }}"


def refusal_ms(api: Any, event_for: Any, who: dict[str, str], runs: int = 25) -> float:
    """Median milliseconds from the event to the refusal; each answer checked to be QUERY_TOO_COSTLY.

    Each document differs by a comment, so no cache (parse, validation, cost) has seen it before.
    """
    times = []
    for n in range(runs):
        event = event_for(f"{exploding_fragments()} # {n}", who)
        start = time.perf_counter()
        answer = api.handler(event, api.context)
        times.append(time.perf_counter() - start)
        codes = [e["extensions"]["code"] for e in json.loads(answer["body"])["errors"]]
        assert codes == ["QUERY_TOO_COSTLY"], codes
    return round(statistics.median(times) * 1000, 2)
