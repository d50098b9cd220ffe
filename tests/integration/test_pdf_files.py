"""The PDF store (S3 on moto's server, as `channelfin dev` runs it): stored, fetched, linked."""

from __future__ import annotations

import httpx
import pytest

from channelfin.domain.documents import sha256_of
from tests.stack import pooled_ports

pytestmark = pytest.mark.integration


def test_a_stored_pdf_comes_back_whole_and_its_presigned_link_serves_the_same_bytes(aws_local_env, table_pool):
    with pooled_ports(table_pool) as ports:
        store = ports.document_store
        pdf = b"%PDF-1.7 test document\n" + bytes(range(256))
        store.put("contracts/c1/sale_contract-abc.pdf", pdf)
        assert store.get("contracts/c1/sale_contract-abc.pdf") == pdf
        assert store.get("contracts/c1/missing.pdf") is None
        url = store.download_url("contracts/c1/sale_contract-abc.pdf", expires_in=60)
        assert "X-Amz-Expires=60" in url
        response = httpx.get(url, timeout=10)
        assert response.status_code == 200 and sha256_of(response.content) == sha256_of(pdf)
        assert store.ensure_bucket() is False  # made by pooled_ports already
