"""The one place that reads configuration and wires ports to adapters.

Nothing here runs at import time: the Lambda handler and the dev server call
`Settings.from_env()` and `build_ports()` when they start.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from .services.ports import Ports


@dataclass(frozen=True)
class Settings:
    stage: str
    region: str
    table_prefix: str
    dynamodb_endpoint: str | None
    introspection: bool

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        stage = env.get("CHANNELFIN_STAGE", "local")
        return cls(
            stage=stage,
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "eu-west-3",
            table_prefix=env.get("CHANNELFIN_TABLE_PREFIX", f"channelfin-{stage}-"),
            dynamodb_endpoint=env.get("AWS_ENDPOINT_URL_DYNAMODB") or None,
            introspection=env.get("CHANNELFIN_INTROSPECTION", "true" if stage != "prod" else "false") == "true",
        )


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


def build_ports(settings: Settings) -> Ports:
    from .store import tables
    from .store.repositories import DynamoContractRepository, DynamoPartnerRepository, DynamoPayoutRepository

    tables.bind(prefix=settings.table_prefix, region=settings.region, host=settings.dynamodb_endpoint)
    return Ports(
        partners=DynamoPartnerRepository(),
        contracts=DynamoContractRepository(),
        payouts=DynamoPayoutRepository(),
        clock=utc_now,
        new_id=new_id,
    )
