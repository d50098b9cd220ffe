"""Inputs of webhook endpoints (names binding per DESIGN 4 and issue 19)."""

import strawberry


@strawberry.input(description="A URL to POST a partner's events to.")
class CreateWebhookEndpointInput:
    partner_id: strawberry.ID = strawberry.field(description="The partner whose events it receives (the caller's own).")
    url: str = strawberry.field(description="https (http to 127.0.0.1 on `channelfin dev` only); no private address.")
    event_types: list[str] | None = strawberry.field(
        default=None, description="Dotted event types, e.g. `payout.paid`; all of them when omitted."
    )
    description: str | None = strawberry.field(default=None, description="A note for the partner's own people.")


@strawberry.input(description="The endpoint whose signing secret is replaced.")
class RotateWebhookSecretInput:
    endpoint_id: strawberry.ID = strawberry.field(description="The endpoint (a `WebhookEndpoint` id).")


@strawberry.input(description="The endpoint to stop sending to, and why.")
class DisableWebhookEndpointInput:
    endpoint_id: strawberry.ID = strawberry.field(description="The endpoint (a `WebhookEndpoint` id).")
    reason: str | None = strawberry.field(default=None, description="Why, shown as its `disabledReason`.")


@strawberry.input(description="An event to send again to one endpoint.")
class ResendWebhookEventInput:
    event_id: str = strawberry.field(description="The event's id (`evt_…`).")
    endpoint_id: strawberry.ID = strawberry.field(description="The endpoint (a `WebhookEndpoint` id).")
