"""In-memory state of the sandbox Bot API: users, chats, messages, files, updates, calls."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import logging
import secrets
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """A Bot API error answer: HTTP status, Telegram description, optional retry_after."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(reason: str) -> ApiError:
    """400 with Telegram's "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {reason}")


class Notifier:
    """Wakes every waiter at once; notify() is sync so non-async code can signal changes."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Wake all current waiters."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait_until(
        self,
        predicate: Callable[[], Any],
        timeout: float,  # noqa: ASYNC109
    ) -> Any:
        """Return predicate()'s first truthy value, or None once timeout seconds have passed."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(timeout, 0.0)
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            event = self._event
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return predicate() or None


@dataclass
class UserRecord:
    """A simulated Telegram user; status: "new" (never wrote), "member", "kicked", "deactivated"."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "zh-hans"
    status: str = "new"

    def to_api(self) -> dict[str, Any]:
        """Bot API User object."""
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    def chat_api(self) -> dict[str, Any]:
        """Bot API Chat object of the private chat with this user."""
        data: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data


@dataclass
class FileRecord:
    """A stored file: bytes plus the ids and metadata Telegram reports."""

    file_id: str
    file_unique_id: str
    data: bytes
    kind: str  # photo | document | sticker
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None
    width: int = 0
    height: int = 0

    def photo_sizes(self) -> list[dict[str, Any]]:
        """Message.photo: one PhotoSize with the image's real size when known."""
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "width": self.width,
                "height": self.height,
                "file_size": len(self.data),
            }
        ]

    def document_api(self) -> dict[str, Any]:
        """Message.document."""
        data: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
        }
        if self.file_name:
            data["file_name"] = self.file_name
        if self.mime_type:
            data["mime_type"] = self.mime_type
        return data

    def sticker_api(self) -> dict[str, Any]:
        """Message.sticker."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
            "file_size": len(self.data),
        }

    def file_api(self) -> dict[str, Any]:
        """Bot API File object (getFile)."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF, JPEG or WebP image; None when it is not one."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        w, h = struct.unpack(">II", data[16:24])
        return int(w), int(h)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        w, h = struct.unpack("<HH", data[6:10])
        return int(w), int(h)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return 512, 512
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xC0, 0xC1, 0xC2):
                h, w = struct.unpack(">HH", data[i + 5 : i + 9])
                return int(w), int(h)
            seg = struct.unpack(">H", data[i + 2 : i + 4])[0]
            i += 2 + seg
        return 800, 600
    return None


def _sniff_image(data: bytes) -> str:
    """MIME type of image bytes, JPEG when unknown (Telegram re-encodes photos as JPEG)."""
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:3] == b"GIF":
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return "image/jpeg"


class FileStore:
    """Files by file_id and by file_path."""

    def __init__(self) -> None:
        self.by_id: dict[str, FileRecord] = {}
        self.by_path: dict[str, FileRecord] = {}
        self._counter = itertools.count(1)

    def add(
        self,
        data: bytes,
        kind: str,
        file_name: str | None = None,
        mime_type: str | None = None,
    ) -> FileRecord:
        """Store bytes and give them Telegram-looking ids."""
        n = next(self._counter)
        prefix = {"photo": "AgACAgIAAxk", "document": "BQACAgIAAxk", "sticker": "CAACAgIAAxk"}
        file_id = prefix.get(kind, "BQACAgIAAxk") + secrets.token_urlsafe(24)
        unique = "AQAD" + hashlib.sha1(data + kind.encode()).hexdigest()[:12]
        ext = {"photo": ".jpg", "sticker": ".webp"}.get(kind, "")
        if kind == "document" and file_name and "." in file_name:
            ext = "." + file_name.rsplit(".", 1)[1]
        folder = {"photo": "photos", "sticker": "stickers"}.get(kind, "documents")
        record = FileRecord(
            file_id=file_id,
            file_unique_id=unique,
            data=data,
            kind=kind,
            file_path=f"{folder}/file_{n}{ext}",
            file_name=file_name,
            mime_type=mime_type,
        )
        if kind == "photo":
            record.width, record.height = image_size(data) or (800, 600)
            record.mime_type = mime_type or _sniff_image(data)
        self.by_id[file_id] = record
        self.by_path[record.file_path] = record
        return record


@dataclass
class StoredMessage:
    """One message of a private chat, in its current state."""

    message_id: int
    chat_id: int
    from_bot: bool
    date: int
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    html: str | None = None
    caption: str | None = None
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    caption_html: str | None = None
    photo: FileRecord | None = None
    document: FileRecord | None = None
    sticker: FileRecord | None = None
    reply_markup: dict[str, Any] | None = None
    reply_to_message_id: int | None = None
    media_group_id: str | None = None
    forward_origin: dict[str, Any] | None = None
    edit_date: int | None = None
    edit_count: int = 0
    deleted: bool = False
    seq: int = 0
    ordinal: int = 0


@dataclass
class CallbackQueryState:
    """A pressed button waiting for answerCallbackQuery."""

    id: str
    user_id: int
    message_id: int
    data: str
    answered: bool = False


@dataclass
class CallRecord:
    """One Bot API call as the sandbox saw it; status 0 means the client got no answer."""

    method: str
    params: dict[str, Any]
    ok: bool
    error: str | None = None
    status: int = 200
    fault: str | None = None
    at: float = field(default_factory=time.monotonic)  # when the sandbox saw it


@dataclass
class ChatState:
    """A private chat between the bot and one user."""

    user: UserRecord
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    next_message_id: int = 1
    bot_message_count: int = 0
    reply_keyboard: dict[str, Any] | None = None
    force_reply: bool = False
    callback_answers: list[tuple[str, str | None, bool]] = field(default_factory=list)
    changes: list[tuple[int, int]] = field(default_factory=list)  # (seq, message_id)


class Core:
    """Everything the sandbox knows; shared by the HTTP API, SimUser and the control API."""

    def __init__(
        self,
        bot_username: str,
        strict_html: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.bot_username = bot_username
        self.bot_id = 0
        self.bot_first_name = "Envoy Test Bot"
        self.strict_html = strict_html
        self.clock = clock
        self.users: dict[int, UserRecord] = {}
        self.chats: dict[int, ChatState] = {}
        self.files = FileStore()
        self.updates: list[dict[str, Any]] = []
        self.next_update_id = 100000001
        self.seq = 0
        self.changed = Notifier()
        self.callback_queries: dict[str, CallbackQueryState] = {}
        self.calls: list[CallRecord] = []
        self.allowed_updates: list[str] | None = None

    def now(self) -> int:
        """Unix time for message dates."""
        return int(self.clock())

    def bot_api_user(self) -> dict[str, Any]:
        """The bot's own User object."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def known_users(self) -> dict[int, dict[str, Any]]:
        """Users a tg://user?id= link may mention."""
        return {uid: user.to_api() for uid, user in self.users.items()}

    def add_update(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue an update for getUpdates and wake pollers."""
        update_id = self.next_update_id
        self.next_update_id += 1
        self.updates.append({"update_id": update_id, kind: payload})
        self.changed.notify()
        return update_id

    def add_message(self, chat: ChatState, message: StoredMessage) -> StoredMessage:
        """Give a new message its id and record the change."""
        message.message_id = chat.next_message_id
        chat.next_message_id += 1
        if message.from_bot:
            message.ordinal = chat.bot_message_count
            chat.bot_message_count += 1
        chat.messages[message.message_id] = message
        self.touch(chat, message)
        return message

    def touch(self, chat: ChatState, message: StoredMessage) -> None:
        """Record that a message changed (new, edited, deleted) and wake waiters."""
        self.seq += 1
        message.seq = self.seq
        chat.changes.append((self.seq, message.message_id))
        self.changed.notify()

    def message_api(self, message: StoredMessage, *, with_reply: bool = True) -> dict[str, Any]:
        """Bot API Message object for a stored message."""
        chat = self.chats[message.chat_id]
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "from": self.bot_api_user() if message.from_bot else chat.user.to_api(),
            "chat": chat.user.chat_api(),
            "date": message.date,
        }
        if message.forward_origin is not None:
            data["forward_origin"] = message.forward_origin
        if message.edit_date is not None:
            data["edit_date"] = message.edit_date
        if message.media_group_id:
            data["media_group_id"] = message.media_group_id
        if with_reply and message.reply_to_message_id is not None:
            replied = chat.messages.get(message.reply_to_message_id)
            if replied is not None and not replied.deleted:
                data["reply_to_message"] = self.message_api(replied, with_reply=False)
        if message.text is not None:
            data["text"] = message.text
            if message.entities:
                data["entities"] = message.entities
        if message.photo is not None:
            data["photo"] = message.photo.photo_sizes()
        if message.document is not None:
            data["document"] = message.document.document_api()
        if message.sticker is not None:
            data["sticker"] = message.sticker.sticker_api()
        if message.caption is not None:
            data["caption"] = message.caption
            if message.caption_entities:
                data["caption_entities"] = message.caption_entities
        if message.reply_markup is not None:
            data["reply_markup"] = message.reply_markup
        return data
