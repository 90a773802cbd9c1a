"""BigBlueButton's recording-ready callback: a token signed with the right secret but carrying an expiry
that is not a number, a payload that is not an object or a header that is not one is refused with 400 and
logged, never a server error."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging

import pytest
from django.test import Client
from django.urls import reverse

from ustaz.live import providers

SECRET = "bbb-callback-secret"


def signed(header, payload) -> str:
    """A token signed with the secret around any JSON (jwt_encode takes only objects)."""

    def part(value) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    head, body = part(header), part(payload)
    signature = hmac.new(SECRET.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


HS256 = {"alg": "HS256", "typ": "JWT"}


@pytest.mark.parametrize(
    ("header", "payload"),
    [
        (HS256, {"meeting_id": "m1", "exp": None}),
        (HS256, {"meeting_id": "m1", "exp": "tomorrow"}),
        (HS256, {"meeting_id": "m1", "exp": "NaN"}),
        (HS256, {"meeting_id": "m1", "exp": [1]}),
        (HS256, {"meeting_id": "m1", "exp": True}),
        (HS256, {"meeting_id": "m1", "exp": 10**400}),  # math.isfinite() overflows on it
        (HS256, ["meeting_id", "m1"]),
        (HS256, "m1"),
        (HS256, None),
        (["HS256"], {"meeting_id": "m1"}),
        ("HS256", {"meeting_id": "m1"}),
    ],
)
def test_a_signed_callback_with_a_malformed_token_is_refused_and_logged(db, settings, caplog, header, payload):
    settings.BBB_SECRET = SECRET
    with caplog.at_level(logging.WARNING, logger="ustaz.live.views"):
        response = Client().post(reverse("live:bbb_recording_ready"), {"signed_parameters": signed(header, payload)})
    assert response.status_code == 400
    assert "recording-ready callback refused" in caplog.text


def test_a_callback_without_expiry_or_past_it_is_answered_without_error(db, settings):
    settings.BBB_SECRET = SECRET
    url = reverse("live:bbb_recording_ready")
    # BigBlueButton signs {meeting_id, record_id} with no expiry: accepted (an unknown meeting is 404).
    assert Client().post(url, {"signed_parameters": signed(HS256, {"meeting_id": "unknown"})}).status_code == 404
    expired = providers.jwt_encode({"meeting_id": "unknown", "exp": 1000}, SECRET)
    assert Client().post(url, {"signed_parameters": expired}).status_code == 400
