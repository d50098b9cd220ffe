"""RenderDocument: a document's content (JSON, `adapters/remote_renderer.py`) in, its PDF (base64) out."""

from __future__ import annotations

import base64
from typing import Any

from aws_lambda_powertools import Logger

logger = Logger(service="channelfin")


@logger.inject_lambda_context(clear_state=True)
def render(event: dict[str, Any], _context: Any) -> dict[str, str]:
    from channelfin.adapters.pdf import PdfRenderer
    from channelfin.adapters.remote_renderer import content_from_json

    content = content_from_json(event)
    logger.append_keys(contract_id=content.reference, kind=content.kind.name)
    return {"pdf": base64.b64encode(PdfRenderer().render(content)).decode()}
