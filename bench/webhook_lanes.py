"""The benchmark's webhook phase alone (`bench/webhooks.py`), for a few lane counts, interleaved.

Each measurement is a fresh interpreter with a stack of its own (DynamoDB Local in memory, 100
seeded contracts as `bench/run.py` seeds them), then `webhooks.measure`: 1,000 events to a
local receiver sent by `channelfin dev`'s delivery process with `CHANNELFIN_WEBHOOK_LANES`
set, createContract timed before and meanwhile. The runs alternate between lane counts, so a
busy moment of a shared machine does not land on one count only.

    PYTHONPATH=src python bench/webhook_lanes.py --lanes 1 4 8 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

FIGURES = (
    "webhook_fanout_1000_s",
    "mutation_fanout_ratio",
    "mutation_delivery_ratio",
    "mutation_cpu_fanout_ratio",
    "mutation_ddb_requests_without_endpoint",
    "mutation_ddb_requests_during_fanout",
)


def measure_once(runs: int) -> dict[str, Any]:
    sys.path.insert(0, str(Path(__file__).parent))
    import run
    import webhooks

    with run.local_stack():
        from channelfin.bootstrap import Settings, build_ports
        from channelfin.store.tables import create_missing_tables

        ports = build_ports(Settings.from_env())
        create_missing_tables()
        _, publisher, reseller = run.seed_contracts(ports, 100)
        api = run.Api()
        figures: dict[str, Any] = webhooks.measure(ports, api, run.claims, publisher, reseller, runs, run.DynamoCalls())
        return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lanes", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=60, help="createContract timed before and during")
    parser.add_argument("--once", action="store_true", help="one measurement, here (what each round runs)")
    args = parser.parse_args(argv)
    if args.once:
        print(json.dumps(measure_once(args.runs)))
        return 0
    for round_ in range(1, args.rounds + 1):
        for lanes in args.lanes:
            env = {**os.environ, "CHANNELFIN_WEBHOOK_LANES": str(lanes)}
            done = subprocess.run(
                [sys.executable, __file__, "--once", "--runs", str(args.runs)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            shown = "  ".join(f"{k} {figures[k]}" for k in FIGURES)
            print(f"round {round_} lanes {lanes}: {shown}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
