"""Where a webhook may be sent: the URL rules that keep the platform from calling its own network (SSRF).

A URL is https (http only to a loopback address, and only on `channelfin dev`), without
credentials, and every address its host resolves to must be public: private (10/8,
172.16/12, 192.168/16, fc00::/7), loopback (except on dev), link-local (169.254/16, the
cloud metadata service among them, fe80::/10), shared, multicast, reserved and unspecified
addresses are refused. The check runs when the endpoint is created and again before every
delivery, on the addresses the delivery then connects to (a name that later resolves to a
private address is refused then).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from channelfin.domain.error_codes import WebhookCode
from channelfin.domain.errors import ValidationError

MAX_URL_LENGTH = 2048
# The cloud metadata endpoints; link-local covers AWS's IPv4 one, these name the others explicitly.
METADATA_ADDRESSES = frozenset({"169.254.169.254", "fd00:ec2::254", "100.100.100.200"})


@dataclass(frozen=True, slots=True)
class UrlPolicy:
    allow_loopback_http: bool = False  # `channelfin dev` only: test receivers on 127.0.0.1


@dataclass(frozen=True, slots=True)
class Target:
    """A URL that passed the syntactic checks: what to resolve and connect to."""

    url: str
    scheme: str
    host: str
    port: int
    path: str  # with the query string


def _refused(message: str, code: WebhookCode) -> ValidationError:
    return ValidationError(message, code=code, field=["url"])


def parse(url: str, policy: UrlPolicy) -> Target:
    """The URL's parts, or a userError: not a URL, a scheme other than https (or dev's http), credentials."""
    text = url.strip()
    if not text or len(text) > MAX_URL_LENGTH:
        raise _refused(f"the URL is 1 to {MAX_URL_LENGTH} characters", WebhookCode.INVALID_URL)
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise _refused(f"not a URL: {exc}", WebhookCode.INVALID_URL) from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise _refused(
            f"webhooks are sent over https, not {scheme or 'no scheme'}:", WebhookCode.URL_SCHEME_NOT_ALLOWED
        )
    if scheme == "http" and not policy.allow_loopback_http:
        raise _refused("webhooks are sent over https only", WebhookCode.URL_SCHEME_NOT_ALLOWED)
    if parts.username or parts.password:
        raise _refused("credentials do not belong in the URL", WebhookCode.INVALID_URL)
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise _refused("the URL names no host", WebhookCode.INVALID_URL)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(text, scheme, host, port or (443 if scheme == "https" else 80), path)


def literal_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


# Prefixes whose last 32 bits are an IPv4 address: NAT64's well-known and local-use ones (RFC 6052,
# RFC 8215) and the IPv4-translated form (RFC 2765).
CARRYING_IPV4 = tuple(ipaddress.ip_network(n) for n in ("64:ff9b::/96", "64:ff9b:1::/48", "::ffff:0:0:0/96"))


def embedded_ipv4(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """The IPv4 address an IPv6 one stands for, where it reaches one: mapped (::ffff:a.b.c.d),
    NAT64 (64:ff9b::a.b.c.d), 6to4 (2002:AABB:CCDD::) and the old IPv4-compatible form (::a.b.c.d).
    Python 3.11 calls 64:ff9b::a9fe:a9fe global, yet through a DNS64/NAT64 gateway it is
    169.254.169.254."""
    if isinstance(address, ipaddress.IPv4Address):
        return address
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in network for network in CARRYING_IPV4) or (int(address) >> 32 == 0 and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def check_addresses(target: Target, addresses: Iterable[str], policy: UrlPolicy) -> list[str]:
    """The addresses to connect to, every one of them allowed; a userError naming the first that is not."""
    found = list(dict.fromkeys(addresses))
    if not found:
        raise _refused(f"{target.host} does not resolve", WebhookCode.URL_NOT_RESOLVED)
    for text in found:
        address = embedded_ipv4(ipaddress.ip_address(text.split("%")[0]))
        if address.is_loopback:
            if policy.allow_loopback_http:
                continue
            raise _refused(f"{target.host} is this machine ({address})", WebhookCode.URL_ADDRESS_NOT_ALLOWED)
        if target.scheme == "http":
            raise _refused("http is allowed to a loopback address only", WebhookCode.URL_SCHEME_NOT_ALLOWED)
        if str(address) in METADATA_ADDRESSES or not address.is_global or address.is_multicast:
            raise _refused(
                f"{target.host} is a private, link-local or reserved address ({address})",
                WebhookCode.URL_ADDRESS_NOT_ALLOWED,
            )
    return found
