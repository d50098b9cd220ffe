"""Publish the partner extranet (web/dist) to a deployed stage: `infra/deploy-web --stage dev`.

The build carries no stage's settings: the same files run on `channelfin dev` and in every stage.
This reads the stack's outputs (serverless.yml), writes the stage's `config.json` (Cognito's
hosted sign-in; the API is /graphql on the extranet's own origin, passed on by CloudFront) next
to the build in the private bucket CloudFront reads, then has CloudFront drop what it cached.
Hashed assets of earlier builds stay in the bucket: a browser tab opened before the deploy still
loads its lazy chunks.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "web" / "dist"
# The outputs of serverless.yml this reads (tests/unit/test_deploy_web.py checks they exist).
OUTPUTS = (
    "UserPoolId",
    "PartnerFrontEndClientId",
    "CognitoDomain",
    "WebBucketName",
    "WebDistributionId",
    "WebUrl",
)
NOT_PUBLISHED = {"size-report.json"}  # the build's own measurement, not for browsers
IMMUTABLE = "public, max-age=31536000, immutable"  # assets/ names carry their content's hash
REVALIDATE = "no-cache"


def stack_outputs(cloudformation: Any, stage: str) -> dict[str, str]:
    [stack] = cloudformation.describe_stacks(StackName=f"channelfin-{stage}")["Stacks"]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    missing = [name for name in OUTPUTS if name not in outputs]
    if missing:
        names = ", ".join(missing)
        raise SystemExit(f"deploy-web: the stack channelfin-{stage} has no output {names}: deploy it first")
    return outputs


def app_config(outputs: dict[str, str], region: str) -> dict[str, Any]:
    """What web/src/config.ts parses: the API and the authorization-code flow with PKCE at Cognito."""
    return {
        "apiUrl": "/graphql",  # CloudFront passes it to the HTTP API: same origin, no CORS
        "auth": {
            "mode": "cognito",
            "domain": outputs["CognitoDomain"],
            "clientId": outputs["PartnerFrontEndClientId"],
            "issuer": f"https://cognito-idp.{region}.amazonaws.com/{outputs['UserPoolId']}",
            "scopes": ["openid", "email", "profile"],
        },
    }


def content_type(name: str) -> str:
    if name.endswith((".js", ".mjs")):
        return "text/javascript; charset=utf-8"
    guessed, _ = mimetypes.guess_type(name)
    if guessed is None:
        return "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") or guessed.endswith("json") else guessed


def files_to_publish(dist: Path) -> list[tuple[str, Path]]:
    """(key, file), assets first and index.html last: no moment where the page names a missing file."""
    if not (dist / "index.html").is_file():
        raise SystemExit(f"deploy-web: {dist} holds no build (cd web && npm ci && npm run build)")
    keys = [
        (path.relative_to(dist).as_posix(), path)
        for path in sorted(dist.rglob("*"))
        if path.is_file() and path.name not in NOT_PUBLISHED
    ]
    return sorted(keys, key=lambda item: (not item[0].startswith("assets/"), item[0] == "index.html", item[0]))


def publish(s3: Any, bucket: str, dist: Path, config: dict[str, Any]) -> list[str]:
    published = []
    for key, path in files_to_publish(dist):
        if key == "index.html":
            s3.put_object(
                Bucket=bucket,
                Key="config.json",
                Body=json.dumps(config).encode(),
                ContentType="application/json; charset=utf-8",
                CacheControl="no-store",
            )
            published.append("config.json")
        s3.put_object(
            Bucket=bucket,
            Key=key,
            Body=path.read_bytes(),
            ContentType=content_type(key),
            CacheControl=IMMUTABLE if key.startswith("assets/") else REVALIDATE,
        )
        published.append(key)
    return published


def invalidate(cloudfront: Any, distribution_id: str, reference: str) -> str:
    answer = cloudfront.create_invalidation(
        DistributionId=distribution_id,
        InvalidationBatch={"Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": reference},
    )
    return str(answer["Invalidation"]["Id"])


def main(argv: list[str] | None = None) -> None:
    import time

    import boto3

    parser = argparse.ArgumentParser(prog="infra/deploy-web", description=__doc__.splitlines()[0])
    parser.add_argument("--stage", default="dev")
    parser.add_argument("--region", default="eu-west-3")
    parser.add_argument("--dist", type=Path, default=DIST)
    args = parser.parse_args(argv)
    session = boto3.Session(region_name=args.region)
    outputs = stack_outputs(session.client("cloudformation"), args.stage)
    bucket = outputs["WebBucketName"]
    published = publish(session.client("s3"), bucket, args.dist, app_config(outputs, args.region))
    print(f"deploy-web: {len(published)} files in s3://{bucket} (config.json for {outputs['CognitoDomain']})")
    reference = f"deploy-web-{time.time_ns()}"
    invalidation = invalidate(session.client("cloudfront"), outputs["WebDistributionId"], reference)
    print(f"deploy-web: CloudFront invalidation {invalidation}; the extranet: {outputs['WebUrl']}")


if __name__ == "__main__":
    main()
