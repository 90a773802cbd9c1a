"""Conference providers behind one small interface: BigBlueButton (its API), Jitsi Meet (a room, with a signed
JWT where the server asks for one) and any other conference as a stored link.

Each provider answers `join_url(meeting, person, moderator=...)`; BigBlueButton also creates, ends, reports
whether a meeting runs and lists recordings. Any failure of a conference server becomes a ConferenceError
whose message can be shown to the user as it is.
"""

from __future__ import annotations

import hashlib
import json
import time
import xml.etree.ElementTree as ET  # noqa: S405 - parses answers of the configured BigBlueButton server only
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

import httpx
import jwt
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Provider


class ConferenceError(Exception):
    """A conference server failed or refused; str(error) is a translated message for the user."""


# --- JSON Web Tokens (HS256), for Jitsi's moderator tokens and BigBlueButton's signed callbacks ------------
# PyJWT does the signing and checking; the algorithm is fixed (never read from the token), an expiry and a
# not-before time are checked when present, and the audience when the caller expects one.
ALGORITHM = "HS256"
LATEST_EXPIRY = 253402300800  # 10000-01-01: an expiry beyond is no date


def jwt_encode(payload: dict, secret: str) -> str:
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def jwt_decode(token: str, secret: str, *, audience: str | None = None) -> dict:
    """The payload of an HS256 token signed with the secret, not expired, not before its time and, when an
    audience is given, for it; ValueError otherwise (with PyJWT's reason)."""
    try:
        payload = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=audience,
            options={"verify_aud": audience is not None, "require": ["aud"] if audience else []},
        )
    except (jwt.PyJWTError, ValueError, TypeError, OverflowError) as error:
        # OverflowError: an expiry of hundreds of digits; ValueError: NaN or infinity as an expiry.
        raise ValueError(f"invalid token: {error}") from error
    if not isinstance(payload, dict):
        raise ValueError("invalid token: payload is not an object")
    if "exp" in payload and not payload["exp"] < LATEST_EXPIRY:
        raise ValueError("invalid token: the expiry is past any date")  # 10**400 would never expire
    return payload


# --- BigBlueButton ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recording:
    record_id: str
    url: str
    started_at: datetime | None
    ended_at: datetime | None
    published: bool


class BigBlueButton:
    """A client of the BigBlueButton API (https://docs.bigbluebutton.org/development/api/).

    Every call is `{url}api/{call}?{query}&checksum=H(call + query + secret)`, H being SHA-1 or SHA-256 as the
    server is configured."""

    ALGORITHMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha384": hashlib.sha384, "sha512": hashlib.sha512}

    def __init__(self, url: str, secret: str, algorithm: str = "sha256", timeout: float = 10.0):
        if algorithm not in self.ALGORITHMS:
            raise ValueError(f"unknown checksum algorithm {algorithm!r}")
        self.base = url if url.endswith("/") else url + "/"
        if not self.base.endswith("api/"):
            self.base += "api/"
        self.secret = secret
        self.algorithm = algorithm
        self.timeout = timeout

    def checksum(self, call: str, query: str) -> str:
        return self.ALGORITHMS[self.algorithm]((call + query + self.secret).encode()).hexdigest()

    def url(self, call: str, params: dict | None = None) -> str:
        query = urlencode({k: v for k, v in (params or {}).items() if v is not None})
        checksum = self.checksum(call, query)
        return f"{self.base}{call}?{query}&checksum={checksum}" if query else f"{self.base}{call}?checksum={checksum}"

    def _call(self, call: str, params: dict | None = None) -> ET.Element:
        try:
            response = httpx.get(self.url(call, params), timeout=self.timeout)
        except httpx.HTTPError as error:
            raise ConferenceError(_("The videoconference server does not answer. Try again in a minute.")) from error
        if response.status_code != 200:
            raise ConferenceError(_("The videoconference server answered with an error. Try again in a minute."))
        try:
            root = ET.fromstring(response.content)  # noqa: S314 - the configured server's answer
        except ET.ParseError as error:
            raise ConferenceError(_("The videoconference server gave an answer that cannot be read.")) from error
        if root.findtext("returncode") != "SUCCESS":
            key = root.findtext("messageKey") or ""
            if key == "notFound" and call in ("getMeetingInfo", "end"):
                return root
            raise ConferenceError(
                _("The videoconference server refused: %(reason)s")
                % {"reason": root.findtext("message") or key or "FAILED"}
            )
        return root

    def create(
        self,
        *,
        meeting_id: str,
        name: str,
        welcome: str = "",
        record: bool = True,
        logout_url: str = "",
        end_callback_url: str = "",
        recording_ready_url: str = "",
        duration_minutes: int = 0,
    ) -> None:
        """Create the meeting (BigBlueButton answers a repeated create of a running meeting with success)."""
        params = {
            "name": name,
            "meetingID": meeting_id,
            "welcome": welcome or None,
            "record": "true" if record else "false",
            "allowStartStopRecording": "true" if record else None,
            "autoStartRecording": "false",
            "logoutURL": logout_url or None,
            "duration": str(duration_minutes) if duration_minutes else None,
            "meta_endCallbackUrl": end_callback_url or None,
            "meta_bbb-recording-ready-url": recording_ready_url or None,
        }
        self._call("create", params)

    def join_url(self, *, meeting_id: str, full_name: str, user_id: str, moderator: bool) -> str:
        return self.url(
            "join",
            {
                "fullName": full_name,
                "meetingID": meeting_id,
                "role": "MODERATOR" if moderator else "VIEWER",
                "userID": user_id,
                "redirect": "true",
            },
        )

    def is_meeting_running(self, meeting_id: str) -> bool:
        return self._call("isMeetingRunning", {"meetingID": meeting_id}).findtext("running") == "true"

    def end(self, meeting_id: str) -> None:
        self._call("end", {"meetingID": meeting_id})

    def recordings(self, meeting_id: str) -> list[Recording]:
        root = self._call("getRecordings", {"meetingID": meeting_id})
        found = []
        for item in root.iter("recording"):
            url = ""
            for playback_format in item.iter("format"):
                url = playback_format.findtext("url") or ""
                if playback_format.findtext("type") == "presentation" and url:
                    break
            found.append(
                Recording(
                    record_id=item.findtext("recordID") or "",
                    url=url,
                    started_at=_from_millis(item.findtext("startTime")),
                    ended_at=_from_millis(item.findtext("endTime")),
                    published=item.findtext("published") == "true",
                )
            )
        return [r for r in found if r.record_id and r.url]


def _from_millis(text: str | None) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(text) / 1000, tz=UTC) if text else None
    except ValueError:
        return None


def bigbluebutton() -> BigBlueButton:
    if not settings.BBB_URL or not settings.BBB_SECRET:
        raise ConferenceError(_("BigBlueButton is not configured on this platform. Ask the ICT centre."))
    return BigBlueButton(settings.BBB_URL, settings.BBB_SECRET, settings.BBB_CHECKSUM)


# --- Jitsi Meet ------------------------------------------------------------------------------------------


def jitsi_join_url(*, room: str, full_name: str, email: str, user_id: str, moderator: bool, valid_for: int) -> str:
    """The room's address; with a JWT (HS256, the token authentication of Jitsi's prosody module) when the
    platform has the server's secret, the moderator flag inside it."""
    if not settings.JITSI_URL:
        raise ConferenceError(_("Jitsi Meet is not configured on this platform. Ask the ICT centre."))
    base = settings.JITSI_URL.rstrip("/")
    address = f"{base}/{quote(room)}"
    fragment = "#userInfo.displayName=" + quote(json.dumps(full_name))
    if not settings.JITSI_JWT_SECRET:
        return address + fragment
    now = int(time.time())
    token = jwt_encode(
        {
            "aud": "jitsi",
            "iss": settings.JITSI_APP_ID,
            "sub": httpx.URL(base).host,
            "room": room,
            "nbf": now - 60,
            "exp": now + valid_for,
            "context": {"user": {"id": user_id, "name": full_name, "email": email, "moderator": moderator}},
            "moderator": moderator,
        },
        settings.JITSI_JWT_SECRET,
    )
    return f"{address}?jwt={token}{fragment}"


# --- Entering a meeting, whatever its provider ------------------------------------------------------------


def enter(
    *,
    provider: str,
    meeting_id: str,
    full_name: str,
    email: str,
    user_id: str,
    moderator: bool,
    valid_for: int,
    not_started: str,
    link: str = "",
    room: str = "",
    create: dict | None = None,
) -> str:
    """The address that takes a person into a meeting (a class, an admission exam).

    BigBlueButton: a moderator creates the meeting (with `create`'s arguments) and joins as MODERATOR; anybody
    else joins as VIEWER once it runs, or gets ConferenceError(`not_started`). Jitsi: the room (`room`, else the
    meeting id) with a token valid for `valid_for` seconds. A link: the link."""
    if provider == Provider.BIGBLUEBUTTON:
        server = bigbluebutton()
        if moderator:
            server.create(meeting_id=meeting_id, **(create or {}))
        elif not server.is_meeting_running(meeting_id):
            raise ConferenceError(not_started)
        return server.join_url(meeting_id=meeting_id, full_name=full_name, user_id=user_id, moderator=moderator)
    if provider == Provider.JITSI:
        return jitsi_join_url(
            room=room or meeting_id,
            full_name=full_name,
            email=email,
            user_id=user_id,
            moderator=moderator,
            valid_for=valid_for,
        )
    if provider == Provider.LINK and link:
        return link
    raise ConferenceError(_("There is no conference to join."))
