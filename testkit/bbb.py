"""A local HTTP server that answers as the BigBlueButton API documents: it checks every call's checksum
(call name + query string without the checksum + shared secret, hashed with the configured algorithm), keeps
meetings in memory and answers in BigBlueButton's XML. Tests point USTAZ_BBB_URL at it."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit
from xml.sax.saxutils import escape


@dataclass
class Meeting:
    meeting_id: str
    name: str
    params: dict
    running: bool = True
    joined: list[tuple[str, str]] = field(default_factory=list)  # (fullName, role)


class FakeBigBlueButton:
    def __init__(self, secret: str = "fake-bbb-secret", algorithm: str = "sha256"):  # noqa: S107 - a test server
        self.secret = secret
        self.algorithm = algorithm
        self.meetings: dict[str, Meeting] = {}
        self.calls: list[tuple[str, dict]] = []
        self.recordings: dict[str, list[dict]] = {}
        self.fail_with: int | None = None  # answer every call with this HTTP status
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's hook name
                status, body = server.answer(self.path)
                self.send_response(status)
                self.send_header("Content-Type", "text/xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/bigbluebutton/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeBigBlueButton:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _xml(self, returncode: str, inner: str = "") -> bytes:
        return f"<response><returncode>{returncode}</returncode>{inner}</response>".encode()

    def _failed(self, key: str, message: str) -> bytes:
        return self._xml("FAILED", f"<messageKey>{key}</messageKey><message>{escape(message)}</message>")

    def answer(self, path: str) -> tuple[int, bytes]:
        if self.fail_with:
            return self.fail_with, b"Internal error"
        parts = urlsplit(path)
        call = parts.path.rsplit("/", 1)[-1]
        query = parts.query
        body, _sep, checksum = query.rpartition("checksum=")
        body = body[:-1] if body.endswith("&") else body
        expected = hashlib.new(self.algorithm, (call + body + self.secret).encode()).hexdigest()
        params = dict(parse_qsl(body))
        self.calls.append((call, params))
        if checksum != expected:
            return 200, self._failed("checksumError", "You did not pass the checksum security check")
        meeting_id = params.get("meetingID", "")
        meeting = self.meetings.get(meeting_id)
        if call == "create":
            if meeting is None or not meeting.running:
                self.meetings[meeting_id] = Meeting(meeting_id, params.get("name", ""), params)
            else:
                return 200, self._xml(
                    "SUCCESS",
                    f"<meetingID>{escape(meeting_id)}</meetingID><messageKey>duplicateWarning</messageKey>",
                )
            return 200, self._xml("SUCCESS", f"<meetingID>{escape(meeting_id)}</meetingID>")
        if call == "isMeetingRunning":
            running = "true" if meeting and meeting.running else "false"
            return 200, self._xml("SUCCESS", f"<running>{running}</running>")
        if call == "join":
            if meeting is None or not meeting.running:
                return 200, self._failed("invalidMeetingIdentifier", "The meeting ID that you supplied did not match")
            meeting.joined.append((params.get("fullName", ""), params.get("role", "")))
            return 200, self._xml("SUCCESS", "<url>joined</url>")
        if call == "end":
            if meeting is None:
                return 200, self._failed("notFound", "We could not find a meeting with that meeting ID")
            meeting.running = False
            return 200, self._xml("SUCCESS")
        if call == "getRecordings":
            items = "".join(
                "<recording>"
                f"<recordID>{escape(r['id'])}</recordID><meetingID>{escape(meeting_id)}</meetingID>"
                f"<published>{'true' if r.get('published', True) else 'false'}</published>"
                f"<startTime>{r.get('start', 1764000000000)}</startTime>"
                f"<endTime>{r.get('end', 1764003600000)}</endTime>"
                f"<playback><format><type>presentation</type><url>{escape(r['url'])}</url></format></playback>"
                "</recording>"
                for r in self.recordings.get(meeting_id, [])
            )
            return 200, self._xml("SUCCESS", f"<recordings>{items}</recordings>")
        return 200, self._failed("unsupportedRequest", "This request is not supported.")
