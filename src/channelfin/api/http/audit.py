"""Every mutation leaves an audit entry: who, when, which operation with which arguments, how it ended.

Called by the executor after every mutation, so none can forget it: each root field
becomes one entry — DONE, REFUSED (its userErrors' codes) or DENIED (a
top-level error: forbidden, or a masked failure). Anonymous calls are refused before any
resolver runs and leave nothing. Writing the entry must not undo a change that was made,
so a failed write is logged loudly (with the entry) rather than raised.
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools import Logger
from graphql import ExecutionResult, FieldNode, OperationDefinitionNode
from graphql.utilities import value_from_ast_untyped

from channelfin.domain.audit import AuditEntry, AuditOutcome

logger = Logger(service="channelfin", child=True)  # logs through the handler's Powertools logger


def _arguments(node: FieldNode, variables: dict[str, Any]) -> str:
    """The arguments as the client sent them (variables filled in), in the API's own names."""
    values = {arg.name.value: value_from_ast_untyped(arg.value, variables) for arg in node.arguments or ()}
    return json.dumps(values, default=str, sort_keys=True)[: AuditEntry.MAX_ARGUMENTS_CHARS]


def record_mutations(
    operation: OperationDefinitionNode, app_context: Any, result: ExecutionResult, variables: dict[str, Any]
) -> None:
    """Once a mutation ran and its errors were coded: one entry per root field (none when it was
    refused before any resolver)."""
    principal = getattr(app_context, "principal_or_none", None)
    if principal is None:
        return
    data = result.data or {}
    errors = result.errors or []
    if not data and not any(e.path for e in errors):
        return  # refused before any resolver ran (invalid variables): nothing was attempted
    ports = app_context.ports
    for node in operation.selection_set.selections:
        if not isinstance(node, FieldNode):
            continue
        key = node.alias.value if node.alias else node.name.value
        payload = data.get(key)
        failed = [e for e in errors if e.path and e.path[0] == key]
        if isinstance(payload, dict) and not failed:
            codes = tuple(e.get("code", "") for e in payload.get("userErrors") or ())
            outcome = AuditOutcome.REFUSED if codes else AuditOutcome.DONE
        else:
            codes = tuple(str((e.extensions or {})["code"]) for e in failed)
            outcome = AuditOutcome.DENIED
        entry = AuditEntry(
            id=ports.new_id(),
            at=ports.clock(),
            actor=principal.sub,
            roles=tuple(sorted(r.value for r in principal.roles)),
            partner_id=principal.partner_id,
            operation=node.name.value,
            outcome=outcome,
            arguments=_arguments(node, variables),
            codes=codes,
        )
        try:
            ports.audit.record(entry)
        except Exception:  # noqa: BLE001 — see the module docstring
            logger.exception("audit entry not written", extra={"audit_entry": repr(entry)})
