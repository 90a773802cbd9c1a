"""Material pages: Markdown sanitized by ustaz.core.markup; YouTube links embedded without cookies."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from ustaz.core.markup import render_markdown

__all__ = ["render_markdown", "youtube_embed_url"]

YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")


def youtube_embed_url(url: str) -> str | None:
    """The privacy-enhanced embed address for a YouTube link, or None for any other link."""
    parsed = urlparse(url)
    host = (parsed.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    video_id = ""
    if host == "youtu.be":
        video_id = parsed.path.lstrip("/").split("/")[0]
    elif host in {"youtube.com", "youtube-nocookie.com", "music.youtube.com"}:
        if parsed.path == "/watch":
            video_id = parse_qs(parsed.query).get("v", [""])[0]
        else:
            parts = [p for p in parsed.path.split("/") if p]
            if len(parts) >= 2 and parts[0] in {"embed", "shorts", "live", "v"}:
                video_id = parts[1]
    if not YOUTUBE_ID.match(video_id):
        return None
    return f"https://www.youtube-nocookie.com/embed/{video_id}"
