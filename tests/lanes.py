"""How `pytest -n 2` (scripts/test) shares the suite between its two workers.

pytest-xdist hands out whole scopes: each e2e module (its servers and browsers are processes of
their own, its module fixtures paid once), and the in-process layers (unit, integration,
workflow) as one scope, in their usual order. Those must stay in one process: moto's backends
are global to a process, and a unit test's `mock_aws` wipes the state machines the workflow
layer deployed at the start of its session (it did under plain `--dist load`). The in-process
scope, the longest, is collected first, so one worker starts on it while the other takes the
e2e modules, the biggest first; whichever is free then takes the rest.

`--dist loadgroup` with `xdist_group` marks would say the same, but pytest-xdist 3.8 writes the
group into `item._nodeid`, which pytest 9.2 no longer reads (node ids became `item._id`), so the
marks group nothing. The scheduler below overrides `LoadScopeScheduling._split_scope`, which
xdist's own LoadFile and LoadGroup schedulers override the same way; the name is private, so
tests/unit/test_private_symbols.py checks it and pyproject pins pytest-xdist to 3.8 (`~=`).
"""

from __future__ import annotations

from typing import Any

E2E = "tests/e2e/"
IN_PROCESS = "in-process"

# The e2e modules that take longest (seconds in a run of the suite on 2 workers, 2026-12-03):
# started first, so no long module is left for the end while the other worker idles.
LONGEST_FIRST = (
    "test_extranet_in_browser.py",  # 95
    "test_fuzzing.py",  # 61
    "test_webhooks_over_http.py",  # 61
    "test_dev_server.py",  # 58
    "test_financing_over_http.py",  # 34
    "test_clients_over_http.py",  # 28
)


def scope_of(nodeid: str) -> str:
    """The work unit a test belongs to: its e2e module, or the in-process layers as one."""
    return nodeid.split("::", 1)[0] if nodeid.startswith(E2E) else IN_PROCESS


def order(items: list[Any]) -> None:
    """In place: the in-process layers in their usual order, then the e2e modules, longest first."""

    def rank(item: Any) -> tuple[int, int]:
        scope = scope_of(item.nodeid)
        if scope == IN_PROCESS:
            return (0, 0)
        name = scope.rsplit("/", 1)[-1]
        return (1, LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST))

    items.sort(key=rank)  # stable: the order within each scope is kept


def scheduler(config: Any, log: Any) -> Any:
    from xdist.scheduler import LoadScopeScheduling

    class Lanes(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            return scope_of(nodeid)

    return Lanes(config, log)
