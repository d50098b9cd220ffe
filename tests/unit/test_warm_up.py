"""The GraphQL Lambda's SnapStart hooks: what is done before the snapshot, and after each restore."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
from pathlib import Path

from channelfin.api.http import execution
from channelfin.api.http.known_operations import KNOWN_OPERATIONS
from channelfin.api.http.limits import Limits
from channelfin.api.http.warm_up import warm_caches
from channelfin.handlers import graphql as graphql_handler
from channelfin.store import sessions


def test_the_handler_module_has_built_its_app_at_import():
    # Lambda's init phase (and SnapStart's snapshot) holds the built app: the first request builds nothing.
    assert graphql_handler._asgi_handler is not None


def test_every_known_operation_is_valid_against_the_schema():
    executor = execution.executor(Limits())
    problems = {text.split("(")[0]: [e.message for e in executor.prepare(text)] for text in KNOWN_OPERATIONS}
    assert {name: errors for name, errors in problems.items() if errors} == {}


def test_before_the_snapshot_the_known_operations_are_parsed_and_validated():
    execution._parsed.cache_clear()
    execution._validated.cache_clear()
    assert warm_caches(Limits()) == len(KNOWN_OPERATIONS)
    assert execution._parsed.cache_info().currsize == len(KNOWN_OPERATIONS)
    assert execution._validated.cache_info().currsize == len(KNOWN_OPERATIONS)
    # A request with one of them now parses and validates nothing.
    before = execution._validated.cache_info().misses
    execution.executor(Limits()).prepare(KNOWN_OPERATIONS[0])
    assert execution._validated.cache_info().misses == before


def test_after_a_restore_random_state_sessions_and_the_app_are_new(monkeypatch):
    built = graphql_handler._asgi_handler
    session = sessions.session()
    random.seed(7)
    snapshot_draw = random.random()
    random.seed(7)  # as every copy restored from one snapshot would be
    graphql_handler.after_restore()
    assert random.random() != snapshot_draw
    assert graphql_handler._asgi_handler is not built
    assert sessions.session() is not session


def test_the_hooks_are_registered_with_the_runtime_library():
    import snapshot_restore_py  # PyPI's copy of the runtime's library (the test extra)

    # The runtime calls each registered (function, args, kwargs) before the snapshot / after a restore.
    assert (graphql_handler.before_snapshot, (), {}) in snapshot_restore_py.get_before_snapshot()
    assert (graphql_handler.after_restore, (), {}) in snapshot_restore_py.get_after_restore()


def test_the_handler_imports_only_what_a_graphql_request_needs():
    # The dev server's app, the webhook and the e-signature and PDF adapters belong to other
    # functions: the GraphQL Lambda's init has no use for them. (Starlette comes in with
    # brotli-asgi, which compresses the answers.)
    code = "import sys, channelfin.handlers.graphql; print(' '.join(sorted(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    loaded = set(
        subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    )
    unwanted = {"channelfin.api.http.app", "channelfin.api.http.esign_webhook", "channelfin.adapters.pdf",
                "fpdf", "PIL", "channelfin.adapters.esign.yousign"}  # fmt: skip
    assert loaded & unwanted == set()


def _fresh(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return done.stdout.splitlines()[-1]  # after what the handler's logger writes


def test_init_runs_without_the_collector_and_freezes_what_it_built():
    # The collector is off while the handler imports and builds (a collection during init only
    # traverses objects that live as long as the process), back on after, with what init made
    # frozen out of later collections.
    # Counted from the module's first line (the audit event of its code's exec): compiling its
    # source, when no bytecode is written, allocates enough for a collection before that.
    code = (
        "import gc, sys\n"
        "running, seen = [], []\n"
        "def audit(event, args):\n"
        "    if event == 'exec' and getattr(args[0], 'co_filename', '').endswith('handlers/graphql.py'):\n"
        "        running.append(True)\n"
        "sys.addaudithook(audit)\n"
        "gc.callbacks.append(lambda phase, info: running and seen.append(phase))\n"
        "import channelfin.handlers.graphql\n"
        "print(len(seen), gc.isenabled(), gc.get_freeze_count())\n"
    )
    collections, enabled, frozen = _fresh(code).split()
    assert collections == "0"
    assert enabled == "True"
    assert int(frozen) > 50_000


def test_a_failing_build_leaves_the_collector_on():
    code = (
        "import gc, os\n"
        "os.environ['CHANNELFIN_INTEGRATION_CLIENTS'] = 'not json'\n"
        "try:\n"
        "    import channelfin.handlers.graphql\n"
        "except ValueError:\n"
        "    print(gc.isenabled())\n"
    )
    assert _fresh(code).strip() == "True"


def test_a_failing_import_leaves_the_collector_on():
    code = (
        "import gc, os\n"
        "os.environ['POWERTOOLS_LOG_LEVEL'] = 'NOT-A-LEVEL'\n"
        "try:\n"
        "    import channelfin.handlers.graphql\n"
        "except Exception:\n"
        "    print(gc.isenabled())\n"
    )
    assert _fresh(code).strip() == "True"


def test_new_sessions_do_not_grow_the_shared_loaders_search_paths():
    sessions.session()
    paths = list(sessions.session().get_component("data_loader").search_paths)
    for _ in range(3):
        sessions.forget_sessions()
        sessions.client("dynamodb", region_name="eu-west-3")
        thread = threading.Thread(target=lambda: sessions.client("dynamodb", region_name="eu-west-3"))
        thread.start()
        thread.join()
    assert sessions.session().get_component("data_loader").search_paths == paths


def test_before_the_snapshot_init_garbage_is_collected_and_the_rest_frozen():
    code = (
        "import gc, channelfin.handlers.graphql as h\n"
        "frozen = gc.get_freeze_count()\n"
        "h.before_snapshot()\n"
        "print(gc.get_freeze_count() < frozen + 50_000, gc.get_freeze_count() > 50_000, gc.isenabled())\n"
    )
    assert _fresh(code).split() == ["True", "True", "True"]


def test_new_sessions_share_the_parsed_service_models_and_nothing_else():
    before = sessions.session()
    sessions.forget_sessions()
    after = sessions.session()
    in_a_thread: list[object] = []
    thread = threading.Thread(target=lambda: in_a_thread.append(sessions.session()))
    thread.start()
    thread.join()
    assert after is not before and in_a_thread[0] is not after
    loader = before.get_component("data_loader")
    assert after.get_component("data_loader") is loader
    assert in_a_thread[0].get_component("data_loader") is loader  # type: ignore[attr-defined]
    assert after.get_component("credential_provider") is not before.get_component("credential_provider")


def test_a_restored_copy_parses_no_model_file_again(monkeypatch):
    import botocore.loaders

    graphql_handler.after_restore()  # whatever this process had not loaded yet
    parsed: list[str] = []
    load_file = botocore.loaders.JSONFileLoader.load_file

    def counted(self: object, file_path: str) -> object:
        parsed.append(file_path)
        return load_file(self, file_path)  # type: ignore[arg-type]

    monkeypatch.setattr(botocore.loaders.JSONFileLoader, "load_file", counted)
    graphql_handler.after_restore()
    sessions.client("dynamodb", region_name="eu-west-3")  # a client of the new session, as the first request makes
    assert parsed == []
