"""What a file is, by its first bytes, never by its name: an .mp4 that is really a Windows program is a
program. Only the kinds students hand in are recognised; anything else is refused."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sniffed:
    category: str  # audio, video, image, pdf, document
    content_type: str
    extension: str


AUDIO, VIDEO, IMAGE, PDF, DOCUMENT = "audio", "video", "image", "pdf", "document"
CATEGORIES = (AUDIO, VIDEO, IMAGE, PDF, DOCUMENT)
HEAD_BYTES = 4096  # enough for every signature here

_FTYP_AUDIO = {b"M4A ", b"M4B ", b"M4P "}
_FTYP_IMAGE = {b"heic", b"heix", b"mif1", b"msf1", b"avif"}
_FTYP_QUICKTIME = {b"qt  "}


def sniff(head: bytes) -> Sniffed | None:
    """The kind of a file from its first bytes (HEAD_BYTES of them), or None when it is not one we accept."""
    if head.startswith(b"%PDF-"):
        return Sniffed(PDF, "application/pdf", "pdf")
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed(IMAGE, "image/jpeg", "jpg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed(IMAGE, "image/png", "png")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Sniffed(IMAGE, "image/gif", "gif")
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return Sniffed(IMAGE, "image/tiff", "tif")
    if head.startswith(b"RIFF") and len(head) >= 12:
        form = head[8:12]
        if form == b"WAVE":
            return Sniffed(AUDIO, "audio/wav", "wav")
        if form == b"WEBP":
            return Sniffed(IMAGE, "image/webp", "webp")
        if form == b"AVI ":
            return Sniffed(VIDEO, "video/x-msvideo", "avi")
        return None
    if head.startswith(b"fLaC"):
        return Sniffed(AUDIO, "audio/flac", "flac")
    if head.startswith(b"OggS"):
        return Sniffed(AUDIO, "audio/ogg", "ogg")
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06):
        # An ID3 tag, or an MPEG audio frame header (layer bits not zero; ADTS AAC has layer 0).
        return Sniffed(AUDIO, "audio/mpeg", "mp3")
    if len(head) > 1 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0:
        return Sniffed(AUDIO, "audio/aac", "aac")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        is_webm = b"webm" in head[:64]
        return Sniffed(VIDEO, "video/webm" if is_webm else "video/x-matroska", "webm" if is_webm else "mkv")
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _FTYP_AUDIO:
            return Sniffed(AUDIO, "audio/mp4", "m4a")
        if brand in _FTYP_IMAGE:
            return Sniffed(IMAGE, "image/heic", "heic")
        if brand in _FTYP_QUICKTIME:
            return Sniffed(VIDEO, "video/quicktime", "mov")
        return Sniffed(VIDEO, "video/mp4", "mp4")
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in head or b"[Content_Types].xml" in head:
            return Sniffed(DOCUMENT, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
        if b"mimetypeapplication/vnd.oasis.opendocument.text" in head:
            return Sniffed(DOCUMENT, "application/vnd.oasis.opendocument.text", "odt")
        return None
    if _is_text(head):
        return Sniffed(DOCUMENT, "text/plain", "txt")
    return None


_EXTENSIONS = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/tiff": "tif",
    "image/webp": "webp",
    "image/heic": "heic",
    "audio/wav": "wav",
    "audio/flac": "flac",
    "audio/ogg": "ogg",
    "audio/mpeg": "mp3",
    "audio/aac": "aac",
    "audio/mp4": "m4a",
    "video/x-msvideo": "avi",
    "video/webm": "webm",
    "video/x-matroska": "mkv",
    "video/quicktime": "mov",
    "video/mp4": "mp4",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "text/plain": "txt",
}


def extension_for(content_type: str) -> str:
    """The extension a stored file of a detected content type gets ("" for one not detected here)."""
    return _EXTENSIONS.get(content_type, "")


def _is_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut by the end of the sample is still text.
        if error.start < len(head) - 3:
            return False
    return True
