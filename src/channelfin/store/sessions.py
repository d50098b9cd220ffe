"""One botocore session per thread for every AWS client of the process.

A botocore session caches the service models it loads; a new session loads DynamoDB's model
again (~80 ms, against ~6 ms for a second client of the same session). PynamoDB gives each
connection its own session and boto3's default session is yet another, so a cold Lambda paid
that load once per table and once for the idempotency client. Here PynamoDB's connections and
our boto3 clients share the calling thread's session (botocore sessions are not meant to be
shared between threads; clients are).

`forget_sessions()` drops them all: a SnapStart copy restored from a snapshot builds its own.
The sessions of the process share one data loader, though: it holds only the service models
as parsed from botocore's JSON files (no credential, connection or random state), so a new
thread's session, or a restored copy's, does not parse them again (a SnapStart restore's
`after_restore`: 75 ms with its own loader, measured, most of it that parse). That loader also
keeps its parses between processes (botocore_models.py), saved at exit or by `save_models()`.
"""

from __future__ import annotations

import atexit
import threading
from typing import Any

import boto3
import botocore.session
import pynamodb.connection.base

from channelfin.store.botocore_models import KeptModelsLoader, kept_loader

_local = threading.local()
_generation = 0
_loader: KeptModelsLoader | None = None  # made for the first session, registered on every later one
_loader_lock = threading.Lock()


def session() -> botocore.session.Session:
    """The calling thread's botocore session (a new one after `forget_sessions`)."""
    return _sessions()[0]


def _sessions() -> tuple[botocore.session.Session, boto3.session.Session]:
    # One boto3 session on it too: each new boto3 session registers its handlers on the botocore
    # session again, which then refuses to make an S3 client ("Cannot inject class attribute").
    if getattr(_local, "generation", None) != _generation:
        with _loader_lock:
            core = botocore.session.get_session()
            _share_loader(core)
            made = boto3.session.Session(botocore_session=core)
            # Each boto3 session appends its data directory to its loader's search paths: on the
            # shared loader, once per thread and per restore, for as long as the process lives.
            paths = core.get_component("data_loader").search_paths
            paths[:] = list(dict.fromkeys(paths))
        _local.sessions = (core, made)
        _local.generation = _generation
    found: tuple[botocore.session.Session, boto3.session.Session] = _local.sessions
    return found


def _share_loader(core: botocore.session.Session) -> None:
    global _loader
    if _loader is None:
        _loader = kept_loader(core.get_config_variable("data_path"))
        atexit.register(save_models)
    core.register_component("data_loader", _loader)


def save_models() -> bool:
    """Keep what the process's loader parsed for the next processes (botocore_models.py)."""
    return _loader is not None and _loader.kept.save()


def client(service: str, **options: Any) -> Any:
    """A boto3 client of `service` on the calling thread's session (boto3 honours AWS_ENDPOINT_URL_<SERVICE>)."""
    return _sessions()[1].client(service, **options)


def forget_sessions() -> None:
    """Every thread makes a new session on its next client (PynamoDB's connections keep theirs until rebound)."""
    global _generation
    _generation += 1


def share_sessions() -> None:
    """PynamoDB's connections take their session from `session()` (they call `get_session` once per thread)."""
    pynamodb.connection.base.get_session = session
