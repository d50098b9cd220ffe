"""The deployment description's own checks (infra/validate runs them on the packaged template)."""

from __future__ import annotations

import copy
import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("check_state_machines", ROOT / "infra" / "check_state_machines.py")
checker = importlib.util.module_from_spec(spec)
spec.loader.exec_module(checker)

STEPS = [
    "AwaitCreditReview",
    "SendForSignature",
    "AwaitDeliveryReport",
    "SendDeliveryReport",
    "TransmitFile",
    "CreateUpfrontPayout",
    "HoldUpfrontPayout",
    "Disburse",
    "MarkPayoutFailed",
    "Activate",
    "CreateReferralPayout",
    "Expire",
    "Cancel",
]


def template(definition_text: str, steps=STEPS, functions=STEPS) -> dict:
    resources = {f"{f}LambdaFunction": {"Type": "AWS::Lambda::Function", "Properties": {}} for f in functions}
    resources["FinancingStateMachine"] = {
        "Type": "AWS::StepFunctions::StateMachine",
        "Properties": {
            "DefinitionString": definition_text,
            "DefinitionSubstitutions": {s: {"Fn::GetAtt": [f"{s}LambdaFunction", "Arn"]} for s in steps},
        },
    }
    return {"Resources": resources}


@pytest.fixture
def definition() -> str:
    return (ROOT / "infra" / "financing.asl.json").read_text()


def test_the_real_definition_passes(definition):
    assert checker.problems(template(definition), [ROOT / "infra" / "financing.asl.json"]) == []


def test_a_task_whose_function_is_missing_fails(definition):
    without = [f for f in STEPS if f != "Disburse"]
    found = checker.problems(template(definition, functions=without), [])
    assert found == ["FinancingStateMachine: ${Disburse} is not the ARN of a Lambda function of this template"]


def test_a_placeholder_without_substitution_fails(definition):
    found = checker.problems(template(definition, steps=[s for s in STEPS if s != "Expire"]), [])
    assert "FinancingStateMachine: ${Expire} has no DefinitionSubstitution" in found


def test_a_missing_state_fails(definition):
    broken = json.loads(definition)
    broken["States"]["Activate"]["Next"] = "Activated"
    found = checker.problems(template(json.dumps(broken)), [])
    assert any("Activate goes to 'Activated', which is not a state" in p for p in found)


def test_a_definition_file_that_is_not_deployed_fails(definition, tmp_path):
    other = copy.deepcopy(json.loads(definition))
    other["Comment"] = "another machine"
    path = tmp_path / "escrow.asl.json"
    path.write_text(json.dumps(other))
    checker.ROOT = tmp_path  # relative paths in the message
    try:
        assert checker.problems(template(definition), [path]) == ["escrow.asl.json is not deployed by serverless.yml"]
    finally:
        checker.ROOT = ROOT


PACKAGED = ROOT / ".serverless" / "cloudformation-template-update-stack.json"


@pytest.mark.skipif(not PACKAGED.exists(), reason="infra/validate (run by scripts/test first) packages the template")
def test_the_packaged_template_has_what_the_service_needs():
    resources = json.loads(PACKAGED.read_text())["Resources"]
    by_type: dict[str, list[str]] = {}
    for name, resource in resources.items():
        by_type.setdefault(resource["Type"], []).append(name)
    tables = {resources[t]["Properties"]["TableName"].split("-", 2)[-1] for t in by_type["AWS::DynamoDB::Table"]}
    assert tables == {"partners", "contracts", "payouts", "idempotency", "persisted-queries", "events"}
    assert sorted(by_type["AWS::StepFunctions::StateMachine"]) == [
        "EscrowStateMachine",
        "FinancingStateMachine",
        "PaymentsStateMachine",
    ]
    functions = by_type["AWS::Lambda::Function"]
    # graphql, e-signature webhook and RenderDocument, then the steps of financing, escrow and payments,
    # then webhook delivery
    assert "GraphqlLambdaFunction" in functions and len(functions) == 3 + 13 + 9 + 6 + 2
    [authorizer] = [resources[a]["Properties"] for a in by_type["AWS::ApiGatewayV2::Authorizer"]]
    assert authorizer["AuthorizerType"] == "JWT"
    groups = {resources[g]["Properties"]["GroupName"] for g in by_type["AWS::Cognito::UserPoolGroup"]}
    assert groups == {"leaser-admin", "credit-analyst", "treasury", "partner-admin", "partner-user", "integration"}
    assert len(by_type["AWS::Cognito::UserPool"]) == 1 and len(by_type["AWS::Cognito::UserPoolClient"]) == 2
    for table in by_type["AWS::DynamoDB::Table"]:
        props = resources[table]["Properties"]
        assert props["BillingMode"] == "PAY_PER_REQUEST"
        assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}


@pytest.mark.skipif(not PACKAGED.exists(), reason="infra/validate (run by scripts/test first) packages the template")
def test_the_outbox_reaches_the_delivery_lambda_through_a_queue_with_a_dead_letter_queue():
    """Issue 19: events table stream -> EventBridge Pipes (new outbox items) -> SQS (+DLQ) -> delivery Lambda."""
    resources = json.loads(PACKAGED.read_text())["Resources"]
    table = resources["EventsTable"]["Properties"]
    assert table["StreamSpecification"] == {"StreamViewType": "NEW_IMAGE"}
    pipe = resources["WebhookPipe"]["Properties"]
    assert pipe["Source"] == {"Fn::GetAtt": ["EventsTable", "StreamArn"]}
    assert pipe["Target"] == {"Fn::GetAtt": ["WebhookQueue", "Arn"]}
    (only,) = pipe["SourceParameters"]["FilterCriteria"]["Filters"]
    assert json.loads(only["Pattern"])["dynamodb"]["NewImage"]["gsi1pk"] == {"S": ["OUTBOX"]}
    queue = resources["WebhookQueue"]["Properties"]
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": ["WebhookDeadLetterQueue", "Arn"]}
    mappings = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::Lambda::EventSourceMapping"]
    (mapping,) = [m for m in mappings if m["EventSourceArn"] == {"Fn::GetAtt": ["WebhookQueue", "Arn"]}]
    assert mapping["FunctionName"] == {"Fn::GetAtt": ["DeliverWebhooksLambdaFunction", "Arn"]}
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert queue["VisibilityTimeout"] >= 6 * resources["DeliverWebhooksLambdaFunction"]["Properties"]["Timeout"]
    writers = resources["OutboxWritePolicy"]["Properties"]["Roles"]
    roles = {r["Properties"].get("RoleName", name) for name, r in resources.items() if r["Type"] == "AWS::IAM::Role"}
    step_roles = {name for name in roles if name.endswith("StepRole")} | {"GraphqlFunctionRole", "EsignWebhookRole"}
    assert {w["Ref"] for w in writers} >= step_roles - {"PaymentScheduleRole"}


@pytest.mark.skipif(not PACKAGED.exists(), reason="infra/validate (run by scripts/test first) packages the template")
def test_the_packaged_api_serves_get_and_post_and_lets_browsers_use_idempotency_keys():
    resources = json.loads(PACKAGED.read_text())["Resources"]
    routes = {r["Properties"]["RouteKey"]: r["Properties"] for r in resources.values() if r["Type"].endswith("Route")}
    assert {"GET /graphql", "POST /graphql"} <= set(routes)
    assert all(routes[key]["AuthorizationType"] == "JWT" for key in ("GET /graphql", "POST /graphql"))
    [cors] = [r["Properties"]["CorsConfiguration"] for r in resources.values() if r["Type"] == "AWS::ApiGatewayV2::Api"]
    assert "Idempotency-Key" in cors["AllowHeaders"] and "Authorization" in cors["AllowHeaders"]
    assert cors["ExposeHeaders"] == ["Idempotent-Replayed"]
    assert set(cors["AllowMethods"]) == {"GET", "POST", "OPTIONS"}


def test_no_stage_lets_every_origin_call_the_api_and_prod_names_its_own():
    from tests.unit.test_locks import serverless

    params = serverless()["params"]
    for stage, values in params.items():
        for origin in values.get("corsOrigins", []):
            assert "*" not in origin, f"{stage}: {origin}"
    assert params["prod"]["corsOrigins"] and all(o.startswith("https://") for o in params["prod"]["corsOrigins"])


LAMBDA_RETRIED = {"Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"}


@pytest.mark.parametrize("name", ["financing", "escrow", "payments"])
def test_every_lambda_task_retries_the_errors_aws_recommends(name):
    definition = json.loads((ROOT / "infra" / f"{name}.asl.json").read_text())

    def tasks(states):
        for state_name, state in states.items():
            if state.get("Type") == "Task" and "lambda:invoke" in state.get("Resource", ""):
                yield state_name, state
            for branch in state.get("Branches", []):
                yield from tasks(branch["States"])

    for state_name, state in tasks(definition["States"]):
        retried = {e for retry in state.get("Retry", []) for e in retry["ErrorEquals"]}
        assert retried >= LAMBDA_RETRIED, f"{name}: {state_name} does not retry {LAMBDA_RETRIED - retried}"


def packaged() -> dict:
    return json.loads(PACKAGED.read_text())["Resources"]


def of_type(resources: dict, kind: str) -> dict:
    return {name: r for name, r in resources.items() if r["Type"] == kind}


@pytest.mark.skipif(not PACKAGED.exists(), reason="infra/validate packages the template")
def test_the_graphql_function_runs_on_snapstart_through_its_alias():
    resources = packaged()
    function = resources["GraphqlLambdaFunction"]["Properties"]
    assert function["SnapStart"] == {"ApplyOn": "PublishedVersions"}
    assert function["Runtime"] in {"python3.12", "python3.13"}
    [alias] = of_type(resources, "AWS::Lambda::Alias").values()
    integration = resources["HttpApiIntegrationGraphql"]["Properties"]["IntegrationUri"]
    assert integration == {
        "Fn::Join": [":", [{"Fn::GetAtt": ["GraphqlLambdaFunction", "Arn"]}, alias["Properties"]["Name"]]]
    }


@pytest.mark.skipif(not PACKAGED.exists(), reason="infra/validate packages the template")
def test_no_function_environment_holds_a_secret_and_the_secret_they_read_is_the_stacks():
    resources = packaged()
    secret = resources["EsignSecret"]
    readers = set()
    for name, function in of_type(resources, "AWS::Lambda::Function").items():
        variables = function["Properties"].get("Environment", {}).get("Variables", {})
        assert "resolve:secretsmanager" not in json.dumps(variables), name
        assert not {k for k in variables if k.endswith(("_SECRET", "_API_KEY", "_PASSWORD"))}, name
        if "CHANNELFIN_ESIGN_SECRET_ID" in variables:
            assert variables["CHANNELFIN_ESIGN_SECRET_ID"] == secret["Properties"]["Name"]
            readers.add(name)
    assert readers == {
        "EsignWebhookLambdaFunction",
        "SendForSignatureLambdaFunction",
        "SendDeliveryReportLambdaFunction",
    }
    granted = {
        role
        for role, resource in of_type(resources, "AWS::IAM::Role").items()
        if "secretsmanager:GetSecretValue" in json.dumps(resource)
    }
    assert granted == {"EsignWebhookRole", "SignatureStepRole", "GraphqlFunctionRole"}
    # The API reads the cursors' signing keys, and only those.
    graphql = resources["GraphqlLambdaFunction"]["Properties"]["Environment"]["Variables"]
    assert graphql["CHANNELFIN_CURSOR_SECRET_ID"] == {"Ref": "CursorSigningSecret"}
    statements = resources["GraphqlFunctionRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    reads = [s for s in statements if "secretsmanager:GetSecretValue" in json.dumps(s)]
    assert [s["Resource"] for s in reads] == [{"Ref": "CursorSigningSecret"}]


@pytest.mark.skipif(not PACKAGED.exists(), reason="infra/validate packages the template")
def test_data_is_kept_and_alarms_reach_someone():
    resources = packaged()
    kept = [
        *of_type(resources, "AWS::DynamoDB::Table"),
        # Not the framework's artifacts nor the extranet's build (infra/deploy-web uploads it again): data only.
        *of_type(resources, "AWS::S3::Bucket").keys() - {"ServerlessDeploymentBucket", "WebBucket"},
        *of_type(resources, "AWS::Cognito::UserPool"),
        *of_type(resources, "AWS::SecretsManager::Secret"),
    ]
    assert len(kept) >= 7
    for name in kept:
        assert resources[name].get("DeletionPolicy") == "Retain", name
        assert resources[name].get("UpdateReplacePolicy") == "Retain", name
    [pool] = of_type(resources, "AWS::Cognito::UserPool").values()
    assert pool["Properties"]["DeletionProtection"] == "ACTIVE" and pool["Properties"]["MfaConfiguration"] == "ON"
    integrator = resources["IntegratorClient"]["Properties"]
    assert integrator["AllowedOAuthFlows"] == ["client_credentials"]
    assert integrator["ExplicitAuthFlows"] == ["ALLOW_REFRESH_TOKEN_AUTH"]
    [topic] = of_type(resources, "AWS::SNS::Topic").values()
    assert topic["Properties"]["KmsMasterKeyId"] == {"Ref": "AlarmTopicKey"}
    [subscription] = of_type(resources, "AWS::SNS::Subscription").values()
    assert subscription["Properties"]["TopicArn"] == {"Ref": "AlarmTopic"} and subscription["Properties"]["Endpoint"]
    watched = {
        (a["Properties"]["Namespace"], a["Properties"]["MetricName"])
        for a in of_type(resources, "AWS::CloudWatch::Alarm").values()
    }
    assert {("AWS/Lambda", "Errors"), ("AWS/Lambda", "Throttles"), ("AWS/ApiGateway", "5xx")} <= watched
    # A function a schedule invokes (asynchronously) fails before no caller: an alarm must say so.
    errors_watched = {
        a["Properties"]["Dimensions"][0]["Value"]["Ref"]
        for a in of_type(resources, "AWS::CloudWatch::Alarm").values()
        if a["Properties"]["MetricName"] == "Errors" and a["Properties"].get("Dimensions")
    }
    scheduled = {
        target["Arn"]["Fn::GetAtt"][0]
        for rule in of_type(resources, "AWS::Events::Rule").values()
        for target in rule["Properties"]["Targets"]
    }
    assert scheduled and scheduled <= errors_watched
    for machine in of_type(resources, "AWS::StepFunctions::StateMachine").values():
        assert machine["Properties"]["TracingConfiguration"] == {"Enabled": True}
        assert machine["Properties"]["LoggingConfiguration"]["Level"] == "ERROR"


@pytest.mark.skipif(not PACKAGED.exists(), reason="infra/validate packages the template")
def test_the_api_is_throttled_logged_and_its_functions_bounded():
    resources = packaged()
    for function in ("GraphqlLambdaFunction", "EsignWebhookLambdaFunction"):
        assert resources[function]["Properties"]["ReservedConcurrentExecutions"] > 0
    stage = resources["HttpApiStage"]["Properties"]
    assert stage["DefaultRouteSettings"]["ThrottlingRateLimit"] > 0
    assert stage["RouteSettings"]["POST /webhooks/esign"]["ThrottlingBurstLimit"] > 0
    assert stage["AccessLogSettings"]["DestinationArn"] == {"Fn::GetAtt": ["HttpApiLogGroup", "Arn"]}
    for role in of_type(resources, "AWS::IAM::Role").values():
        for policy in role["Properties"].get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                if any(a.startswith("states:SendTask") for a in actions):
                    assert statement["Resource"] == "*", "AWS documents SendTask* without resource-level permissions"


@pytest.mark.skipif(not PACKAGED.exists(), reason="infra/validate packages the template")
def test_the_readmes_first_deploy_fills_the_secret_the_stack_creates():
    secret = packaged()["EsignSecret"]
    name = secret["Properties"]["Name"]  # packaged for the stage ci
    keys = set(json.loads(secret["Properties"]["SecretString"]))
    readme = (ROOT / "README.md").read_text()
    command = re.search(
        r"aws secretsmanager put-secret-value --secret-id (\S+) \\\n\s+--secret-string '([^']+)'", readme
    )
    assert command, "README's first deploy fills the e-signature secret"
    assert command.group(1) == name.replace("/ci/", "/dev/")
    assert set(json.loads(command.group(2).replace("<key>", "k").replace("<a long random string>", "s"))) == keys


# --- the partner extranet (web/, issue 20): a private bucket behind CloudFront ------------------

MANAGED_CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
MANAGED_ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


def _packaged() -> dict:
    return json.loads(PACKAGED.read_text())


@pytest.mark.skipif(not PACKAGED.exists(), reason="infra/validate (run by scripts/test first) packages the template")
def test_the_extranet_is_served_by_cloudfront_alone_from_a_private_bucket():
    packaged = _packaged()
    resources = packaged["Resources"]
    bucket = resources["WebBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values()) and len(bucket["PublicAccessBlockConfiguration"]) == 4
    assert "WebsiteConfiguration" not in bucket  # read through the S3 API by CloudFront, never a public website
    statements = resources["WebBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    [reader] = [s for s in statements if s["Effect"] == "Allow"]
    assert reader["Principal"] == {"Service": "cloudfront.amazonaws.com"} and reader["Action"] == "s3:GetObject"
    assert "${WebDistribution}" in reader["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]

    config = resources["WebDistribution"]["Properties"]["DistributionConfig"]
    origins = {o["Id"]: o for o in config["Origins"]}
    assert origins["web"]["OriginAccessControlId"] == {"Fn::GetAtt": ["WebOriginAccessControl", "Id"]}
    access = resources["WebOriginAccessControl"]["Properties"]["OriginAccessControlConfig"]
    assert (access["SigningBehavior"], access["SigningProtocol"]) == ("always", "sigv4")
    paths = {b["PathPattern"]: b for b in config["CacheBehaviors"]}
    assert set(paths) == {"/config.json", "/graphql"}
    for behaviour in (config["DefaultCacheBehavior"], paths["/config.json"]):
        assert behaviour["TargetOriginId"] == "web"
        assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"
        assert behaviour["ResponseHeadersPolicyId"] == {"Ref": "WebSecurityHeaders"}
        assert behaviour["AllowedMethods"] == ["GET", "HEAD"]
    [spa] = config["DefaultCacheBehavior"]["FunctionAssociations"]
    assert spa["EventType"] == "viewer-request" and spa["FunctionARN"]["Fn::GetAtt"][0] == "WebSpaRouting"
    assert paths["/config.json"]["CachePolicyId"] == MANAGED_CACHING_DISABLED

    # The API on the extranet's own origin: never cached, the token passed on, Host left to API Gateway.
    api = paths["/graphql"]
    assert api["TargetOriginId"] == "api" and api["ViewerProtocolPolicy"] == "https-only"
    assert {"GET", "POST", "OPTIONS"} <= set(api["AllowedMethods"])
    assert api["CachePolicyId"] == MANAGED_CACHING_DISABLED
    assert api["OriginRequestPolicyId"] == MANAGED_ALL_VIEWER_EXCEPT_HOST_HEADER
    assert "${HttpApi}.execute-api." in origins["api"]["DomainName"]["Fn::Sub"]
    assert origins["api"]["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"

    headers = resources["WebSecurityHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    csp = headers["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
    for directive in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"):
        assert directive in csp
    assert "connect-src 'self' https://channelfin-" in csp and ".amazoncognito.com;" in csp  # Cognito's token endpoint
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
    assert headers["FrameOptions"]["FrameOption"] == "DENY" and "ContentTypeOptions" in headers

    client = resources["PartnerFrontEndClient"]["Properties"]
    assert client["GenerateSecret"] is False and client["AllowedOAuthFlows"] == ["code"]  # PKCE, no secret
    assert client["CallbackURLs"] == [{"Fn::Sub": "https://${WebDistribution.DomainName}/auth/callback"}]
    assert {"WebUrl", "WebBucketName", "WebDistributionId", "CognitoDomain"} <= set(packaged["Outputs"])
    # config.json's apiUrl is /graphql on the distribution: the extranet's origin needs no CORS entry.
    assert "WebDistribution" not in json.dumps(resources["HttpApi"])


@pytest.mark.skipif(not PACKAGED.exists(), reason="infra/validate (run by scripts/test first) packages the template")
def test_the_spa_fallback_gives_the_apps_routes_index_html_and_files_themselves():
    import shutil
    import subprocess

    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    code = _packaged()["Resources"]["WebSpaRouting"]["Properties"]["FunctionCode"]
    uris = ["/", "/contrats", "/contrats/Q29udHJhY3Q6MQ", "/auth/callback", "/assets/index-Ab12.js", "/config.json"]
    script = code + f"\nconsole.log(JSON.stringify({json.dumps(uris)}.map(u => handler({{request: {{uri: u}}}}).uri)))"
    out = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True, timeout=60).stdout
    assert json.loads(out) == ["/index.html"] * 4 + ["/assets/index-Ab12.js", "/config.json"]


@pytest.mark.skipif(not PACKAGED.exists(), reason="infra/validate packages the template")
def test_every_function_runs_one_of_the_group_zips():
    # A function without `package: {artifact: ...}` makes osls zip the whole checkout for it
    # (node_modules and .venv included): minutes of packaging and a zip Lambda refuses.
    groups = {"graphql.zip", "webhook.zip", "steps.zip", "documents.zip"}
    for name, function in of_type(packaged(), "AWS::Lambda::Function").items():
        key = function["Properties"]["Code"]["S3Key"]
        assert key.rsplit("/", 1)[-1] in groups, (name, key)
