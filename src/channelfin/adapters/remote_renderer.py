"""The `DocumentRenderer` port over a Lambda: the GraphQL function has RenderDocument draw its PDFs.

fpdf2, fontTools and Pillow weigh about 15 MB zipped, as much as the rest of the GraphQL
function's package: that function ships without them and invokes RenderDocument (the documents
group's zip, `handlers/documents.py`) with the content as JSON; the PDF comes back in base64.
The same content gives the same bytes wherever it is drawn.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import date
from typing import Any

from channelfin.domain.document_content import DocumentContent, Party, Table
from channelfin.domain.financing_file import DocumentKind


class RenderingFailed(Exception):
    """RenderDocument answered with an error."""


def content_to_json(content: DocumentContent) -> dict[str, Any]:
    return {
        "kind": content.kind.name,
        "title": content.title,
        "reference": content.reference,
        "parties": [{"role": p.role, "name": p.name, "siren": p.siren} for p in content.parties],
        "paragraphs": list(content.paragraphs),
        "tables": [
            {"headers": list(t.headers), "rows": [list(r) for r in t.rows], "total": list(t.total) if t.total else None}
            for t in content.tables
        ],
        "signatureLines": list(content.signature_lines),
        "issuedOn": content.issued_on.isoformat() if content.issued_on else None,
    }


def content_from_json(data: dict[str, Any]) -> DocumentContent:
    return DocumentContent(
        kind=DocumentKind[data["kind"]],
        title=data["title"],
        reference=data["reference"],
        parties=tuple(Party(p["role"], p["name"], p.get("siren")) for p in data["parties"]),
        paragraphs=tuple(data["paragraphs"]),
        tables=tuple(
            Table(
                tuple(t["headers"]), tuple(tuple(r) for r in t["rows"]), tuple(t["total"]) if t.get("total") else None
            )
            for t in data.get("tables", [])
        ),
        signature_lines=tuple(data.get("signatureLines", [])),
        issued_on=date.fromisoformat(data["issuedOn"]) if data.get("issuedOn") else None,
    )


class LambdaRenderer:
    """Draws through the RenderDocument function (a synchronous invocation)."""

    def __init__(self, client: Callable[[], Any], function_name: str) -> None:
        self._client = client
        self._function_name = function_name

    def render(self, content: DocumentContent) -> bytes:
        answer = self._client().invoke(
            FunctionName=self._function_name,
            InvocationType="RequestResponse",
            Payload=json.dumps(content_to_json(content)).encode(),
        )
        payload = json.loads(answer["Payload"].read())
        if answer.get("FunctionError"):
            raise RenderingFailed(f"{self._function_name}: {payload.get('errorType')}: {payload.get('errorMessage')}")
        return base64.b64decode(payload["pdf"])
