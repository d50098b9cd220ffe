"""Mutations of webhook endpoints: each returns the changed object and `userErrors`."""

from typing import Annotated

import strawberry

from channelfin.api.core.errors import UserError
from channelfin.api.core.ids import local_id
from channelfin.api.core.node import Info
from channelfin.api.core.payloads import attempt, object_payload
from channelfin.api.webhooks.inputs import (
    CreateWebhookEndpointInput,
    DisableWebhookEndpointInput,
    ResendWebhookEventInput,
    RotateWebhookSecretInput,
)
from channelfin.api.webhooks.types import WebhookDelivery, WebhookEndpoint
from channelfin.services import webhooks as webhook_service


@strawberry.type(description="What `createWebhookEndpoint` answers: the endpoint and its secret, or its userErrors.")
class CreateWebhookEndpointPayload:
    webhook_endpoint: WebhookEndpoint | None = strawberry.field(description="The new endpoint; null if refused.")
    secret: str | None = strawberry.field(
        description="The signing secret (`whsec_…`), shown this once: verify each message's `webhook-signature`."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type(description="What `rotateWebhookSecret` answers: the endpoint and its new secret, or its userErrors.")
class RotateWebhookSecretPayload:
    webhook_endpoint: WebhookEndpoint | None = strawberry.field(description="The endpoint; null if refused.")
    secret: str | None = strawberry.field(
        description="The new secret, shown this once; the previous one keeps signing for 24 hours."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type(description="What `disableWebhookEndpoint` answers: the disabled endpoint, or its userErrors.")
class DisableWebhookEndpointPayload:
    webhook_endpoint: WebhookEndpoint | None = strawberry.field(
        description="The endpoint, now DISABLED; null if refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


@strawberry.type(description="What `resendWebhookEvent` answers: the new delivery, or its userErrors.")
class ResendWebhookEventPayload:
    delivery: WebhookDelivery | None = strawberry.field(description="The new delivery, due now.")
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


def _endpoint_id(value: strawberry.ID) -> str:
    return local_id(value, "WebhookEndpoint", field=["endpointId"])


@strawberry.type
class WebhooksMutations:
    @strawberry.mutation(
        description="A webhook endpoint for a partner (its partner-admin or integration client); "
        "the payload carries its signing secret, this once."
    )
    def create_webhook_endpoint(
        self,
        info: Info,
        input: Annotated[
            CreateWebhookEndpointInput, strawberry.argument(description="What to do: see `CreateWebhookEndpointInput`.")
        ],
    ) -> CreateWebhookEndpointPayload:
        ctx = info.context
        made, errors = attempt(
            lambda: webhook_service.create_webhook_endpoint(
                ctx.ports,
                ctx.principal,
                partner_id=local_id(input.partner_id, "Partner", field=["partnerId"]),
                url=input.url,
                types=input.event_types,
                description=input.description,
            )
        )
        endpoint, secret = made if made else (None, None)
        return CreateWebhookEndpointPayload(
            webhook_endpoint=WebhookEndpoint.from_domain(endpoint) if endpoint else None,
            secret=secret,
            user_errors=errors,
        )

    @strawberry.mutation(description="A new signing secret; the previous one stays valid 24 hours (both sign).")
    def rotate_webhook_secret(
        self,
        info: Info,
        input: Annotated[
            RotateWebhookSecretInput, strawberry.argument(description="What to do: see `RotateWebhookSecretInput`.")
        ],
    ) -> RotateWebhookSecretPayload:
        ctx = info.context
        made, errors = attempt(
            lambda: webhook_service.rotate_webhook_secret(
                ctx.ports, ctx.principal, endpoint_id=_endpoint_id(input.endpoint_id)
            )
        )
        endpoint, secret = made if made else (None, None)
        return RotateWebhookSecretPayload(
            webhook_endpoint=WebhookEndpoint.from_domain(endpoint) if endpoint else None,
            secret=secret,
            user_errors=errors,
        )

    @strawberry.mutation(description="Stop sending to an endpoint (its partner's managers, or a leaser admin).")
    def disable_webhook_endpoint(
        self,
        info: Info,
        input: Annotated[
            DisableWebhookEndpointInput,
            strawberry.argument(description="What to do: see `DisableWebhookEndpointInput`."),
        ],
    ) -> DisableWebhookEndpointPayload:
        ctx = info.context
        return object_payload(
            DisableWebhookEndpointPayload,
            "webhook_endpoint",
            WebhookEndpoint.from_domain,
            lambda: webhook_service.disable_webhook_endpoint(
                ctx.ports, ctx.principal, endpoint_id=_endpoint_id(input.endpoint_id), reason=input.reason
            ),
        )

    @strawberry.mutation(description="Send an event again to an endpoint, as a new delivery (retried as any other).")
    def resend_webhook_event(
        self,
        info: Info,
        input: Annotated[
            ResendWebhookEventInput, strawberry.argument(description="What to do: see `ResendWebhookEventInput`.")
        ],
    ) -> ResendWebhookEventPayload:
        ctx = info.context
        return object_payload(
            ResendWebhookEventPayload,
            "delivery",
            WebhookDelivery.from_domain,
            lambda: webhook_service.resend_webhook_event(
                ctx.ports, ctx.principal, event_id=input.event_id, endpoint_id=_endpoint_id(input.endpoint_id)
            ),
        )
