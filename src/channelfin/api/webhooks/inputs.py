"""Inputs of webhook endpoints (names binding per DESIGN 4 and issue 19)."""

from __future__ import annotations

import strawberry


@strawberry.input
class CreateWebhookEndpointInput:
    partner_id: strawberry.ID
    url: str = strawberry.field(description="https (http to 127.0.0.1 on `channelfin dev` only); no private address.")
    event_types: list[str] | None = strawberry.field(
        default=None, description="Dotted event types, e.g. `payout.paid`; all of them when omitted."
    )
    description: str | None = None


@strawberry.input
class RotateWebhookSecretInput:
    endpoint_id: strawberry.ID


@strawberry.input
class DisableWebhookEndpointInput:
    endpoint_id: strawberry.ID
    reason: str | None = None


@strawberry.input
class ResendWebhookEventInput:
    event_id: str = strawberry.field(description="The event's id (`evt_…`).")
    endpoint_id: strawberry.ID
