"""infra/deploy_web.py: the extranet published to a stage, its config.json from the stack's outputs.

Against moto's CloudFormation, S3 and CloudFront (in-process), and the outputs the packaged
serverless.yml really declares.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("deploy_web", ROOT / "infra" / "deploy_web.py")
deploy_web = importlib.util.module_from_spec(spec)
spec.loader.exec_module(deploy_web)

REGION = "eu-west-3"
OUTPUTS = {
    "GraphqlUrl": "https://abc123.execute-api.eu-west-3.amazonaws.com/graphql",
    "UserPoolId": "eu-west-3_Pool1",
    "PartnerFrontEndClientId": "frontendclient",
    "CognitoDomain": "https://channelfin-t-123456789012.auth.eu-west-3.amazoncognito.com",
    "WebBucketName": "channelfin-t-web",
    "WebDistributionId": "to be replaced by moto's",
    "WebUrl": "https://d111.cloudfront.net",
}


@pytest.fixture
def dist(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "index-Ab12.js").write_text("export {}")
    (tmp_path / "assets" / "index-Cd34.css").write_text("body{}")
    (tmp_path / "index.html").write_text("<!doctype html>")
    (tmp_path / "persisted-documents.json").write_text("{}")
    (tmp_path / "size-report.json").write_text("{}")
    return tmp_path


def _stack(distribution_id: str) -> None:
    outputs = {**OUTPUTS, "WebDistributionId": distribution_id}
    template = {
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {name: {"Value": value} for name, value in outputs.items()},
    }
    boto3.client("cloudformation", region_name=REGION).create_stack(
        StackName="channelfin-t", TemplateBody=json.dumps(template)
    )


def _distribution() -> str:
    origin = {
        "Id": "web",
        "DomainName": "channelfin-t-web.s3.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": ""},
    }
    config = {
        "CallerReference": "t",
        "Comment": "",
        "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [origin]},
        "DefaultCacheBehavior": {"TargetOriginId": "web", "ViewerProtocolPolicy": "redirect-to-https"},
    }
    return boto3.client("cloudfront").create_distribution(DistributionConfig=config)["Distribution"]["Id"]


@mock_aws
def test_deploy_publishes_the_build_with_the_stages_config_and_invalidates(dist, capsys, monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=OUTPUTS["WebBucketName"], CreateBucketConfiguration={"LocationConstraint": REGION})
    distribution = _distribution()
    _stack(distribution)

    deploy_web.main(["--stage", "t", "--region", REGION, "--dist", str(dist)])

    objects = {o["Key"] for o in s3.list_objects_v2(Bucket=OUTPUTS["WebBucketName"])["Contents"]}
    assert objects == {
        "assets/index-Ab12.js",
        "assets/index-Cd34.css",
        "index.html",
        "persisted-documents.json",
        "config.json",
    }
    config = s3.get_object(Bucket=OUTPUTS["WebBucketName"], Key="config.json")
    assert config["CacheControl"] == "no-store"
    assert json.loads(config["Body"].read()) == {
        "apiUrl": "/graphql",
        "auth": {
            "mode": "cognito",
            "domain": OUTPUTS["CognitoDomain"],
            "clientId": "frontendclient",
            "issuer": "https://cognito-idp.eu-west-3.amazonaws.com/eu-west-3_Pool1",
            "scopes": ["openid", "email", "profile"],
        },
    }
    script = s3.head_object(Bucket=OUTPUTS["WebBucketName"], Key="assets/index-Ab12.js")
    assert script["ContentType"] == "text/javascript; charset=utf-8"
    assert script["CacheControl"] == "public, max-age=31536000, immutable"
    page = s3.head_object(Bucket=OUTPUTS["WebBucketName"], Key="index.html")
    assert (page["ContentType"], page["CacheControl"]) == ("text/html; charset=utf-8", "no-cache")
    invalidations = boto3.client("cloudfront").list_invalidations(DistributionId=distribution)
    assert invalidations["InvalidationList"]["Quantity"] == 1
    assert "https://d111.cloudfront.net" in capsys.readouterr().out


def test_assets_go_up_first_and_the_page_naming_them_last(dist):
    keys = [key for key, _ in deploy_web.files_to_publish(dist)]
    assert keys == ["assets/index-Ab12.js", "assets/index-Cd34.css", "persisted-documents.json", "index.html"]


def test_without_a_build_nothing_is_published(tmp_path):
    with pytest.raises(SystemExit, match="holds no build"):
        deploy_web.files_to_publish(tmp_path)


@mock_aws
def test_a_stack_without_the_extranets_outputs_is_refused(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    template = {"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}, "Outputs": {"UserPoolId": {"Value": "x"}}}
    cloudformation = boto3.client("cloudformation", region_name=REGION)
    cloudformation.create_stack(StackName="channelfin-old", TemplateBody=json.dumps(template))
    with pytest.raises(SystemExit, match="no output PartnerFrontEndClientId, .*WebBucketName"):
        deploy_web.stack_outputs(cloudformation, "old")


PACKAGED = ROOT / ".serverless" / "cloudformation-template-update-stack.json"


@pytest.mark.skipif(not PACKAGED.exists(), reason="infra/validate (run by scripts/test first) packages the template")
def test_every_output_it_reads_is_declared_by_the_deployment():
    declared = json.loads(PACKAGED.read_text())["Outputs"]
    assert set(deploy_web.OUTPUTS) <= set(declared)
