"""Simulated Telegram users: they write to the bot, press buttons and read what it sends."""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sandbox.core import (
    CallbackQueryState,
    ChatState,
    Core,
    FileRecord,
    StoredMessage,
)
from sandbox.html_entities import entities_to_html, utf16_len

_COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,})?")


class CallbackAnswer(NamedTuple):
    """What the bot answered to one button press."""

    query_id: str
    text: str | None
    show_alert: bool


@dataclass(frozen=True)
class SimMessage:
    """A snapshot of one chat message as the user sees it now (text is "" for media)."""

    message_id: int
    from_bot: bool
    date: int
    text: str
    html: str
    entities: list[dict[str, Any]] = field(default_factory=list)
    caption: str | None = None
    caption_html: str | None = None
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    photo: dict[str, Any] | None = None
    document: dict[str, Any] | None = None
    sticker: dict[str, Any] | None = None
    reply_to_message_id: int | None = None
    media_group_id: str | None = None
    edit_count: int = 0
    deleted: bool = False
    seq: int = 0

    @property
    def body(self) -> str:
        """Text or caption, whichever the message has."""
        return self.text or self.caption or ""

    @property
    def buttons(self) -> list[tuple[str, str | None]]:
        """(label, callback_data) of every inline button, row by row."""
        if not self.reply_markup:
            return []
        return [
            (b["text"], b.get("callback_data"))
            for row in self.reply_markup.get("inline_keyboard", [])
            for b in row
        ]

    def to_json(self) -> dict[str, Any]:
        """JSON for the control API (chat page)."""
        return {
            "seq": self.seq,
            "message_id": self.message_id,
            "from": "bot" if self.from_bot else "user",
            "date": self.date,
            "text": self.text,
            "html": self.html,
            "caption": self.caption,
            "caption_html": self.caption_html,
            "reply_markup": self.reply_markup,
            "photo": self.photo,
            "document": self.document,
            "sticker": self.sticker,
            "reply_to_message_id": self.reply_to_message_id,
            "media_group_id": self.media_group_id,
            "edit_count": self.edit_count,
            "deleted": self.deleted,
        }


def snapshot(message: StoredMessage) -> SimMessage:
    """Freeze a stored message into what a reader sees."""
    return SimMessage(
        message_id=message.message_id,
        from_bot=message.from_bot,
        date=message.date,
        text=message.text or "",
        html=message.html or "",
        entities=[dict(e) for e in message.entities],
        caption=message.caption,
        caption_html=message.caption_html,
        caption_entities=[dict(e) for e in message.caption_entities],
        reply_markup=message.reply_markup,
        photo=message.photo.photo_sizes()[-1] if message.photo else None,
        document=message.document.document_api() if message.document else None,
        sticker=message.sticker.sticker_api() if message.sticker else None,
        reply_to_message_id=message.reply_to_message_id,
        media_group_id=message.media_group_id,
        edit_count=message.edit_count,
        deleted=message.deleted,
        seq=message.seq,
    )


class SimUser:
    """One simulated user in a private chat with the bot (chat id == user id)."""

    def __init__(self, core: Core, chat: ChatState) -> None:
        self._core = core
        self._chat = chat

    @property
    def id(self) -> int:
        return self._chat.user.id

    @property
    def user(self) -> dict[str, Any]:
        """The Bot API User object of this user."""
        return self._chat.user.to_api()

    @property
    def status(self) -> str:
        """ "new" (never wrote), "member", "kicked" (blocked the bot) or "deactivated"."""
        return self._chat.user.status

    # ---- acting --------------------------------------------------------------------------

    def _start(self) -> None:
        if self._chat.user.status == "deactivated":
            raise RuntimeError(f"user {self.id} is deactivated and cannot write")
        if self._chat.user.status == "kicked":
            self.unblock()
        self._chat.user.status = "member"

    def _send(self, message: StoredMessage) -> int:
        self._start()
        message.chat_id = self.id
        message.date = self._core.now()
        self._core.add_message(self._chat, message)
        self._core.add_update("message", self._core.message_api(message))
        return message.message_id

    async def send_text(self, text: str, *, reply_to: int | None = None) -> int:
        """Write text (a leading /command gets a bot_command entity); returns its message_id."""
        if not text.strip():
            raise ValueError("Telegram clients do not send empty messages")
        if utf16_len(text) > 4096:
            raise ValueError("Telegram clients split text longer than 4096 characters")
        entities: list[dict[str, Any]] = []
        match = _COMMAND.match(text)
        if match:
            entities.append({"type": "bot_command", "offset": 0, "length": len(match.group())})
        message = StoredMessage(
            message_id=0,
            chat_id=self.id,
            from_bot=False,
            date=0,
            text=text,
            entities=entities,
            html=entities_to_html(text, entities),
            reply_to_message_id=reply_to,
        )
        return self._send(message)

    async def reply_keyboard(self, text: str) -> int:
        """Tap a reply-keyboard button: the client sends its label as text."""
        return await self.send_text(text)

    def _media(self, record: FileRecord, caption: str | None) -> StoredMessage:
        message = StoredMessage(message_id=0, chat_id=self.id, from_bot=False, date=0)
        if caption:
            message.caption = caption
            message.caption_html = html.escape(caption, quote=False)
        if record.kind == "photo":
            message.photo = record
        elif record.kind == "sticker":
            message.sticker = record
        else:
            message.document = record
        return message

    async def send_photo(self, data: bytes, caption: str | None = None) -> int:
        """Send a photo (any bytes; the bot can getFile and download them)."""
        record = self._core.files.add(data, "photo")
        return self._send(self._media(record, caption))

    async def send_document(
        self, data: bytes, file_name: str, mime_type: str, caption: str | None = None
    ) -> int:
        """Send a file as a document."""
        record = self._core.files.add(data, "document", file_name=file_name, mime_type=mime_type)
        return self._send(self._media(record, caption))

    async def send_sticker(self) -> int:
        """Send a sticker (a message kind the bot must cope with)."""
        record = self._core.files.add(b"RIFF\x00\x00\x00\x00WEBPVP8 ", "sticker")
        return self._send(self._media(record, None))

    def _send_other(self, field: str, value: dict[str, Any]) -> int:
        """A message of a kind the sandbox does not store (voice, video, places): the update
        carries it; the chat history keeps an empty message in its place."""
        self._start()
        message = StoredMessage(message_id=0, chat_id=self.id, from_bot=False, date=0)
        message.date = self._core.now()
        self._core.add_message(self._chat, message)
        self._core.add_update("message", {**self._core.message_api(message), field: value})
        return message.message_id

    def _file_fields(self, data: bytes, kind: str) -> dict[str, Any]:
        record = self._core.files.add(data, kind)
        return {
            "file_id": record.file_id,
            "file_unique_id": record.file_unique_id,
            "file_size": len(data),
        }

    async def send_voice(self, seconds: int = 3) -> int:
        """Send a voice message (recorded speech)."""
        voice = {**self._file_fields(b"OggS voice", "voice"), "duration": seconds}
        return self._send_other("voice", {**voice, "mime_type": "audio/ogg"})

    async def send_video(self, seconds: int = 5) -> int:
        """Send a video (not as a file)."""
        video = {**self._file_fields(b"\x00\x00\x00\x18ftypmp42", "video"), "duration": seconds}
        return self._send_other("video", {**video, "width": 640, "height": 360})

    async def send_video_note(self, seconds: int = 5) -> int:
        """Send a round video message."""
        note = self._file_fields(b"\x00\x00\x00\x18ftypmp42 round", "video_note")
        return self._send_other("video_note", {**note, "length": 240, "duration": seconds})

    async def send_audio(self, seconds: int = 60) -> int:
        """Send an audio file as music (not as a document)."""
        audio = {**self._file_fields(b"ID3 audio", "audio"), "duration": seconds}
        return self._send_other("audio", {**audio, "mime_type": "audio/mpeg"})

    async def send_location(self, latitude: float = 31.23, longitude: float = 121.47) -> int:
        """Share a location."""
        return self._send_other("location", {"latitude": latitude, "longitude": longitude})

    async def send_contact(self, phone: str = "+8613800000000", first_name: str = "张三") -> int:
        """Share a contact card."""
        return self._send_other("contact", {"phone_number": phone, "first_name": first_name})

    def _bot_message(self, message_id: int) -> StoredMessage:
        message = self._chat.messages.get(message_id)
        if message is None or message.deleted or not message.from_bot:
            raise LookupError(f"no bot message {message_id} in chat {self.id}")
        return message

    async def press(
        self, message_id: int, *, text: str | None = None, data: str | None = None
    ) -> str:
        """Press the inline button with this label and/or callback_data; returns the query id."""
        if text is None and data is None:
            raise ValueError("press() needs text= or data=")
        message = self._bot_message(message_id)
        shown = snapshot(message).buttons
        for label, callback_data in shown:
            if (text is None or label == text) and (data is None or callback_data == data):
                if callback_data is None:
                    raise LookupError(f"button {label!r} on message {message_id} has no callback")
                return self._callback(message_id, callback_data)
        raise LookupError(
            f"no button text={text!r} data={data!r} on message {message_id}; it has {shown}"
        )

    async def press_forged(self, message_id: int, data: str) -> str:
        """Send any callback_data for any message id, as a modified client could."""
        return self._callback(message_id, data)

    def _callback(self, message_id: int, data: str) -> str:
        self._start()
        query_id = str(secrets.randbits(62))
        self._core.callback_queries[query_id] = CallbackQueryState(
            id=query_id, user_id=self.id, message_id=message_id, data=data
        )
        message = self._chat.messages.get(message_id)
        if message is not None and not message.deleted:
            shown = self._core.message_api(message)
        else:
            shown = {"chat": self._chat.user.chat_api(), "message_id": message_id, "date": 0}
        self._core.add_update(
            "callback_query",
            {
                "id": query_id,
                "from": self._chat.user.to_api(),
                "message": shown,
                "chat_instance": str(-(10**18) - self.id),
                "data": data,
            },
        )
        return query_id

    def _member_update(self, old: str, new: str) -> None:
        bot = self._core.bot_api_user()

        def member(status: str) -> dict[str, Any]:
            entry: dict[str, Any] = {"status": status, "user": bot}
            if status == "kicked":
                entry["until_date"] = 0
            return entry

        self._core.add_update(
            "my_chat_member",
            {
                "chat": self._chat.user.chat_api(),
                "from": self._chat.user.to_api(),
                "date": self._core.now(),
                "old_chat_member": member(old),
                "new_chat_member": member(new),
            },
        )

    def block(self) -> None:
        """Block the bot: sends then get 403 and the bot gets a my_chat_member "kicked"."""
        if self._chat.user.status != "kicked":
            self._chat.user.status = "kicked"
            self._member_update("member", "kicked")

    def deactivate(self) -> None:
        """Delete the account: sends then get 403 "user is deactivated"; the bot gets no update."""
        self._chat.user.status = "deactivated"

    def unblock(self) -> None:
        """Unblock the bot (my_chat_member "member")."""
        if self._chat.user.status == "kicked":
            self._chat.user.status = "member"
            self._member_update("kicked", "member")

    # ---- reading -------------------------------------------------------------------------

    @property
    def messages(self) -> list[SimMessage]:
        """The bot's messages in this chat, current state, deleted ones left out."""
        return [snapshot(m) for m in self._chat.messages.values() if m.from_bot and not m.deleted]

    @property
    def history(self) -> list[SimMessage]:
        """Every message of the chat, both sides, deleted ones included (flagged)."""
        return [snapshot(m) for m in self._chat.messages.values()]

    @property
    def last(self) -> SimMessage:
        """The bot's latest message; LookupError if it has sent none."""
        messages = self.messages
        if not messages:
            raise LookupError(f"the bot has sent nothing to user {self.id}")
        return messages[-1]

    @property
    def sent_count(self) -> int:
        """How many messages the bot has ever sent here (deleted ones too): for after_count."""
        return self._chat.bot_message_count

    @property
    def seq(self) -> int:
        """The sandbox's change counter now: pass as since= to wait_for."""
        return self._core.seq

    def message(self, message_id: int) -> SimMessage:
        """One message of this chat by id (either side, possibly deleted)."""
        return snapshot(self._chat.messages[message_id])

    def buttons(self, message: SimMessage | int) -> list[tuple[str, str | None]]:
        """(label, callback_data) of a bot message's inline keyboard in its current state."""
        message_id = message if isinstance(message, int) else message.message_id
        return snapshot(self._bot_message(message_id)).buttons

    @property
    def keyboard(self) -> list[list[str]] | None:
        """Labels of the reply keyboard the bot has shown (None when removed or never set)."""
        markup = self._chat.reply_keyboard
        if markup is None:
            return None
        return [[b if isinstance(b, str) else b["text"] for b in row] for row in markup["keyboard"]]

    @property
    def force_reply(self) -> bool:
        """Whether the bot's last message asked for a forced reply."""
        return self._chat.force_reply

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        """answerCallbackQuery calls for this user's presses, in order."""
        return [CallbackAnswer(*a) for a in self._chat.callback_answers]

    async def download(self, file_id: str) -> bytes:
        """Bytes of any file the sandbox holds."""
        return self._core.files.by_id[file_id].data

    # ---- waiting -------------------------------------------------------------------------

    def _changed_bot_messages(self, since: int) -> list[StoredMessage]:
        seen: dict[int, StoredMessage] = {}
        for seq, message_id in self._chat.changes:
            if seq > since:
                message = self._chat.messages[message_id]
                if message.from_bot and not message.deleted:
                    seen.setdefault(message_id, message)
        return list(seen.values())

    async def wait_for(
        self,
        predicate: Callable[[SimMessage], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        after_count: int | None = None,
        since: int | None = None,
    ) -> SimMessage:
        """Wait for a bot message (new or edited) that satisfies predicate.

        Considered: messages changed after this call started (or after `since`, a value of
        `seq`), plus, with `after_count`, every current bot message whose ordinal (see
        `sent_count`) is >= after_count.
        """
        start = self._core.seq if since is None else since

        def candidates() -> list[StoredMessage]:
            found = self._changed_bot_messages(start)
            if after_count is not None:
                extra = [
                    m
                    for m in self._chat.messages.values()
                    if m.from_bot and not m.deleted and m.ordinal >= after_count
                ]
                found = sorted(
                    {m.message_id: m for m in extra + found}.values(), key=lambda m: m.message_id
                )
            return found

        def match() -> SimMessage | None:
            for message in candidates():
                snap = snapshot(message)
                if predicate is None or predicate(snap):
                    return snap
            return None

        result = await self._core.changed.wait_until(match, timeout)
        if result is None:
            arrived = [f"#{m.message_id}: {snapshot(m).body[:200]!r}" for m in candidates()]
            raise TimeoutError(
                f"user {self.id}: no bot message matched within {timeout}s; "
                f"arrived meanwhile: {arrived or 'nothing'}"
            )
        return result

    async def wait_for_count(
        self,
        n: int,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[SimMessage]:
        """Wait until the chat holds at least n (non-deleted) bot messages; returns them."""
        result = await self._core.changed.wait_until(
            lambda: self.messages if len(self.messages) >= n else None, timeout
        )
        if result is None:
            bodies = [m.body[:120] for m in self.messages]
            raise TimeoutError(
                f"user {self.id}: expected {n} bot messages within {timeout}s, "
                f"have {len(bodies)}: {bodies}"
            )
        return result

    async def wait_answer(
        self,
        query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> CallbackAnswer:
        """Wait until the bot answers the callback query `query_id`."""

        def answered() -> CallbackAnswer | None:
            return next((a for a in self.callback_answers if a.query_id == query_id), None)

        result = await self._core.changed.wait_until(answered, timeout)
        if result is None:
            raise TimeoutError(f"user {self.id}: callback query {query_id} not answered")
        return result
