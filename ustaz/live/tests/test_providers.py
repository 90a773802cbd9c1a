"""The conference providers: BigBlueButton's checksum rules on documented examples, its calls against a local
server that answers as BigBlueButton documents, the JWTs of Jitsi and of BigBlueButton's callbacks."""

from __future__ import annotations

import base64
import socket
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from testkit.bbb import FakeBigBlueButton
from ustaz.live import providers
from ustaz.live.providers import BigBlueButton, ConferenceError

DOCS_SECRET = "639259d4-9dd8-4b25-bf01-95f9567eaf4b"


def test_sha1_checksum_of_the_api_documentation_example():
    # docs.bigbluebutton.org, "Usage": create with these parameters and that secret.
    server = BigBlueButton("https://bbb.example.edu/bigbluebutton/", DOCS_SECRET, "sha1")
    query = "name=Test+Meeting&meetingID=abc123&attendeePW=111222&moderatorPW=333444"
    assert server.checksum("create", query) == "1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17"
    url = server.url(
        "create", {"name": "Test Meeting", "meetingID": "abc123", "attendeePW": "111222", "moderatorPW": "333444"}
    )
    assert url == (
        "https://bbb.example.edu/bigbluebutton/api/create?"
        + query
        + "&checksum=1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17"
    )


@pytest.mark.parametrize(
    ("algorithm", "expected"),
    [
        ("sha1", "7030bd96ede6a7ac41da848fe3bfc562e52a5914"),
        ("sha256", "7e5a0a48f1542462e56ca034dc83d741bff1deb5feab0cd9ef74fa6e009fe1fd"),
    ],
)
def test_checksum_by_either_algorithm(algorithm, expected):
    # The step-by-step example of a published BigBlueButton API guide, given for SHA-1 and SHA-256.
    server = BigBlueButton("https://bbb.example.edu/bigbluebutton/api/", "replace-with-secret", algorithm)
    query = (
        "name=Demo&meetingID=replace-with-meeting-id&attendeePW=replace-with-password&moderatorPW=replace-with-password"
    )
    assert server.checksum("create", query) == expected


def test_a_call_without_parameters_is_signed_too():
    server = BigBlueButton("https://bbb.example.edu/bigbluebutton", "s", "sha1")
    url = server.url("getMeetings")
    assert url.startswith("https://bbb.example.edu/bigbluebutton/api/getMeetings?checksum=")
    assert url.endswith(server.checksum("getMeetings", ""))


def test_an_unknown_algorithm_is_refused():
    with pytest.raises(ValueError, match="algorithm"):
        BigBlueButton("https://bbb.example.edu/", "s", "md5")


@pytest.mark.parametrize("algorithm", ["sha1", "sha256"])
def test_meeting_lifecycle_against_a_server_that_checks_checksums(algorithm):
    with FakeBigBlueButton(secret="shared", algorithm=algorithm) as fake:
        server = BigBlueButton(fake.url, "shared", algorithm)
        assert not server.is_meeting_running("m1")
        server.create(meeting_id="m1", name="Домбыра: 1-сабақ", welcome="Қош келдіңіз", record=True)
        server.create(meeting_id="m1", name="Домбыра: 1-сабақ")  # a repeated create is harmless
        assert server.is_meeting_running("m1")
        assert fake.meetings["m1"].name == "Домбыра: 1-сабақ"
        assert fake.meetings["m1"].params["record"] == "true"
        join = server.join_url(meeting_id="m1", full_name="Әлия Нұрлан", user_id="7", moderator=False)
        query = parse_qs(urlsplit(join).query)
        assert query["role"] == ["VIEWER"] and query["fullName"] == ["Әлия Нұрлан"]
        status, _body = fake.answer(urlsplit(join).path + "?" + urlsplit(join).query)
        assert fake.meetings["m1"].joined == [("Әлия Нұрлан", "VIEWER")]
        fake.recordings["m1"] = [
            {"id": "rec-1", "url": "https://bbb.example.edu/playback/presentation/2.3/rec-1"},
            {"id": "rec-2", "url": "https://bbb.example.edu/playback/presentation/2.3/rec-2", "published": False},
        ]
        recordings = server.recordings("m1")
        assert [(r.record_id, r.published) for r in recordings] == [("rec-1", True), ("rec-2", False)]
        assert recordings[0].started_at.year >= 2025
        server.end("m1")
        assert not server.is_meeting_running("m1")


def test_a_wrong_secret_gives_a_message_for_the_user():
    with FakeBigBlueButton(secret="right") as fake:
        server = BigBlueButton(fake.url, "wrong", "sha256")
        with pytest.raises(ConferenceError, match="refused: You did not pass the checksum"):
            server.create(meeting_id="m1", name="x")


def test_a_server_error_or_no_server_gives_a_message_for_the_user():
    with FakeBigBlueButton() as fake:
        fake.fail_with = 502
        with pytest.raises(ConferenceError, match="answered with an error"):
            BigBlueButton(fake.url, fake.secret).is_meeting_running("m1")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    with pytest.raises(ConferenceError, match="does not answer"):
        BigBlueButton(f"http://127.0.0.1:{closed_port}/bigbluebutton/", "s", timeout=2).is_meeting_running("m1")


def test_jwt_round_trip_and_refusals():
    token = providers.jwt_encode({"meeting_id": "m1", "exp": time.time() + 60}, "secret")
    assert providers.jwt_decode(token, "secret")["meeting_id"] == "m1"
    with pytest.raises(ValueError, match="(?i)signature"):
        providers.jwt_decode(token, "other")
    header, body, signature = token.split(".")
    forged_body = base64.urlsafe_b64encode(b'{"meeting_id":"m2"}').rstrip(b"=").decode()
    with pytest.raises(ValueError, match="(?i)signature"):
        providers.jwt_decode(f"{header}.{forged_body}.{signature}", "secret")
    with pytest.raises(ValueError, match="(?i)expired"):
        providers.jwt_decode(providers.jwt_encode({"exp": time.time() - 1}, "secret"), "secret")
    with pytest.raises(ValueError):
        providers.jwt_decode("not-a-token", "secret")


def test_jwt_algorithm_and_audience_are_the_callers_not_the_tokens():
    import jwt

    # "none" and other algorithms are refused whatever the token's header says.
    unsigned = jwt.encode({"meeting_id": "m1"}, None, algorithm="none")
    with pytest.raises(ValueError, match="(?i)alg"):
        providers.jwt_decode(unsigned, "secret")
    stronger = jwt.encode({"meeting_id": "m1"}, "secret" * 12, algorithm="HS512")
    with pytest.raises(ValueError, match="(?i)alg"):
        providers.jwt_decode(stronger, "secret" * 12)
    # An audience, when expected, must be there and be the one expected.
    for_jitsi = providers.jwt_encode({"aud": "jitsi", "room": "r"}, "secret")
    assert providers.jwt_decode(for_jitsi, "secret", audience="jitsi")["room"] == "r"
    with pytest.raises(ValueError, match="(?i)audience"):
        providers.jwt_decode(for_jitsi, "secret", audience="bigbluebutton")
    with pytest.raises(ValueError, match="(?i)aud"):
        providers.jwt_decode(providers.jwt_encode({"room": "r"}, "secret"), "secret", audience="jitsi")
    # A token not valid yet is refused.
    later = providers.jwt_encode({"nbf": time.time() + 3600}, "secret")
    with pytest.raises(ValueError, match="(?i)not yet valid"):
        providers.jwt_decode(later, "secret")


def test_jitsi_room_with_and_without_a_token(settings):
    settings.JITSI_URL = "https://meet.example.edu/"
    settings.JITSI_JWT_SECRET = ""
    plain = providers.jitsi_join_url(
        room="ustaz-abc", full_name="Ерлан", email="", user_id="3", moderator=False, valid_for=600
    )
    assert plain.startswith("https://meet.example.edu/ustaz-abc#userInfo.displayName=")
    settings.JITSI_JWT_SECRET = "jitsi-secret"
    signed = providers.jitsi_join_url(
        room="ustaz-abc", full_name="Ерлан", email="e@example.edu", user_id="3", moderator=True, valid_for=600
    )
    token = parse_qs(urlsplit(signed).query)["jwt"][0]
    payload = providers.jwt_decode(token, "jitsi-secret", audience="jitsi")
    assert payload["room"] == "ustaz-abc" and payload["sub"] == "meet.example.edu" and payload["aud"] == "jitsi"
    assert payload["context"]["user"]["moderator"] is True and payload["context"]["user"]["name"] == "Ерлан"
    assert payload["exp"] > time.time() + 500


def test_an_unconfigured_provider_says_so(settings):
    settings.BBB_URL = settings.BBB_SECRET = settings.JITSI_URL = ""
    with pytest.raises(ConferenceError, match="not configured"):
        providers.bigbluebutton()
    with pytest.raises(ConferenceError, match="not configured"):
        providers.jitsi_join_url(room="r", full_name="n", email="", user_id="1", moderator=False, valid_for=1)
