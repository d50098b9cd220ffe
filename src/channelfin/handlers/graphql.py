"""The GraphQL Lambda: API Gateway (HTTP API, JWT authorizer) → Mangum → the ASGI app.

The app is built at import, in Lambda's init phase: the schema, the executor and the ports,
so the first request has only itself to do. With SnapStart (`serverless.yml`: the function is
invoked through its published version's alias) that init runs once per published version and
is snapshotted; the runtime's `snapshot_restore_py` hooks then
- before the snapshot, fill the parse and validation caches with the operations clients send
  (`api/http/known_operations.graphql`), opening nothing;
- after each restore, reseed `random` (every restored copy would share its state) and build
  fresh ports: new botocore sessions and clients, so no client, credential or connection of the
  snapshot is shared between copies (only the service models parsed at init are kept:
  `store/sessions.py`).
Without SnapStart (an unpublished version, the tests, the bench) the hooks never run: the
import still builds the app, and caches fill as requests come.
"""

from __future__ import annotations

import gc

# Init makes ~175,000 objects that live as long as the process (the schema's types, botocore's
# models) and almost no garbage (2,396 unreachable objects after the build, measured). The cyclic
# collector's passes over them cost ~50 ms of a cold start, so it is off until the app is built;
# what init made is then frozen out of every later collection, which warm requests would
# otherwise pay for in a full pass over it (~80 ms).
gc.disable()
# Init compiles ~1,500 dataclass methods (ours, Strawberry's, the libraries'): their code is kept
# between processes, like modules' bytecode (dataclass_code.py).
from channelfin.handlers import dataclass_code  # noqa: E402  (after the collector is off)

_dataclass_methods = dataclass_code.install()
try:
    import random
    from typing import Any

    from aws_lambda_powertools import Logger
    from aws_lambda_powertools.logging import correlation_paths

    logger = Logger(service="channelfin")
except BaseException:  # an import or the logger's settings failed: the process must not stay without a collector
    dataclass_code.uninstall(_dataclass_methods)
    gc.enable()
    raise


def _claims_from_authorizer(app: Any) -> Any:
    """Copy the claims API Gateway's JWT authorizer verified into the ASGI scope."""

    async def with_claims(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            event = scope.get("aws.event") or {}
            authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
            scope["channelfin.claims"] = (authorizer.get("jwt") or {}).get("claims")
        await app(scope, receive, send)

    return with_claims


def lambda_adapter(app: Any) -> Any:
    """Mangum around the ASGI app, with the claims of API Gateway's JWT authorizer in its scope."""
    from mangum import Mangum

    return Mangum(_claims_from_authorizer(app), lifespan="off")


def _build() -> Any:
    from channelfin.api.http.graphql_app import create_graphql_app
    from channelfin.bootstrap import Settings, build_idempotency, build_persisted_queries, build_ports
    from channelfin.store.sessions import save_models

    settings = Settings.from_env()
    if not (settings.cursor_secret or settings.cursor_secret_id):
        logger.warning("no cursor signing key configured: cursors work only on the instance that issued them")
    # The bare GraphQL endpoint behind its guards: Starlette's router and middleware cost ~0.3 ms
    # a request for nothing here.
    ports = build_ports(settings)
    app = create_graphql_app(
        ports,
        limits=settings.limits,
        idempotency=build_idempotency(settings),
        integration_clients=settings.integration_clients,
        persisted=build_persisted_queries(settings),
    )
    save_models()  # what the clients parsed of botocore's data, for the next cold start
    return lambda_adapter(app)


try:
    _asgi_handler: Any = _build()
finally:
    _dataclass_methods.save()
    dataclass_code.uninstall(_dataclass_methods)
    gc.freeze()
    gc.enable()


def before_snapshot() -> None:
    """Parse and validate the known operations, so a restored copy answers them from its caches."""
    from channelfin.api.http.warm_up import warm_caches
    from channelfin.bootstrap import Settings

    warmed = warm_caches(Settings.from_env().limits)
    # Time is free here: collect init's garbage, so the snapshot does not keep it frozen.
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    logger.info("caches warmed before the snapshot", extra={"operations": warmed})


def after_restore() -> None:
    """A restored copy: its own random state, its own AWS sessions, clients and connections."""
    global _asgi_handler
    random.seed()
    from channelfin.store.sessions import forget_sessions

    forget_sessions()
    _asgi_handler = _build()


try:  # the runtime's SnapStart hooks (Lambda's Python 3.12+ runtimes; PyPI's snapshot-restore-py elsewhere)
    from snapshot_restore_py import register_after_restore, register_before_snapshot
except ImportError:  # not on Lambda, and the module is not installed: nothing is ever snapshotted
    pass
else:
    register_before_snapshot(before_snapshot)
    register_after_restore(after_restore)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, clear_state=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _asgi_handler(event, context)
