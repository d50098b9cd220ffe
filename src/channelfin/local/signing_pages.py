"""The local signer's pages (`channelfin dev`): where the `signingUrl` of a document leads.

The page shows the document and lets the signer sign or decline; either button makes the
event a real provider would send and POSTs it, signed with the shared secret, to this
server's own `/webhooks/esign` — the same endpoint, checks and effects as in production.
"""

from __future__ import annotations

import asyncio
import html
import json
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from channelfin.adapters.esign.local_signer import parse_request_id
from channelfin.adapters.esign.signing import SIGNATURE_HEADER, EsignEvent, sign
from channelfin.domain.documents import FileDocument, sha256_of
from channelfin.services.ports import Ports

TITLES = {
    "SALE_CONTRACT": "Contrat de vente",
    "LEASE_CONTRACT": "Contrat de location",
    "DELIVERY_REPORT": "Procès-verbal de livraison",
}

PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>{title} — signature électronique</title>
<style>body{{font-family:sans-serif;max-width:52rem;margin:2rem auto}} iframe{{width:100%;height:32rem}}
.box{{border:1px solid #ccc;padding:1rem;margin:1rem 0}} .status{{font-weight:bold}}</style></head>
<body><h1>{title}</h1>
<p>Contrat <code>{contract}</code> — document <span class="status" id="status">{status}</span>,
empreinte SHA-256 <code>{sha256}</code>.</p>
<p><a id="download" href="{pdf}">Télécharger le document (PDF)</a></p>
<iframe src="{pdf}" title="document"></iframe>
{actions}
</body></html>"""

ACTIONS = """<form class="box" method="post" action="{base}/sign">
<label>Signataire <input name="signer" id="signer" value="{signer}" required></label>
<button type="submit" id="sign">Signer</button></form>
<form class="box" method="post" action="{base}/decline">
<label>Motif du refus <input name="reason" id="reason"></label>
<label>Signataire <input name="signer" value="{signer}" required></label>
<button type="submit" id="decline">Refuser</button></form>"""


def _document(ports: Ports, request_id: str) -> tuple[str, FileDocument] | None:
    try:
        contract_id, kind, prefix = parse_request_id(request_id)
    except ValueError:
        return None
    contract = ports.contracts.get(contract_id)
    document = contract.document(kind) if contract else None
    if document is None or document.signing_request_id != request_id or not document.sha256.startswith(prefix):
        return None
    return contract_id, document


def signing_routes(ports: Ports, *, secret: str, webhook_url: str) -> list[Route]:
    def not_found() -> HTMLResponse:
        return HTMLResponse("<h1>Demande de signature inconnue</h1>", status_code=404)

    async def page(request: Request) -> Response:
        request_id = request.path_params["request_id"]
        found = _document(ports, request_id)
        if found is None:
            return not_found()
        contract_id, document = found
        contract = ports.contracts.get(contract_id)
        base = f"/esign/local/{request_id}"
        actions = (
            ACTIONS.format(base=base, signer=html.escape(contract.customer.name if contract else ""))
            if document.status.value == "SENT"
            else ""
        )
        return HTMLResponse(
            PAGE.format(
                title=TITLES[document.kind.value],
                contract=html.escape(contract_id),
                status=document.status.value,
                sha256=document.sha256,
                pdf=f"{base}/document.pdf",
                actions=actions,
            )
        )

    async def pdf(request: Request) -> Response:
        found = _document(ports, request.path_params["request_id"])
        data = ports.document_store.get(found[1].storage_key) if found else None
        if data is None:
            return Response(status_code=404)
        return Response(data, media_type="application/pdf")

    async def answer(request: Request) -> Response:
        request_id = request.path_params["request_id"]
        found = _document(ports, request_id)
        if found is None or request.path_params["action"] not in ("sign", "decline"):
            return not_found()
        contract_id, document = found
        form = await request.form()
        signed = request.path_params["action"] == "sign"
        stored = ports.document_store.get(document.storage_key) or b""
        event = EsignEvent(
            event_id=uuid.uuid4().hex,
            type="signed" if signed else "declined",
            request_id=request_id,
            contract_id=contract_id,
            document=document.kind,
            signer=str(form.get("signer") or "").strip() or "Signataire",
            at=datetime.now(UTC),
            sha256=sha256_of(stored) if signed else None,
            reason=None if signed else (str(form.get("reason") or "").strip() or "refus sans motif"),
        )
        # Off the event loop: the webhook is served by this very server.
        status, body = await asyncio.to_thread(_post, webhook_url, secret, event.to_json())
        outcome = "Document signé" if signed else "Signature refusée"
        if status != 200:
            outcome = f"Le webhook a répondu {status} : {html.escape(json.dumps(body))}"
        return HTMLResponse(
            f'<!doctype html><html lang="fr"><meta charset="utf-8"><body><h1 id="outcome">{outcome}</h1>'
            f'<p><a href="/esign/local/{request_id}">Revenir au document</a></p></body></html>',
            status_code=200 if status == 200 else 502,
        )

    return [
        Route("/esign/local/{request_id}", page, methods=["GET"]),
        Route("/esign/local/{request_id}/document.pdf", pdf, methods=["GET"]),
        Route("/esign/local/{request_id}/{action:str}", answer, methods=["POST"]),
    ]


def _post(url: str, secret: str, body: bytes) -> tuple[int, dict[str, object]]:
    """Deliver the event as a provider would: over HTTP, signed (run off the event loop by the caller)."""
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(secret, body, datetime.now(UTC))}
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")
