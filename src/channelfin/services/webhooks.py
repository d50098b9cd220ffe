"""Use cases of a partner's webhook endpoints, its deliveries and its events.

Endpoints are the partner's own: its `partner-admin` (or its integration client, acting for
it) creates them, rotates their secrets, disables them and reads their deliveries; a
`leaser-admin` may read and disable any (support), never create one or see a secret. Another
partner's endpoint does not exist for a caller (NOT_FOUND). The event feed (`events`) is
the partner's own copies, for any of its users and integration clients, and leaser staff.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from datetime import datetime

from channelfin.domain import webhook_urls
from channelfin.domain.access import Principal, Role
from channelfin.domain.error_codes import CommonCode, WebhookCode
from channelfin.domain.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from channelfin.domain.events import Event, EventType, since_key
from channelfin.domain.webhook_deliveries import Delivery
from channelfin.domain.webhooks import MAX_ENDPOINTS_PER_PARTNER, WebhookEndpoint, event_types, new_secret
from channelfin.services.paging import Page, PageRequest
from channelfin.services.ports import Ports
from channelfin.services.retry import optimistic_update

MANAGERS = (Role.PARTNER_ADMIN, Role.INTEGRATION)
SECRET_BYTES = 24


def _require_manager(principal: Principal, partner_id: str, action: str, field: list[str]) -> None:
    if not (principal.acts_for(partner_id) and principal.has_any(*MANAGERS)):
        raise PermissionDenied(
            f"{action} is done by the partner's partner-admin or its integration client", field=field
        )


def check_url(ports: Ports, url: str) -> str:
    """The URL, if it passes the rules and every address its host resolves to is allowed (SSRF)."""
    policy = ports.webhook_settings.url_policy
    target = webhook_urls.parse(url, policy)
    literal = webhook_urls.literal_address(target.host)
    addresses = [str(literal)] if literal else ports.resolver.addresses(target.host, target.port)
    webhook_urls.check_addresses(target, addresses, policy)
    return target.url


def create_webhook_endpoint(
    ports: Ports,
    principal: Principal,
    *,
    partner_id: str,
    url: str,
    types: Sequence[str] | None,
    description: str | None,
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret (shown this once)."""
    _require_manager(principal, partner_id, "createWebhookEndpoint", ["partnerId"])
    if ports.partners.get(partner_id) is None:
        raise NotFound("no such partner", field=["partnerId"])
    subscribed = event_types(types)
    checked = check_url(ports, url)
    if sum(e.enabled for e in ports.webhooks.endpoints_of(partner_id)) >= MAX_ENDPOINTS_PER_PARTNER:
        raise ValidationError(
            f"a partner has at most {MAX_ENDPOINTS_PER_PARTNER} enabled endpoints; disable one first",
            code=WebhookCode.TOO_MANY_ENDPOINTS,
        )
    secret = new_secret(secrets.token_bytes(SECRET_BYTES))
    endpoint = WebhookEndpoint.create(
        id=ports.new_id(),
        partner_id=partner_id,
        url=checked,
        event_types=subscribed,
        description=description,
        secret=secret,
        at=ports.clock(),
        by=principal.sub,
    )
    ports.webhooks.add_endpoint(endpoint)
    return endpoint, secret


def _visible_endpoint(ports: Ports, principal: Principal, endpoint_id: str) -> WebhookEndpoint:
    """The endpoint for its partner's users and leaser admins; NOT_FOUND for anyone else."""
    endpoint = ports.webhooks.get_endpoint(endpoint_id)
    if endpoint is None or not (principal.acts_for(endpoint.partner_id) or principal.has_any(Role.LEASER_ADMIN)):
        raise NotFound("no such webhook endpoint", field=["endpointId"])
    return endpoint


def visible_endpoint(ports: Ports, principal: Principal, endpoint_id: str) -> WebhookEndpoint | None:
    """`node(id:)`: the endpoint for its partner's managers and leaser admins, None otherwise."""
    endpoint = ports.webhooks.get_endpoint(endpoint_id)
    if endpoint is None:
        return None
    if principal.has_any(Role.LEASER_ADMIN):
        return endpoint
    manages = principal.acts_for(endpoint.partner_id) and principal.has_any(*MANAGERS)
    return endpoint if manages else None


def _managed_endpoint(ports: Ports, principal: Principal, endpoint_id: str, action: str) -> WebhookEndpoint:
    endpoint = _visible_endpoint(ports, principal, endpoint_id)
    _require_manager(principal, endpoint.partner_id, action, ["endpointId"])
    return endpoint


def update_endpoint(
    ports: Ports, endpoint_id: str, change: Callable[[WebhookEndpoint], WebhookEndpoint]
) -> WebhookEndpoint:
    return optimistic_update(
        lambda: ports.webhooks.get_endpoint(endpoint_id),
        lambda changed, version: ports.webhooks.save_endpoint(changed, expected_version=version),
        change,
        what="webhook endpoint",
        field=["endpointId"],
    )


def rotate_webhook_secret(ports: Ports, principal: Principal, *, endpoint_id: str) -> tuple[WebhookEndpoint, str]:
    """A new secret, shown once; the previous one stays valid 24 hours (both sign meanwhile)."""
    _managed_endpoint(ports, principal, endpoint_id, "rotateWebhookSecret")
    secret = new_secret(secrets.token_bytes(SECRET_BYTES))
    at = ports.clock()
    return update_endpoint(ports, endpoint_id, lambda e: e.rotated(secret, at)), secret


def disable_webhook_endpoint(
    ports: Ports, principal: Principal, *, endpoint_id: str, reason: str | None
) -> WebhookEndpoint:
    endpoint = _visible_endpoint(ports, principal, endpoint_id)
    if not principal.has_any(Role.LEASER_ADMIN):
        _require_manager(principal, endpoint.partner_id, "disableWebhookEndpoint", ["endpointId"])
    note = f"disabled by {principal.sub}" + (f": {reason.strip()[:300]}" if reason and reason.strip() else "")
    at = ports.clock()
    return update_endpoint(ports, endpoint_id, lambda e: e.disabled(note, at))


def webhook_endpoints(ports: Ports, principal: Principal, partner_id: str) -> list[WebhookEndpoint]:
    """A partner's endpoints (its own managers, leaser admins); another partner's list is empty."""
    if not principal.has_any(Role.LEASER_ADMIN):
        if not principal.acts_for(partner_id):
            return []
        _require_manager(principal, partner_id, "webhookEndpoints", ["partnerId"])
    return ports.webhooks.endpoints_of(partner_id)


def webhook_deliveries(ports: Ports, principal: Principal, endpoint_id: str, page: PageRequest) -> Page[Delivery]:
    endpoint = _visible_endpoint(ports, principal, endpoint_id)
    if not principal.has_any(Role.LEASER_ADMIN):
        _require_manager(principal, endpoint.partner_id, "webhookDeliveries", ["endpointId"])
    return ports.webhooks.deliveries_of(endpoint_id, page)


def delivery_id(at: datetime, unique: str) -> str:
    """`dlv_<time>...`: an endpoint's deliveries list newest first by their ids."""
    return f"dlv_{at:%Y%m%d%H%M%S%f}{unique[:10]}"


def resend_webhook_event(ports: Ports, principal: Principal, *, event_id: str, endpoint_id: str) -> Delivery:
    """Deliver the event again to the endpoint, as a new delivery (due now, retried as any other)."""
    endpoint = _managed_endpoint(ports, principal, endpoint_id, "resendWebhookEvent")
    event = ports.webhooks.get_event(endpoint.partner_id, event_id)
    if event is None:
        raise NotFound("no such event for this endpoint's partner", field=["eventId"])
    if not endpoint.enabled:
        raise InvalidTransition("the endpoint is disabled", code=WebhookCode.ENDPOINT_DISABLED, field=["endpointId"])
    if not endpoint.wants(event.type):
        raise ValidationError(
            f"the endpoint does not subscribe to {event.type.value}", code=WebhookCode.NOT_SUBSCRIBED, field=["eventId"]
        )
    now = ports.clock()
    delivery = Delivery(
        id=delivery_id(now, ports.new_id()),
        endpoint_id=endpoint.id,
        partner_id=endpoint.partner_id,
        event_id=event.id,
        event_type=event.type,
        subject_id=event.subject_id,
        created_at=now,
        next_attempt_at=now,
    )
    ports.webhooks.add_delivery(delivery)
    return delivery


def events_feed(
    ports: Ports,
    principal: Principal,
    *,
    partner_id: str | None,
    since: datetime | None,
    types: Sequence[str] | None,
    page: PageRequest,
) -> Page[Event]:
    """A partner's events since a time, oldest first: what its endpoints were (or would have been) sent."""
    if partner_id is None:
        if principal.partner_id is None:
            raise ValidationError("say whose events: partnerId", code=CommonCode.REQUIRED, field=["partnerId"])
        partner_id = principal.partner_id
    if not (principal.is_leaser_staff or principal.acts_for(partner_id)):
        return Page(items=[])
    wanted: frozenset[EventType] | None = None
    if types:
        wanted = event_types(types)
    return ports.webhooks.feed(partner_id, since=since_key(since) if since else "evt_", types=wanted, page=page)
