"""The client's address, as far as it can be trusted.

Behind a reverse proxy every request comes from the proxy: REMOTE_ADDR is the proxy's address and the
client's is in X-Forwarded-For, which the client may also write itself. So the header is believed only as
far as it was written by proxies the installation names (settings.TRUSTED_PROXIES, from
USTAZ_TRUSTED_PROXIES): walking from the right, each hop added by a trusted proxy is taken, and the first
address not itself a trusted proxy is the client. With no trusted proxies (the default) the header is
ignored entirely. Every address the platform records or limits by (login and other rate limits, the audit
log, downloads, test attempts) comes from `client_address`.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_networks() -> tuple[Network, ...]:
    """The configured proxies as networks (a bare address is a network of one)."""
    return _networks(tuple(settings.TRUSTED_PROXIES))


def parse_address(value: str | None) -> Address | None:
    """An address from a header hop or REMOTE_ADDR: tolerates a port ("192.0.2.1:443", "[2001:db8::1]:443")
    and gives an IPv4-mapped IPv6 address as IPv4; None for anything else ("unknown", garbage)."""
    text = (value or "").strip().strip('"')
    if not text or len(text) > 64:
        return None
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_trusted_proxy(address: Address, networks: tuple[Network, ...] | None = None) -> bool:
    networks = trusted_networks() if networks is None else networks
    return any(address.version == network.version and address in network for network in networks)


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address: REMOTE_ADDR unless it is a trusted proxy; then the first address, from the right
    of X-Forwarded-For, that is not a trusted proxy. None when there is no request or no usable address."""
    if request is None:
        return None
    peer = parse_address(request.META.get("REMOTE_ADDR"))
    if peer is None:
        return None
    networks = trusted_networks()
    if not networks or not is_trusted_proxy(peer, networks):
        return str(peer)
    nearest = peer  # the nearest hop known to be a trusted proxy
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        address = parse_address(hop)
        if address is None:
            # A trusted proxy writes real addresses: this hop is the client's own invention (or an
            # obfuscated one), so the nearest trusted hop is all that can be said.
            return str(nearest)
        if not is_trusted_proxy(address, networks):
            return str(address)
        nearest = address
    return str(nearest)
