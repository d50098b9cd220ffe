"""The GraphQL API: `core` (shared types), `http` (the endpoint), one package per business area."""

from channelfin.api.core import enums as _enums  # noqa: F401 — mark the domain enums before any area reads them
