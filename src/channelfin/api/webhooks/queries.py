"""Root query fields of webhooks: a partner's endpoints, an endpoint's deliveries, a partner's events."""

from __future__ import annotations

import datetime as dt

import strawberry

from channelfin.api.core.ids import local_id
from channelfin.api.core.node import Info, node_loader
from channelfin.api.core.pagination import Connection, page_request
from channelfin.api.webhooks.types import WebhookDelivery, WebhookEndpoint, WebhookEvent
from channelfin.services import webhooks as webhook_service


@strawberry.type
class WebhooksQueries:
    @strawberry.field(
        description="A partner's webhook endpoints, oldest first (its partner-admin and integration client, "
        "leaser admins); a disabled one says why."
    )
    def webhook_endpoints(self, info: Info, partner_id: strawberry.ID) -> list[WebhookEndpoint]:
        ctx = info.context
        partner = local_id(partner_id, "Partner", field=["partnerId"])
        return [
            WebhookEndpoint.from_domain(e) for e in webhook_service.webhook_endpoints(ctx.ports, ctx.principal, partner)
        ]

    @strawberry.field(description="An endpoint's deliveries, newest first, each attempt with its answer.")
    def webhook_deliveries(
        self, info: Info, endpoint_id: strawberry.ID, first: int | None = None, after: str | None = None
    ) -> Connection[WebhookDelivery]:
        ctx = info.context
        endpoint = local_id(endpoint_id, "WebhookEndpoint", field=["endpointId"])
        page = webhook_service.webhook_deliveries(ctx.ports, ctx.principal, endpoint, page_request(first, after))
        return Connection[WebhookDelivery].from_page(page, WebhookDelivery.from_domain, after=after)

    @strawberry.field(
        description="A partner's events since a time, oldest first (the caller's partner when omitted): "
        "what its endpoints were sent, to catch up after downtime."
    )
    def events(
        self,
        info: Info,
        partner_id: strawberry.ID | None = None,
        since: dt.datetime | None = None,
        types: list[str] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[WebhookEvent]:
        ctx = info.context
        partner = local_id(partner_id, "Partner", field=["partnerId"]) if partner_id else None
        page = webhook_service.events_feed(
            ctx.ports, ctx.principal, partner_id=partner, since=since, types=types, page=page_request(first, after)
        )
        return Connection[WebhookEvent].from_page(page, WebhookEvent.from_domain, after=after)


node_loader("WebhookEndpoint", webhook_service.visible_endpoint, WebhookEndpoint.from_domain)
