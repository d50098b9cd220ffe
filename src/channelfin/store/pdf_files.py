"""The PDFs of the contracts' documents in S3: the `DocumentStore` port (in AWS the `documents`
bucket of serverless.yml; locally moto's S3, on the server `channelfin dev` already runs for Step
Functions). Links are presigned and short-lived."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError


class S3PdfStore:
    def __init__(self, client: Callable[[], Any], bucket: str) -> None:
        self._client = client  # built on first use: no client at import or start-up
        self._cached: Any = None
        self.bucket = bucket

    @property
    def client(self) -> Any:
        if self._cached is None:
            self._cached = self._client()
        return self._cached

    def ensure_bucket(self) -> bool:
        """Create the bucket where none exists (local stack and tests); True if it was created."""
        try:
            self.client.head_bucket(Bucket=self.bucket)
            return False
        except ClientError:
            region = self.client.meta.region_name
            location = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
            self.client.create_bucket(Bucket=self.bucket, **location)
            return True

    def put(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType="application/pdf")

    def get(self, key: str) -> bytes | None:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise

    def download_url(self, key: str, *, expires_in: int) -> str:
        return self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expires_in
        )
