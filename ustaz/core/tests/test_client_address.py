"""The client's address through trusted proxies only (USTAZ_TRUSTED_PROXIES)."""

import subprocess
import sys

import pytest
from django.test import RequestFactory

from ustaz.core.addresses import client_address

PROXY = "10.0.0.5"


def request_from(peer: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_a_spoofed_header_from_an_untrusted_peer_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request_from("203.0.113.9", "198.51.100.1, 10.0.0.7")) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_client_is_the_address_it_forwarded(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request_from(PROXY, "198.51.100.1")) == "198.51.100.1"


def test_what_the_client_wrote_before_the_proxy_is_not_believed(settings):
    # The client sent "X-Forwarded-For: 192.0.2.66"; nginx appended the address it saw.
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request_from(PROXY, "192.0.2.66, 198.51.100.1")) == "198.51.100.1"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8:1::/48", "172.16.0.1"]
    forwarded = "192.0.2.66, 198.51.100.1, 172.16.0.1, 2001:db8:1::20"
    assert client_address(request_from(PROXY, forwarded)) == "198.51.100.1"


def test_an_address_with_a_port_or_mapped_to_ipv6_is_read(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request_from(PROXY, "198.51.100.1:52144")) == "198.51.100.1"
    assert client_address(request_from(PROXY, "[2001:db8::7]:443")) == "2001:db8::7"
    assert client_address(request_from("::ffff:10.0.0.5", "198.51.100.1")) == "198.51.100.1"


def test_garbage_in_the_header_yields_the_nearest_trusted_hop(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request_from(PROXY, "198.51.100.1, <script>, 10.0.0.9")) == "10.0.0.9"
    assert client_address(request_from(PROXY, "unknown")) == PROXY
    assert client_address(request_from(PROXY, "1" * 5000)) == PROXY


def test_a_request_from_the_proxy_itself_is_the_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request_from(PROXY)) == PROXY


def test_no_request_or_no_address_is_none(settings):
    assert client_address(None) is None
    assert client_address(request_from("")) is None


@pytest.mark.parametrize("value", ["10.0.0.0/33", "proxy.example.kz"])
def test_a_bad_trusted_proxy_stops_the_start_with_its_name(tmp_path, value):
    env = {"PATH": "/usr/bin:/bin", "USTAZ_VAR_DIR": str(tmp_path), "USTAZ_TRUSTED_PROXIES": f"10.0.0.1,{value}"}
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", "import ustaz.settings"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert f"USTAZ_TRUSTED_PROXIES: '{value}'" in result.stderr


def test_the_deploy_check_warns_behind_a_proxy_with_no_proxy_trusted(settings):
    from ustaz.core.checks import trusted_proxies_named_behind_a_proxy

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = []
    assert [warning.id for warning in trusted_proxies_named_behind_a_proxy(None)] == ["ustaz.W001"]
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    assert trusted_proxies_named_behind_a_proxy(None) == []
