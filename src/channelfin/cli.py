"""`channelfin dev | token | export-schema | seed-demo | migrate | trust-documents` — the local commands of DESIGN 5."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from channelfin.domain.access import LEASER_STAFF, Role
from channelfin.local import arguments

DEFAULT_DATA_DIR = ".channelfin"
ROLES = tuple(role.value for role in Role)


def _data_dir(value: str | None) -> Path:
    path = Path(value or os.environ.get("CHANNELFIN_DATA_DIR") or DEFAULT_DATA_DIR).resolve()
    if path.exists() and not path.is_dir():
        raise SystemExit(f"the data directory {path} is a file: give a directory (--data-dir)")
    return path


def _say(message: str) -> None:
    print(message, flush=True)


class Terminated(Exception):
    """SIGTERM, turned into an exception so `finally` blocks stop what we started."""


def _raise_terminated(_signum: int, _frame: object) -> None:
    raise Terminated


def cmd_dev(args: argparse.Namespace) -> int:
    import uvicorn
    from aws_lambda_powertools import Logger

    from channelfin.api.http.app import create_app
    from channelfin.api.http.auth import LOCAL_CONNECTOR_CLIENT
    from channelfin.bootstrap import Settings, build_idempotency, build_persisted_queries, build_ports
    from channelfin.local import graphiql
    from channelfin.local.devserver import DEFAULT_CORS_ORIGINS, with_cors, with_dev_tokens
    from channelfin.local.dynamodb_local import (
        DynamoDBLocal,
        DynamoDBLocalNotInstalled,
        JavaMissing,
        aws_env,
        free_port,
    )
    from channelfin.local.signing_pages import signing_routes
    from channelfin.local.stepfunctions_local import LocalStepFunctions
    from channelfin.local.tokens import issue, load_or_create_secret
    from channelfin.local.web_assets import web_dist_dir, with_web_app
    from channelfin.local.webhook_worker import WebhookWorker
    from channelfin.services.financing import restart_in_flight_workflows
    from channelfin.services.migrations import index_enrollments, migrate
    from channelfin.store.tables import create_missing_tables

    # uvicorn re-raises the signal it caught once it has shut down; with this handler that ends
    # in our `finally` instead of killing the process before DynamoDB Local is stopped.
    signal.signal(signal.SIGTERM, _raise_terminated)
    # The parent of the library modules' child loggers, as the Lambda handler's is: JSON lines with their keys
    # (an internal error's correlation_id) on stdout. Without it they would print bare messages.
    Logger(service="channelfin", level=os.environ.get("POWERTOOLS_LOG_LEVEL", "INFO"))
    data_dir = _data_dir(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = load_or_create_secret(data_dir)
    dynamo = DynamoDBLocal(
        port=args.dynamodb_port or free_port(),
        db_path=data_dir / "dynamodb",
        log_file=data_dir / "dynamodb-local.log",
    )
    _say(f"==> starting DynamoDB Local (data in {data_dir / 'dynamodb'})")
    try:
        dynamo.launch()  # the JVM starts while moto's engine does (about 2 s each)
    except (JavaMissing, DynamoDBLocalNotInstalled) as exc:
        print(f"channelfin dev: {exc}", file=sys.stderr)
        return 1
    engine = LocalStepFunctions()
    worker: WebhookWorker | None = None
    try:
        os.environ.update(aws_env(dynamo.endpoint_url))
        _say("==> starting the local Step Functions engine (moto) with infra/{financing,escrow,payments}.asl.json")
        engine.start()
        state_machine = engine.deploy_financing(lambda: ports)
        escrow_machine = engine.deploy_escrow(lambda: ports)
        payments_machine = engine.deploy_payments(lambda: ports)
        os.environ["AWS_ENDPOINT_URL_SFN"] = engine.endpoint_url
        os.environ["CHANNELFIN_FINANCING_STATE_MACHINE_ARN"] = state_machine
        os.environ["CHANNELFIN_ESCROW_STATE_MACHINE_ARN"] = escrow_machine
        os.environ["CHANNELFIN_PAYMENTS_STATE_MACHINE_ARN"] = payments_machine
        os.environ["AWS_ENDPOINT_URL_S3"] = engine.endpoint_url  # the documents' bucket, on the same moto server
        dynamo.wait_ready()
        os.environ["CHANNELFIN_PUBLIC_URL"] = f"http://127.0.0.1:{args.port}"
        os.environ.setdefault(
            "CHANNELFIN_ESIGN_WEBHOOK_SECRET", load_or_create_secret(data_dir, "esign-webhook-secret")
        )
        # Cursors stay valid across restarts of the same dev stack (and only there).
        os.environ.setdefault("CHANNELFIN_CURSOR_SECRET", load_or_create_secret(data_dir, "cursor-secret"))
        # Test receivers run on this machine: http to a loopback address is allowed here only.
        os.environ.setdefault("CHANNELFIN_WEBHOOK_ALLOW_LOOPBACK", "true")
        settings = Settings.from_env()
        ports = build_ports(settings)
        created = create_missing_tables(progress=lambda m: _say(f"    {m}"))
        if ports.document_store.ensure_bucket():  # type: ignore[attr-defined]
            _say(f"    created bucket {settings.documents_bucket} (moto's S3; it keeps nothing across restarts)")
        _say(
            f"    DynamoDB Local on {dynamo.endpoint_url} (pid {dynamo.pid}); "
            f"{'tables created' if created else 'tables already there'}"
        )
        _say(f"    Step Functions on {engine.endpoint_url}: {state_machine}, {escrow_machine}, {payments_machine}")
        migrated = migrate(ports, progress=lambda m: _say(f"    {m}"))
        if migrated:
            _say(f"    {migrated} payouts given their payer and ledger entries")
        if indexed := index_enrollments(ports):
            _say(f"    {indexed} enrolments made before consent listed among their partners'")
        restart_in_flight_workflows(ports, progress=lambda m: _say(f"    {m}"))
        node_modules = graphiql.find_node_modules()
        if missing := graphiql.missing_assets(node_modules):
            _say(f"    GraphiQL's files are missing ({', '.join(missing)}): run scripts/setup (npm ci)")
        worker = WebhookWorker(float(os.environ.get("CHANNELFIN_WEBHOOK_POLL_SECONDS", "0.25")))
        worker.start()  # its imports overlap the app's build; its first pass is awaited before serving
        api = create_app(
            ports,
            graphiql=graphiql.page,
            limits=settings.limits,
            idempotency=build_idempotency(settings),
            integration_clients={**settings.integration_clients, LOCAL_CONNECTOR_CLIENT: None},
            persisted=build_persisted_queries(settings),
            esign_secret=settings.esign_webhook_secret,
            extra_routes=[
                *signing_routes(
                    ports, secret=settings.esign_webhook_secret, webhook_url=f"{settings.public_url}/webhooks/esign"
                ),
                *graphiql.asset_routes(node_modules),
            ],
        )
        origins = args.cors_origin or [o for o in os.environ.get("CHANNELFIN_CORS_ORIGINS", "").split(",") if o]
        web = web_dist_dir()
        app = with_web_app(with_cors(with_dev_tokens(api, secret), origins or DEFAULT_CORS_ORIGINS), web)
        url = f"http://127.0.0.1:{args.port}/graphql"
        admin = issue(secret, role="leaser-admin", sub="dev-leaser-admin")
        _say(f"==> GraphQL API and GraphiQL on {url} (CORS: {', '.join(origins or DEFAULT_CORS_ORIGINS)})")
        _say("    a leaser-admin token for the Authorization header (others: `channelfin token --help`):")
        _say(f"    Bearer {admin}")
        if web:
            _say(
                f"==> partner extranet on http://127.0.0.1:{args.port}/ (from {web}); sign in as a partner's user with"
            )
            _say(
                f"    http://127.0.0.1:{args.port}/?token=$(channelfin token --role partner-user --partner PARTNER_ID)"
            )
        else:
            _say("    (the partner extranet is not built: scripts/setup builds web/ when Node.js is there)")
        worker.wait_ready()
        _say("    webhook delivery in its own process: what the outbox held (a crash's leftovers) is sent")
        _say("    Ctrl-C stops everything.")
        uvicorn.run(app, host="127.0.0.1", port=args.port, log_level=args.log_level, lifespan="off")
    finally:
        _say("==> stopping webhook delivery, Step Functions and DynamoDB Local")
        if worker is not None:
            worker.stop()
        engine.stop()
        dynamo.stop()
        _say("    stopped")
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    from channelfin.local.tokens import issue, load_or_create_secret

    partner, role = args.partner, Role(args.role)
    if partner and role in LEASER_STAFF:
        raise SystemExit(f"--role {args.role} is leaser staff, who act for no partner: leave out --partner")
    if not partner and role in (Role.PARTNER_ADMIN, Role.PARTNER_USER):
        raise SystemExit(f"--role {args.role} acts for a partner: give --partner PARTNER_ID")
    if partner:
        partner = _partner_local_id(partner)
    secret = load_or_create_secret(_data_dir(args.data_dir))
    print(issue(secret, role=args.role, partner_id=partner, sub=args.sub, ttl_seconds=args.ttl))
    return 0


def _partner_local_id(value: str) -> str:
    """Accept a partner's global id (as the API shows it) or its raw id."""
    from channelfin.api.core.ids import from_global_id
    from channelfin.domain.errors import ValidationError

    try:
        type_name, local = from_global_id(value)
    except ValidationError:
        return value
    if type_name != "Partner":
        raise SystemExit(f"--partner expects a Partner id, got a {type_name} id")
    return local


def cmd_export_schema(args: argparse.Namespace) -> int:
    from channelfin.api.schema import schema

    text = schema.as_str() + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        try:
            Path(args.output).write_text(text)
        except OSError as exc:
            raise SystemExit(f"cannot write {args.output}: {exc.strerror}") from None
        _say(f"wrote {args.output}")
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from channelfin.local.demo import DemoSeedError, seed
    from channelfin.local.tokens import load_or_create_secret

    secret = load_or_create_secret(_data_dir(args.data_dir))
    try:
        seed(args.url, secret, progress=_say)
    except DemoSeedError as exc:
        print(f"seed-demo: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from channelfin.bootstrap import Settings, build_ports
    from channelfin.services.migrations import index_enrollments, migrate

    env = dict(os.environ)
    if args.stage:
        env["CHANNELFIN_STAGE"] = args.stage
        env.pop("CHANNELFIN_TABLE_PREFIX", None)
    settings = Settings.from_env(env)
    where = settings.dynamodb_endpoint or f"DynamoDB in {settings.region}"
    _say(f"==> {'checking' if args.dry_run else 'migrating'} the tables {settings.table_prefix}* on {where}")
    ports = build_ports(settings)
    count = migrate(ports, progress=lambda m: _say(f"    {m}"), dry_run=args.dry_run)
    _say(f"==> {count} payouts {'to be given' if args.dry_run else 'given'} their payer and ledger entries")
    indexed = index_enrollments(ports, dry_run=args.dry_run)
    _say(f"==> {indexed} enrolments made before consent {'to be listed' if args.dry_run else 'listed'}")
    return 0


def cmd_trust_documents(args: argparse.Namespace) -> int:
    import json

    from channelfin.api.http.persisted_queries import manifest_documents
    from channelfin.bootstrap import Settings, build_ports
    from channelfin.store.persisted_queries import DynamoPersistedQueries

    try:
        documents = manifest_documents(json.loads(Path(args.manifest).read_text()))
    except (OSError, ValueError) as exc:
        print(f"trust-documents: {exc}", file=sys.stderr)
        return 1
    env = dict(os.environ)
    if args.stage:
        env["CHANNELFIN_STAGE"] = args.stage
        env.pop("CHANNELFIN_TABLE_PREFIX", None)
    settings = Settings.from_env(env)
    build_ports(settings)  # binds the tables
    store = DynamoPersistedQueries()
    for sha256, document in documents.items():
        store.put(sha256, document, ttl_seconds=None, trusted=True)
    _say(f"==> {len(documents)} trusted documents in {settings.table_prefix}persisted-queries")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="channelfin",
        description="channelfin's tools: the dev stack, dev tokens, the schema, demo data, data migrations.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    data_help = f"data directory (default ${{CHANNELFIN_DATA_DIR}} or ./{DEFAULT_DATA_DIR})"

    dev = sub.add_parser(
        "dev",
        help="run DynamoDB Local and the API with GraphiQL on 127.0.0.1",
        description="Start DynamoDB Local (data kept in the data directory), create the tables on first "
        "start, and serve the GraphQL API with GraphiQL at http://127.0.0.1:PORT/graphql. "
        "Ctrl-C (or SIGTERM) stops all of it.",
    )
    dev.add_argument("--port", type=arguments.port, default=8000, help="HTTP port of the API (default 8000)")
    dev.add_argument("--data-dir", help=data_help)
    dev.add_argument("--dynamodb-port", type=arguments.port, help="port of DynamoDB Local (default: a free one)")
    dev.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    dev.add_argument(
        "--cors-origin",
        action="append",
        metavar="ORIGIN",
        help="an origin browsers may call the API from, e.g. http://localhost:5173 or http://localhost:* "
        "(repeatable; default ${CHANNELFIN_CORS_ORIGINS}, comma-separated, or http://localhost:* and "
        "http://127.0.0.1:*)",
    )
    dev.set_defaults(func=cmd_dev)

    token = sub.add_parser(
        "token",
        help="print a dev bearer token",
        description="Print a bearer token that `channelfin dev` accepts, with the claims Cognito would issue "
        "(sub, custom:partner_id, cognito:groups). Use it as `Authorization: Bearer <token>`.",
    )
    token.add_argument("--role", required=True, choices=ROLES, help="the Cognito group")
    token.add_argument("--partner", help="the partner the user belongs to (global or raw id)")
    token.add_argument("--sub", help="the user id (default derived from role and partner)")
    token.add_argument(
        "--ttl",
        type=arguments.ttl,
        default=12 * 3600,
        help="lifetime in seconds, up to 30 days (default 12 h); negative: already expired",
    )
    token.add_argument("--data-dir", help=data_help)
    token.set_defaults(func=cmd_token)

    export = sub.add_parser(
        "export-schema", help="write schema.graphql", description="Write the schema exported from the code."
    )
    export.add_argument("--output", default="schema.graphql", help="file to write, or - for stdout")
    export.set_defaults(func=cmd_export_schema)

    seed = sub.add_parser(
        "seed-demo",
        help="fill the running dev stack with demo data",
        description="Create, through the API of a running `channelfin dev`, the partners of the sources "
        "(a leaser, a publisher, resellers, the four partner tiers, two distributors), financing agreements "
        "and a few contracts. Skips what already exists.",
    )
    seed.add_argument("--url", default="http://127.0.0.1:8000/graphql", help="the dev API's GraphQL URL")
    seed.add_argument("--data-dir", help=data_help + "; must be the one `channelfin dev` uses")
    seed.set_defaults(func=cmd_seed_demo)

    migrate = sub.add_parser(
        "migrate",
        help="bring stored data up to the current rules",
        description="Give payouts stored before payers existed their payer and ledger entries (idempotent; "
        "`channelfin dev` does it at start). Uses the AWS credentials and region of the environment; the "
        "tables are channelfin-STAGE-* unless CHANNELFIN_TABLE_PREFIX says otherwise.",
    )
    migrate.add_argument("--stage", help="the deployed stage (default ${CHANNELFIN_STAGE} or local)")
    migrate.add_argument("--dry-run", action="store_true", help="count what would change, write nothing")
    migrate.set_defaults(func=cmd_migrate)

    trust = sub.add_parser(
        "trust-documents",
        help="register the operations a stage with trusted documents runs",
        description="Store the GraphQL documents of a manifest as trusted (no expiry): with "
        "CHANNELFIN_TRUSTED_DOCUMENTS=true a stage runs only those. The manifest is Apollo's persisted "
        'query manifest ({"format": "apollo-persisted-query-manifest", "operations": [...]}) or a JSON '
        'object {"<sha256>": "<document>"} (graphql-codegen\'s persisted documents); every hash is checked.',
    )
    trust.add_argument("manifest", help="the manifest file (JSON)")
    trust.add_argument("--stage", help="the deployed stage (default ${CHANNELFIN_STAGE} or local)")
    trust.set_defaults(func=cmd_trust_documents)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except Terminated:
        return 0


if __name__ == "__main__":
    sys.exit(main())
