"""The one place that reads configuration and wires ports to adapters.

Nothing here runs at import time: the Lambda handler and the dev server call
`Settings.from_env()` and `build_ports()` when they start.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from channelfin.api.http.limits import Limits
from channelfin.domain.document_content import DocumentContent
from channelfin.domain.webhook_deliveries import RetrySchedule
from channelfin.domain.webhook_urls import UrlPolicy
from channelfin.services.ports import (
    DocumentRenderer,
    Metrics,
    Notifier,
    Payments,
    Ports,
    SignatureProvider,
)
from channelfin.services.webhook_ports import WebhookSettings

if TYPE_CHECKING:
    from channelfin.api.http.idempotency import IdempotentRequests
    from channelfin.api.http.persisted_queries import PersistedQueries

DAY = 24 * 3600
# How long the financing workflow waits for people before the file EXPIRES (execution input).
WAIT_TIMEOUTS = (
    ("creditReviewSeconds", "CREDIT_REVIEW", 30 * DAY),
    ("signaturesSeconds", "SIGNATURES", 30 * DAY),
    ("deliverySeconds", "DELIVERY", 90 * DAY),
)


@dataclass(frozen=True)
class Settings:
    stage: str
    region: str
    table_prefix: str
    dynamodb_endpoint: str | None
    introspection: bool
    financing_state_machine_arn: str
    timeouts: dict[str, int]
    escrow_state_machine_arn: str = ""
    escrow_timeouts: dict[str, int] | None = None
    payments_state_machine_arn: str = ""
    stale_deposit_days: int = 180
    credit_cut_lookback_days: int = 30
    idempotency_seconds: int = DAY
    persisted_query_seconds: int = 30 * DAY  # how long an automatic persisted query is kept
    trusted_documents: bool = False  # only documents registered ahead (channelfin trust-documents) run
    limits: Limits = field(default_factory=Limits)
    # Cognito client-credentials clients: client id → the partner it acts for (None: the platform's connector).
    integration_clients: dict[str, str | None] = field(default_factory=dict)
    documents_bucket: str = ""
    esign_provider: str = "local"  # or "yousign"
    esign_webhook_secret: str = ""
    yousign_api_key: str = ""
    # In AWS: the Secrets Manager secret holding both (read at run time), instead of the two above.
    esign_secret_id: str = ""
    # In AWS: the function that draws PDFs for this one (the GraphQL function's zip has no fpdf2).
    renderer_function: str = ""
    public_url: str = "http://127.0.0.1:8000"  # where the local signer's pages are served
    # The keys pagination cursors are signed with, comma-separated, newest last (api/core/cursors.py).
    # Unset: each process signs with a key of its own, so a cursor works only where it was issued.
    cursor_secret: str = ""
    # In AWS: the Secrets Manager secret holding those keys, read once at init instead.
    cursor_secret_id: str = ""
    webhooks: WebhookSettings = field(default_factory=WebhookSettings)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        stage = env.get("CHANNELFIN_STAGE", "local")
        introspection = env.get("CHANNELFIN_INTROSPECTION", "true" if stage != "prod" else "false") == "true"
        table_prefix = env.get("CHANNELFIN_TABLE_PREFIX", f"channelfin-{stage}-")
        return cls(
            stage=stage,
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "eu-west-3",
            table_prefix=table_prefix,
            dynamodb_endpoint=env.get("AWS_ENDPOINT_URL_DYNAMODB") or None,
            introspection=introspection,
            financing_state_machine_arn=env.get("CHANNELFIN_FINANCING_STATE_MACHINE_ARN", ""),
            timeouts={
                key: int(env.get(f"CHANNELFIN_{name}_TIMEOUT_SECONDS", default)) for key, name, default in WAIT_TIMEOUTS
            },
            escrow_state_machine_arn=env.get("CHANNELFIN_ESCROW_STATE_MACHINE_ARN", ""),
            escrow_timeouts={
                "confirmationSeconds": int(env.get("CHANNELFIN_ESCROW_CONFIRMATION_TIMEOUT_SECONDS", 7 * DAY))
            },
            payments_state_machine_arn=env.get("CHANNELFIN_PAYMENTS_STATE_MACHINE_ARN", ""),
            stale_deposit_days=int(env.get("CHANNELFIN_STALE_DEPOSIT_DAYS", 180)),
            credit_cut_lookback_days=int(env.get("CHANNELFIN_CREDIT_CUT_LOOKBACK_DAYS", 30)),
            idempotency_seconds=int(env.get("CHANNELFIN_IDEMPOTENCY_SECONDS", DAY)),
            persisted_query_seconds=int(env.get("CHANNELFIN_PERSISTED_QUERY_SECONDS", 30 * DAY)),
            trusted_documents=env.get("CHANNELFIN_TRUSTED_DOCUMENTS", "false") == "true",
            limits=Limits.from_env(env, introspection=introspection),
            integration_clients=_integration_clients(
                env.get("CHANNELFIN_INTEGRATION_CLIENTS", ""), connector=env.get("CHANNELFIN_CONNECTOR_CLIENT_ID", "")
            ),
            documents_bucket=env.get("CHANNELFIN_DOCUMENTS_BUCKET") or f"{table_prefix}documents",
            esign_provider=env.get("CHANNELFIN_ESIGN_PROVIDER", "local"),
            esign_webhook_secret=env.get("CHANNELFIN_ESIGN_WEBHOOK_SECRET", ""),
            yousign_api_key=env.get("CHANNELFIN_YOUSIGN_API_KEY", ""),
            esign_secret_id=env.get("CHANNELFIN_ESIGN_SECRET_ID", ""),
            renderer_function=env.get("CHANNELFIN_RENDERER_FUNCTION", ""),
            public_url=env.get("CHANNELFIN_PUBLIC_URL", "http://127.0.0.1:8000"),
            cursor_secret=env.get("CHANNELFIN_CURSOR_SECRET", ""),
            cursor_secret_id=env.get("CHANNELFIN_CURSOR_SECRET_ID", ""),
            webhooks=_webhook_settings(env),
        )


def _webhook_settings(env: Mapping[str, str]) -> WebhookSettings:
    """Webhook delivery: http to loopback only where `channelfin dev` allows it; the retry schedule
    (`first,longest,giveUpAfter` seconds; three days by default) and timeout shortened by tests; the
    lanes, how many subjects are delivered at once."""
    retry = env.get("CHANNELFIN_WEBHOOK_RETRY", "")
    return WebhookSettings(
        url_policy=UrlPolicy(allow_loopback_http=env.get("CHANNELFIN_WEBHOOK_ALLOW_LOOPBACK", "false") == "true"),
        retry=RetrySchedule.parse(retry) if retry else RetrySchedule(),
        timeout_seconds=float(env.get("CHANNELFIN_WEBHOOK_TIMEOUT_SECONDS", 10)),
        disable_after=int(env.get("CHANNELFIN_WEBHOOK_DISABLE_AFTER", 3)),
        lanes=int(env.get("CHANNELFIN_WEBHOOK_LANES", 4)),
    )


def _integration_clients(text: str, *, connector: str = "") -> dict[str, str | None]:
    """`CHANNELFIN_INTEGRATION_CLIENTS`: a JSON object {"<client id>": "<partner id>" or null}; and
    `CHANNELFIN_CONNECTOR_CLIENT_ID`, the stack's own client of the e-signature connector (null)."""
    value = json.loads(text) if text.strip() else {}
    if not isinstance(value, dict) or not all(isinstance(v, str | None) for v in value.values()):
        raise ValueError('CHANNELFIN_INTEGRATION_CLIENTS is a JSON object {"client id": "partner id" or null}')
    clients: dict[str, str | None] = {str(k): v or None for k, v in value.items()}
    if connector:
        clients[connector] = None
    return clients


def cursor_keys(settings: Settings) -> str:
    """The cursors' signing keys: from Secrets Manager in AWS (read when the ports are built), else the setting."""
    if settings.cursor_secret_id and not settings.cursor_secret:
        from channelfin.adapters.secrets import secret_text

        return secret_text(settings.cursor_secret_id)
    return settings.cursor_secret


def esign_webhook_secret(settings: Settings) -> str:
    """The webhook's shared secret: from Secrets Manager in AWS (cached), else the setting."""
    if settings.esign_secret_id:
        from channelfin.adapters.esign.secrets import esign_secret

        return esign_secret(settings.esign_secret_id, "webhookSecret")
    return settings.esign_webhook_secret


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


def build_idempotency(settings: Settings) -> IdempotentRequests:
    """Idempotency-Key handling on Powertools' DynamoDB persistence layer (the `idempotency` table)."""
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    from channelfin.api.http.idempotency import IdempotentRequests
    from channelfin.store.sessions import client as aws_client
    from channelfin.store.tables import table_name

    # On the thread's shared session: PynamoDB's first client then skips loading DynamoDB's model again.
    client = aws_client("dynamodb", region_name=settings.region, endpoint_url=settings.dynamodb_endpoint)
    persistence = DynamoDBPersistenceLayer(
        table_name=table_name(settings.table_prefix, "idempotency"), boto3_client=client
    )
    return IdempotentRequests(persistence, expires_after_seconds=settings.idempotency_seconds)


def build_persisted_queries(settings: Settings) -> PersistedQueries:
    """Persisted queries kept in the `persisted-queries` table (bound by `build_ports`, which runs first)."""
    from channelfin.api.http.persisted_queries import PersistedQueries
    from channelfin.store.persisted_queries import DynamoPersistedQueries

    return PersistedQueries(
        DynamoPersistedQueries(),
        ttl_seconds=settings.persisted_query_seconds,
        trusted_only=settings.trusted_documents,
    )


class _PdfOnFirstUse:
    """fpdf2 takes ~0.4 s to import: only a Lambda that renders a document pays for it."""

    def render(self, content: DocumentContent) -> bytes:
        from channelfin.adapters.pdf import PdfRenderer

        return PdfRenderer().render(content)


def build_renderer(settings: Settings) -> DocumentRenderer:
    if settings.renderer_function:
        from channelfin.adapters.remote_renderer import LambdaRenderer
        from channelfin.store.sessions import client as aws_client

        return LambdaRenderer(lambda: aws_client("lambda", region_name=settings.region), settings.renderer_function)
    return _PdfOnFirstUse()


def build_signatures(settings: Settings) -> SignatureProvider:
    if settings.esign_provider == "yousign" and settings.esign_secret_id:
        from channelfin.adapters.esign.secrets import YousignFromSecret

        return YousignFromSecret(settings.esign_secret_id)
    if settings.esign_provider == "yousign" and settings.yousign_api_key:
        from channelfin.adapters.esign.yousign import YousignProvider

        return YousignProvider(api_key=settings.yousign_api_key)
    if settings.esign_provider == "yousign":
        from channelfin.adapters.esign.secrets import YousignUnconfigured

        return YousignUnconfigured()
    from channelfin.adapters.esign.local_signer import LocalSigner

    return LocalSigner(settings.public_url)


def build_ports(
    settings: Settings,
    *,
    payments: Payments | None = None,
    metrics: Metrics | None = None,
    notifier: Notifier | None = None,
    signatures: SignatureProvider | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> Ports:
    from channelfin.adapters.metrics import EmfMetrics
    from channelfin.adapters.notifications import LoggedNotifier
    from channelfin.adapters.payments import InstantPayments
    from channelfin.adapters.stepfunctions import StepFunctionsEngine
    from channelfin.adapters.webhook_http import PinnedHttpSender, SocketResolver
    from channelfin.store import tables
    from channelfin.store.audit import DynamoAuditLog, DynamoWebhookEvents
    from channelfin.store.contracts import DynamoContractRepository
    from channelfin.store.escrow import DynamoEscrowRepository
    from channelfin.store.incentives import DynamoIncentiveRepository
    from channelfin.store.ledger import DynamoLedger
    from channelfin.store.partners import DynamoPartnerRepository
    from channelfin.store.payment_runs import DynamoPaymentRuns
    from channelfin.store.payouts import DynamoPayoutRepository
    from channelfin.store.pdf_files import S3PdfStore
    from channelfin.store.programs import DynamoProgramRepository
    from channelfin.store.relations import DynamoRelationRepository
    from channelfin.store.sessions import client as aws_client
    from channelfin.store.webhooks import DynamoWebhookStore

    tables.bind(prefix=settings.table_prefix, region=settings.region, host=settings.dynamodb_endpoint)
    resolver = SocketResolver()
    return Ports(
        partners=DynamoPartnerRepository(),
        contracts=DynamoContractRepository(),
        payouts=DynamoPayoutRepository(),
        programs=DynamoProgramRepository(),
        relations=DynamoRelationRepository(),
        escrows=DynamoEscrowRepository(),
        incentives=DynamoIncentiveRepository(),
        audit=DynamoAuditLog(),
        renderer=build_renderer(settings),
        # boto3 honours AWS_ENDPOINT_URL_S3, which points at moto's server in dev.
        document_store=S3PdfStore(lambda: aws_client("s3", region_name=settings.region), settings.documents_bucket),
        signatures=signatures or build_signatures(settings),
        webhook_events=DynamoWebhookEvents(),
        clock=clock,
        new_id=new_id,
        # boto3 honours AWS_ENDPOINT_URL_SFN, which points at the local engine in dev.
        workflows=StepFunctionsEngine(
            lambda: aws_client("stepfunctions", region_name=settings.region),
            settings.financing_state_machine_arn,
            settings.timeouts,
        ),
        payments=payments or InstantPayments(),
        metrics=metrics or EmfMetrics(),
        escrow_workflows=StepFunctionsEngine(
            lambda: aws_client("stepfunctions", region_name=settings.region),
            settings.escrow_state_machine_arn,
            settings.escrow_timeouts or {},
        ),
        notifier=notifier or LoggedNotifier(),
        ledger=DynamoLedger(),
        payment_runs=DynamoPaymentRuns(),
        payment_workflows=StepFunctionsEngine(
            lambda: aws_client("stepfunctions", region_name=settings.region),
            settings.payments_state_machine_arn,
            {},
        ),
        webhooks=DynamoWebhookStore(),
        webhook_sender=PinnedHttpSender(settings.webhooks.url_policy, resolver),
        resolver=resolver,
        stale_deposit_days=settings.stale_deposit_days,
        credit_cut_lookback_days=settings.credit_cut_lookback_days,
        cursor_secret=cursor_keys(settings),
        webhook_settings=settings.webhooks,
    )
