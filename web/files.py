"""Where attachments come from (Telegram, through the bot) and how they are served safely."""

from __future__ import annotations

import logging
from typing import Protocol
from urllib.parse import quote

logger = logging.getLogger(__name__)

# Raster images a browser may show inline; anything else is downloaded, never rendered.
_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)

RASTER_TYPES = frozenset(mime for _, mime in _IMAGE_MAGIC) | {"image/webp"}


class FileUnavailable(Exception):
    """Telegram would not hand the file over (gone, too big, no connection)."""


class FileSource(Protocol):
    """The bytes of a Telegram file by its file_id."""

    async def fetch(self, file_id: str) -> bytes: ...


class NoFiles:
    """No bot to fetch files through (`envoybot web` without a token)."""

    async def fetch(self, file_id: str) -> bytes:
        raise FileUnavailable("no Telegram connection")


def image_type(data: bytes) -> str | None:
    """The image type the bytes really are (PNG, JPEG, GIF, WebP), whatever they claim."""
    for magic, mime in _IMAGE_MAGIC:
        if data.startswith(magic):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def content_disposition(kind: str, name: str) -> str:
    """A file name that survives every browser: an ASCII fallback plus RFC 5987 UTF-8."""
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in name)
    return f"{kind}; filename=\"{fallback or 'file'}\"; filename*=UTF-8''{quote(name, safe='')}"
