"""Apollo's automatic persisted queries (APQ), and trusted documents for a stage that wants them.

A client sends `extensions.persistedQuery = {"version": 1, "sha256Hash": "<hex>"}`, first
without the query: if the hash is known the document is run, otherwise the answer is the
GraphQL error `PERSISTED_QUERY_NOT_FOUND` (status 200 whatever the media type, so every
version of Apollo's link falls back), and the client sends the query with its hash once;
the document is kept by hash once it has parsed and validated. A query by hash can then
travel as a GET (`?extensions=…`), short enough for any URL and cacheable.

Documents are kept in DynamoDB (the `persisted-queries` table, with a TTL) so that every
Lambda instance shares them, and in a small in-process cache so a warm instance reads each
one once. A hash names one text forever, so a cached document never goes stale.

Trusted documents (`CHANNELFIN_TRUSTED_DOCUMENTS=true`, off by default): only documents
registered ahead by `channelfin trust-documents` run, by hash or in full; APQ registration
is then refused (`PERSISTED_QUERY_NOT_TRUSTED`).
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, Protocol

from graphql import ExecutionResult, GraphQLError

from channelfin.api.http.guards import Malformed
from channelfin.store.persisted_queries import StoredDocument

NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
NOT_TRUSTED = "PERSISTED_QUERY_NOT_TRUSTED"
HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
INVALID = "PERSISTED_QUERY_INVALID"
# Codes that answer 200 even under application/graphql-response+json: clients retry on them.
RETRY_CODES = frozenset({NOT_FOUND, NOT_SUPPORTED})

DEFAULT_TTL_SECONDS = 30 * 24 * 3600
CACHED_DOCUMENTS = 512  # bounded: unique documents cannot grow a warm instance's memory
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class DocumentStore(Protocol):
    def get(self, sha256: str) -> StoredDocument | None: ...

    def put(self, sha256: str, document: str, *, ttl_seconds: int | None, trusted: bool = False) -> None: ...


def sha256_of(query: str) -> str:
    return hashlib.sha256(query.encode("utf-8")).hexdigest()


def requested_hash(operation: Mapping[str, Any]) -> str | None:
    """The `sha256Hash` an operation's extensions name, or None; `Malformed` when the extension is wrong."""
    extensions = operation.get("extensions") or {}
    persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
    if persisted is None:
        return None
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise Malformed(INVALID, "extensions.persistedQuery is {version: 1, sha256Hash: <64 hex digits>}")
    sha = persisted.get("sha256Hash")
    if not isinstance(sha, str) or not _HEX64.match(sha.lower()):
        raise Malformed(INVALID, "extensions.persistedQuery.sha256Hash is 64 hex digits (SHA-256 of the query)")
    return sha.lower()


def manifest_documents(manifest: Any) -> dict[str, str]:
    """The documents of a manifest by hash: Apollo's persisted query manifest, or {"<sha256>": "<document>"}.

    `ValueError` when it is neither, or when a hash is not its document's SHA-256.
    """
    if isinstance(manifest, dict) and manifest.get("format") == "apollo-persisted-query-manifest":
        operations = manifest.get("operations")
        if not isinstance(operations, list) or not all(isinstance(op, dict) for op in operations):
            raise ValueError("an Apollo manifest has a list of operations")
        pairs = [(op.get("id"), op.get("body")) for op in operations]
    elif isinstance(manifest, dict):
        pairs = list(manifest.items())
    else:
        raise ValueError('a manifest is a JSON object: Apollo\'s, or {"<sha256>": "<document>"}')
    documents: dict[str, str] = {}
    for sha, body in pairs:
        if not isinstance(sha, str) or not isinstance(body, str) or sha256_of(body) != sha.lower():
            raise ValueError(f"{sha!r} is not the SHA-256 of its document")
        documents[sha.lower()] = body
    return documents


def _request_error(message: str, code: str) -> ExecutionResult:
    return ExecutionResult(None, [GraphQLError(message, extensions={"code": code})])


def not_found() -> ExecutionResult:
    # Apollo's link matches this message or the code; both are kept as Apollo Server sends them.
    return _request_error("PersistedQueryNotFound", NOT_FOUND)


def not_supported() -> ExecutionResult:
    return _request_error("PersistedQueryNotSupported", NOT_SUPPORTED)


def not_trusted() -> ExecutionResult:
    return _request_error("only trusted documents run here: register this one with the deployment", NOT_TRUSTED)


class PersistedQueries:
    def __init__(
        self, store: DocumentStore, *, ttl_seconds: int = DEFAULT_TTL_SECONDS, trusted_only: bool = False
    ) -> None:
        self.store = store
        self.ttl_seconds = ttl_seconds
        self.trusted_only = trusted_only
        self._known: OrderedDict[str, StoredDocument] = OrderedDict()

    def lookup(self, sha256: str) -> StoredDocument | None:
        if (found := self._known.get(sha256)) is not None:
            self._known.move_to_end(sha256)
            return found
        found = self.store.get(sha256)
        if found is not None:
            self._remember(sha256, found)
        return found

    def document(self, sha256: str) -> str | None:
        """The document to run for a hash-only request (only a trusted one where only those run)."""
        found = self.lookup(sha256)
        if found is None or (self.trusted_only and not found.trusted):
            return None
        return found.document

    def may_run(self, query: str, sha256: str | None) -> bool:
        """Where only trusted documents run, whether this one is (by its hash, given or computed)."""
        if not self.trusted_only:
            return True
        found = self.lookup(sha256 or sha256_of(query))
        return found is not None and found.trusted

    def register(self, sha256: str, query: str) -> None:
        """Keep a document that parsed and validated, once per warm instance; never where only trusted ones run."""
        if self.trusted_only or sha256 in self._known:
            return
        self.store.put(sha256, query, ttl_seconds=self.ttl_seconds)
        self._remember(sha256, StoredDocument(query, trusted=False))

    def _remember(self, sha256: str, found: StoredDocument) -> None:
        self._known[sha256] = found
        while len(self._known) > CACHED_DOCUMENTS:
            self._known.popitem(last=False)
