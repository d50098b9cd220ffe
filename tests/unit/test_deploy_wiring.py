"""What the deployed functions are wired with: PDFs drawn by RenderDocument, secrets read at run time."""

from __future__ import annotations

import io
import json
from datetime import date

import boto3
import pytest
from moto import mock_aws

from channelfin.adapters.esign.local_signer import LocalSigner
from channelfin.adapters.esign.secrets import YousignFromSecret, YousignUnconfigured, esign_secret
from channelfin.adapters.esign.yousign import YousignProvider
from channelfin.adapters.pdf import PdfRenderer
from channelfin.adapters.remote_renderer import LambdaRenderer, RenderingFailed, content_from_json, content_to_json
from channelfin.bootstrap import Settings, build_renderer, build_signatures, esign_webhook_secret
from channelfin.domain.document_content import DocumentContent, Party, Table
from channelfin.domain.financing_file import DocumentKind
from channelfin.handlers import documents

CONTENT = DocumentContent(
    kind=DocumentKind.DELIVERY_REPORT,
    title="Procès-verbal de livraison",
    reference="contract-1",
    parties=(Party("Le client", "Client « Été »", "552100554"), Party("L'éditeur", "Éditeur")),
    paragraphs=("Installé le 20 novembre 2026 — 1 000,00 €.",),
    tables=(Table(("Échéance", "Montant"), (("1", "150,00 €"),), ("Total", "150,00 €")),),
    signature_lines=("Pour le client",),
    issued_on=date(2026, 11, 20),
)


class Context:
    function_name, memory_limit_in_mb, aws_request_id = "channelfin-ci-RenderDocument", 1024, "render"
    invoked_function_arn = "arn:aws:lambda:eu-west-3:123456789012:function:channelfin-ci-RenderDocument"


class LambdaClient:
    """Answers `invoke` as Lambda would, running RenderDocument's handler in-process."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.calls: list[dict] = []

    def invoke(self, **call):
        self.calls.append(call)
        if self.fail:
            body = {"errorType": "ValueError", "errorMessage": "bad content"}
            return {"FunctionError": "Unhandled", "Payload": io.BytesIO(json.dumps(body).encode())}
        answer = documents.render(json.loads(call["Payload"]), Context())
        return {"StatusCode": 200, "Payload": io.BytesIO(json.dumps(answer).encode())}


def test_the_content_survives_its_json_form():
    assert content_from_json(json.loads(json.dumps(content_to_json(CONTENT)))) == CONTENT


def test_render_document_draws_the_same_bytes_as_drawing_in_process():
    client = LambdaClient()
    renderer = LambdaRenderer(lambda: client, "channelfin-ci-RenderDocument")
    assert renderer.render(CONTENT) == PdfRenderer().render(CONTENT)
    [call] = client.calls
    assert call["FunctionName"] == "channelfin-ci-RenderDocument" and call["InvocationType"] == "RequestResponse"


def test_a_failed_rendering_is_an_error_not_a_document():
    with pytest.raises(RenderingFailed, match="ValueError: bad content"):
        LambdaRenderer(lambda: LambdaClient(fail=True), "render").render(CONTENT)


def test_the_renderer_is_remote_only_where_a_function_is_configured():
    assert isinstance(build_renderer(Settings.from_env({"CHANNELFIN_RENDERER_FUNCTION": "render"})), LambdaRenderer)
    assert not isinstance(build_renderer(Settings.from_env({})), LambdaRenderer)


def test_the_stacks_connector_client_is_the_connector():
    settings = Settings.from_env(
        {"CHANNELFIN_INTEGRATION_CLIENTS": '{"partner-client": "p1"}', "CHANNELFIN_CONNECTOR_CLIENT_ID": "stack-client"}
    )
    assert settings.integration_clients == {"partner-client": "p1", "stack-client": None}


@pytest.fixture
def secret(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-3")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    from aws_lambda_powertools.utilities import parameters

    parameters.clear_caches()
    with mock_aws():
        boto3.client("secretsmanager", region_name="eu-west-3").create_secret(
            Name="channelfin/ci/esign", SecretString=json.dumps({"yousignApiKey": "ys-key", "webhookSecret": "wh"})
        )
        yield "channelfin/ci/esign"
    parameters.clear_caches()


def test_the_webhook_secret_is_read_from_secrets_manager_at_run_time(secret):
    settings = Settings.from_env({"CHANNELFIN_ESIGN_SECRET_ID": secret, "CHANNELFIN_ESIGN_WEBHOOK_SECRET": "ignored"})
    assert esign_webhook_secret(settings) == "wh"
    assert esign_secret(secret, "absent") == ""


def test_yousign_gets_its_key_from_the_secret_when_it_is_asked_to_sign(secret, monkeypatch):
    keys = []
    from channelfin.adapters.esign import secrets as module

    class Provider:
        def __init__(self, api_key):
            keys.append(api_key)

        def request_signature(self, **_):
            return "request"

    monkeypatch.setattr(module, "YousignProvider", Provider)
    provider = YousignFromSecret(secret)
    assert keys == []  # nothing read at start
    pdf = b"%PDF"
    assert (
        provider.request_signature(
            contract_id="c",
            kind=DocumentKind.SALE_CONTRACT,
            document=pdf,
            sha256="x",
            signer_name="n",
            signer_email=None,
        )
        == "request"
    )
    assert keys == ["ys-key"]


def test_the_cursor_keys_are_read_from_secrets_manager_and_sign_what_another_instance_opens(secret):
    from channelfin.api.core.cursors import CursorSigner, secret_keys
    from channelfin.bootstrap import cursor_keys

    boto3.client("secretsmanager", region_name="eu-west-3").create_secret(
        Name="channelfin-ci-cursor-signing", SecretString="old-key,new-key"
    )
    deployed = Settings.from_env({"CHANNELFIN_CURSOR_SECRET_ID": "channelfin-ci-cursor-signing"})
    assert cursor_keys(deployed) == "old-key,new-key"
    assert cursor_keys(Settings.from_env({})) == ""  # locally: each process its own key
    # Two instances reading the same secret open each other's cursors.
    issued = CursorSigner(secret_keys(cursor_keys(deployed))).sign("position", ("Query.contracts",))
    assert CursorSigner(secret_keys(cursor_keys(deployed))).open(issued, ("Query.contracts",)) == "position"


def test_each_function_gets_the_provider_its_settings_allow_and_knows_how_it_reaches_signers():
    yousign = {"CHANNELFIN_ESIGN_PROVIDER": "yousign"}
    built = {
        "with its secret": build_signatures(Settings.from_env({**yousign, "CHANNELFIN_ESIGN_SECRET_ID": "s"})),
        "with a key": build_signatures(Settings.from_env({**yousign, "CHANNELFIN_YOUSIGN_API_KEY": "k"})),
        "with neither": build_signatures(Settings.from_env(yousign)),
        "local": build_signatures(Settings.from_env({})),
    }
    assert {name: type(p) for name, p in built.items()} == {
        "with its secret": YousignFromSecret,
        "with a key": YousignProvider,
        "with neither": YousignUnconfigured,
        "local": LocalSigner,
    }
    assert {name: p.needs_signer_email for name, p in built.items()} == {
        "with its secret": True,
        "with a key": True,
        "with neither": True,
        "local": False,
    }
    with pytest.raises(ValueError, match="neither CHANNELFIN_ESIGN_SECRET_ID nor CHANNELFIN_YOUSIGN_API_KEY"):
        built["with neither"].request_signature(contract_id="c", kind=DocumentKind.SALE_CONTRACT)
