"""Root query fields of webhooks: a partner's endpoints, an endpoint's deliveries, a partner's events."""

import datetime as dt
from typing import Annotated

import strawberry

from channelfin.api.core.ids import local_id
from channelfin.api.core.node import Info, node_loader
from channelfin.api.core.pagination import After, Connection, First, paging
from channelfin.api.webhooks.types import WebhookDelivery, WebhookEndpoint, WebhookEvent
from channelfin.services import webhooks as webhook_service


@strawberry.type
class WebhooksQueries:
    @strawberry.field(
        description="A partner's webhook endpoints, oldest first (its partner-admin and integration client, "
        "leaser admins); a disabled one says why."
    )
    def webhook_endpoints(
        self,
        info: Info,
        partner_id: Annotated[strawberry.ID, strawberry.argument(description="The partner whose endpoints to list.")],
    ) -> list[WebhookEndpoint]:
        ctx = info.context
        partner = local_id(partner_id, "Partner", field=["partnerId"])
        return [
            WebhookEndpoint.from_domain(e) for e in webhook_service.webhook_endpoints(ctx.ports, ctx.principal, partner)
        ]

    @strawberry.field(description="An endpoint's deliveries, newest first, each attempt with its answer.")
    def webhook_deliveries(
        self,
        info: Info,
        endpoint_id: Annotated[
            strawberry.ID, strawberry.argument(description="The endpoint (a `WebhookEndpoint` id).")
        ],
        first: First = None,
        after: After = None,
    ) -> Connection[WebhookDelivery]:
        ctx = info.context
        endpoint = local_id(endpoint_id, "WebhookEndpoint", field=["endpointId"])
        request = paging(info, first, after)
        page = webhook_service.webhook_deliveries(ctx.ports, ctx.principal, endpoint, request.request)
        return Connection[WebhookDelivery].from_page(page, WebhookDelivery.from_domain, request)

    @strawberry.field(
        description="A partner's events since a time, oldest first (the caller's partner when omitted): "
        "what its endpoints were sent, to catch up after downtime."
    )
    def events(
        self,
        info: Info,
        partner_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Whose events; the caller's partner when omitted.")
        ] = None,
        since: Annotated[
            dt.datetime | None, strawberry.argument(description="Events that occurred at or after this time.")
        ] = None,
        types: Annotated[
            list[str] | None, strawberry.argument(description="Only these dotted types, e.g. `payout.paid`.")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[WebhookEvent]:
        ctx = info.context
        partner = local_id(partner_id, "Partner", field=["partnerId"]) if partner_id else None
        request = paging(info, first, after)
        page = webhook_service.events_feed(
            ctx.ports, ctx.principal, partner_id=partner, since=since, types=types, page=request.request
        )
        return Connection[WebhookEvent].from_page(page, WebhookEvent.from_domain, request)


node_loader("WebhookEndpoint", webhook_service.visible_endpoint, WebhookEndpoint.from_domain)
