"""Binding the records to their tables, and creating the tables where none exist yet."""

from __future__ import annotations

from collections.abc import Callable

from pynamodb.models import Model

from .records import ALL_RECORDS

LOGICAL_NAMES = {"PartnerRecord": "partners", "ContractRecord": "contracts", "PayoutRecord": "payouts"}


def table_name(prefix: str, logical: str) -> str:
    return f"{prefix}{logical}"


def bind(*, prefix: str, region: str, host: str | None = None) -> None:
    """Point every record at `<prefix><table>` in `region` (at `host`, e.g. DynamoDB Local)."""
    for record in ALL_RECORDS:
        record.Meta.table_name = table_name(prefix, LOGICAL_NAMES[record.__name__])
        record.Meta.region = region
        record.Meta.host = host
        record._connection = None  # the cached connection holds the old name and host


def create_missing_tables(progress: Callable[[str], None] = lambda _: None) -> list[str]:
    """Create the tables that do not exist (on-demand billing); return the names created."""
    created = []
    for record in ALL_RECORDS:
        model: type[Model] = record
        if not model.exists():
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
            created.append(model.Meta.table_name)
            progress(f"created table {model.Meta.table_name}")
    return created


def delete_tables() -> None:
    for record in ALL_RECORDS:
        if record.exists():
            record.delete_table()
