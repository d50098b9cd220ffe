"""GraphQL types of webhook endpoints, their deliveries and the events integrators receive."""

import datetime as dt

import strawberry

from channelfin.api.core.context import Context
from channelfin.api.core.ids import to_global_id
from channelfin.api.core.node import Node
from channelfin.api.core.node import partner as load_partner
from channelfin.api.core.refs import PartnerRef
from channelfin.domain import events as dev
from channelfin.domain import webhook_deliveries as dwd
from channelfin.domain import webhooks as dwh
from channelfin.domain.webhook_deliveries import DeliveryStatus
from channelfin.domain.webhooks import EndpointStatus


@strawberry.type(description="Where a partner's events are POSTed, signed per Standard Webhooks.")
class WebhookEndpoint(Node):
    url: str = strawberry.field(description="The https URL events are POSTed to.")
    event_types: list[str] | None = strawberry.field(description="The dotted event types sent; null: all of them.")
    description: str | None = strawberry.field(description="The note given at creation.")
    status: EndpointStatus = strawberry.field(description="ENABLED, or DISABLED (`disabledReason` says why).")
    created_at: dt.datetime = strawberry.field(description="When it was created.")
    created_by: str = strawberry.field(description="The user (JWT `sub`) who created it.")
    disabled_at: dt.datetime | None = strawberry.field(description="When it was disabled; null while ENABLED.")
    disabled_reason: str | None = strawberry.field(
        description="Why it is disabled: by whom, or after how many deliveries in a row failed (the notice)."
    )
    failed_deliveries_in_a_row: int = strawberry.field(
        description="Deliveries that ended FAILED since the last success; the endpoint is disabled at 3."
    )
    secret_rotated_at: dt.datetime = strawberry.field(description="When the current signing secret was made.")
    previous_secret_expires_at: dt.datetime | None = strawberry.field(
        description="After a rotation, until when the previous secret still signs (24 h)."
    )
    domain: strawberry.Private[dwh.WebhookEndpoint]

    @classmethod
    def from_domain(cls, e: dwh.WebhookEndpoint) -> "WebhookEndpoint":
        previous = e.secrets[1] if len(e.secrets) > 1 else None
        return cls(
            id=strawberry.ID(to_global_id("WebhookEndpoint", e.id)),
            url=e.url,
            event_types=sorted(t.value for t in e.event_types) if e.event_types is not None else None,
            description=e.description,
            status=e.status,
            created_at=e.created_at,
            created_by=e.created_by,
            disabled_at=e.disabled_at,
            disabled_reason=e.disabled_reason,
            failed_deliveries_in_a_row=e.failed_in_a_row,
            secret_rotated_at=e.secrets[0].created_at,
            previous_secret_expires_at=previous.expires_at if previous else None,
            domain=e,
        )

    @strawberry.field(description="The partner whose events it receives.")
    async def partner(self, info: strawberry.Info[Context, None]) -> PartnerRef:
        return await load_partner(info, self.domain.partner_id)


@strawberry.type(description="One POST of a delivery and what came back.")
class WebhookAttempt:
    number: int = strawberry.field(description="1 for the first POST, then 2, 3...")
    at: dt.datetime = strawberry.field(description="When the POST was made.")
    status_code: int | None = strawberry.field(description="The HTTP status; null when no answer came.")
    duration_ms: int = strawberry.field(description="Milliseconds from connecting to the end of the answer.")
    response_body: str = strawberry.field(description="The first 2 KB of the answer's body.")
    error: str | None = strawberry.field(description="Timeout, connection refused, address refused...")


@strawberry.type(description="One event sent to one endpoint, with every attempt.")
class WebhookDelivery:
    id: strawberry.ID = strawberry.field(description="The delivery's id (`dlv_…`).")
    event_id: str = strawberry.field(description="The event's id, sent as `webhook-id`.")
    event_type: str = strawberry.field(description="The event's dotted type, e.g. `payout.paid`.")
    status: DeliveryStatus = strawberry.field(description="PENDING, SUCCEEDED or FAILED.")
    created_at: dt.datetime = strawberry.field(description="When the delivery was queued.")
    next_attempt_at: dt.datetime | None = strawberry.field(description="PENDING: when it is tried again.")
    attempts: list[WebhookAttempt] = strawberry.field(description="Every POST so far, oldest first.")

    @classmethod
    def from_domain(cls, d: dwd.Delivery) -> "WebhookDelivery":
        return cls(
            id=strawberry.ID(d.id),
            event_id=d.event_id,
            event_type=d.event_type.value,
            status=d.status,
            created_at=d.created_at,
            next_attempt_at=d.next_attempt_at,
            attempts=[
                WebhookAttempt(
                    number=a.number,
                    at=a.at,
                    status_code=a.status_code,
                    duration_ms=a.duration_ms,
                    response_body=a.response_body,
                    error=a.error,
                )
                for a in d.attempts
            ],
        )


@strawberry.type(description="An event as the partner's endpoints receive it (`events` to catch up).")
class WebhookEvent:
    id: str = strawberry.field(description="Stable id (`evt_…`, sorts by time), sent as `webhook-id`.")
    type: str = strawberry.field(description="Dotted type, e.g. `contract.status_changed`.")
    occurred_at: dt.datetime = strawberry.field(description="When the fact happened (the `timestamp` sent).")
    subject_id: strawberry.ID = strawberry.field(description="The object the event is about (a payout's contract).")
    payload: str = strawberry.field(
        description="The JSON body POSTed: {id, type, timestamp, data}, the object as this partner may see it."
    )

    @classmethod
    def from_domain(cls, e: dev.Event) -> "WebhookEvent":
        return cls(id=e.id, type=e.type.value, occurred_at=e.at, subject_id=strawberry.ID(e.subject_id), payload=e.body)
