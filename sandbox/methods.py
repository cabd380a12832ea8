"""Bot API method implementations of the sandbox, with Telegram's checks and error strings."""

from __future__ import annotations

import json
import logging
import mimetypes
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sandbox.core import (
    ApiError,
    ChatState,
    Core,
    FileRecord,
    StoredMessage,
    bad_request,
    image_size,
)
from sandbox.flood import FloodControl
from sandbox.html_entities import (
    EntityParseError,
    _normalise_url,
    entities_to_html,
    parse_html,
    trim,
    utf16_len,
)
from sandbox.webhook import WebhookDelivery

logger = logging.getLogger(__name__)

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_INLINE_BUTTONS = 100
MAX_UPLOAD = 50 * 1024 * 1024
MAX_DOWNLOAD = 20 * 1024 * 1024
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
CONFLICT_POLL = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")


@dataclass
class Upload:
    """A file part of a multipart request."""

    filename: str | None
    content_type: str | None
    data: bytes


class Params:
    """Request parameters as PTB sends them (form strings holding JSON) or as a JSON body."""

    def __init__(self, raw: dict[str, Any], uploads: dict[str, Upload]) -> None:
        self.raw = raw
        self.uploads = uploads

    def has(self, name: str) -> bool:
        return self.raw.get(name) not in (None, "")

    def string(self, name: str) -> str | None:
        value = self.raw.get(name)
        if value is None:
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def integer(self, name: str) -> int | None:
        value = self.raw.get(name)
        if value in (None, ""):
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f'field "{name}" must be of type Integer') from None

    def number(self, name: str) -> float | None:
        value = self.raw.get(name)
        if value in (None, ""):
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f'field "{name}" must be of type Float') from None

    def flag(self, name: str) -> bool:
        value = self.raw.get(name)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def json(self, name: str) -> Any:
        value = self.raw.get(name)
        if isinstance(value, str):
            if value == "":
                return None
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {name} JSON object") from None
        return value

    def readable(self) -> dict[str, Any]:
        """Decoded copy for the call log: JSON strings parsed, uploads summarised."""
        out: dict[str, Any] = {}
        for key, value in self.raw.items():
            if isinstance(value, str) and value[:1] in "[{":
                try:
                    out[key] = json.loads(value)
                    continue
                except ValueError:
                    pass
            out[key] = value
        for key, upload in self.uploads.items():
            out[key] = f"<upload {upload.filename!r} {len(upload.data)} bytes>"
        return out


@dataclass
class Markup:
    """Validated reply_markup: the inline keyboard to store, or a chat keyboard effect."""

    inline: dict[str, Any] | None = None
    keyboard: dict[str, Any] | None = None
    remove_keyboard: bool = False
    force_reply: bool = False


Handler = Callable[[Params], Awaitable[Any]]


class BotMethods:
    """Implements each Bot API method against the Core state."""

    def __init__(self, core: Core, flood: FloodControl) -> None:
        self.core = core
        self.flood = flood
        self.poll_generation = 0
        self.closing = False
        self.webhook = WebhookDelivery(core)
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.descriptions: dict[str, str] = {}
        self.registry: dict[str, tuple[str, Handler]] = {}
        for name in (
            "getMe",
            "getUpdates",
            "deleteWebhook",
            "setWebhook",
            "getWebhookInfo",
            "setMyCommands",
            "getMyCommands",
            "deleteMyCommands",
            "setChatMenuButton",
            "getChatMenuButton",
            "setMyDescription",
            "setMyShortDescription",
            "setMyName",
            "sendMessage",
            "editMessageText",
            "editMessageReplyMarkup",
            "editMessageCaption",
            "deleteMessage",
            "answerCallbackQuery",
            "sendPhoto",
            "sendDocument",
            "sendMediaGroup",
            "getFile",
            "sendChatAction",
            "copyMessage",
            "forwardMessage",
            "close",
            "logOut",
        ):
            handler = getattr(self, "m_" + re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower())
            self.registry[name.lower()] = (name, handler)

    def lookup(self, method: str) -> tuple[str, Handler] | None:
        """Telegram matches method names case-insensitively."""
        return self.registry.get(method.lower())

    # ---- chats, text, markup -------------------------------------------------------------

    def _chat(self, p: Params) -> ChatState:
        raw = p.raw.get("chat_id")
        if raw in (None, ""):
            raise bad_request("chat_id is empty")
        try:
            chat_id = int(raw)
        except (TypeError, ValueError):
            raise bad_request("chat not found") from None
        chat = self.core.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def _chat_for_send(self, p: Params) -> ChatState:
        chat = self._chat(p)
        if chat.user.status == "new":
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        if chat.user.status == "kicked":
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat.user.status == "deactivated":
            raise ApiError(403, "Forbidden: user is deactivated")
        return chat

    def _format(
        self, text: str, parse_mode: str | None, entities: Any
    ) -> tuple[str, list[dict[str, Any]], str]:
        """Apply parse_mode or explicit entities; returns (plain, entities, html)."""
        mode = (parse_mode or "").strip().lower()
        if entities:
            if not isinstance(entities, list):
                raise bad_request("can't parse entities JSON object")
            plain, ents = text, [dict(e) for e in entities if isinstance(e, dict)]
        elif mode == "html":
            try:
                plain, ents = parse_html(
                    text,
                    strict_ampersand=self.core.strict_html,
                    known_users=self.core.known_users(),
                )
            except EntityParseError as exc:
                raise bad_request(f"can't parse entities: {exc}") from None
        elif mode:
            raise bad_request("unsupported parse_mode")
        else:
            plain, ents = text, []
        plain, ents = trim(plain, ents)
        html_text = text if mode == "html" and not entities else entities_to_html(plain, ents)
        return plain, ents, html_text

    def _text(self, p: Params) -> tuple[str, list[dict[str, Any]], str]:
        plain, ents, html_text = self._format(
            p.string("text") or "", p.string("parse_mode"), p.json("entities")
        )
        if not plain:
            raise bad_request("message text is empty")
        if utf16_len(plain) > MAX_TEXT:
            raise bad_request("message is too long")
        return plain, ents, html_text

    def _caption(self, p: Params) -> tuple[str | None, list[dict[str, Any]], str | None]:
        if not p.has("caption"):
            return None, [], None
        plain, ents, html_text = self._format(
            p.string("caption") or "", p.string("parse_mode"), p.json("caption_entities")
        )
        if utf16_len(plain) > MAX_CAPTION:
            raise bad_request("message caption is too long")
        if not plain:
            return None, [], None
        return plain, ents, html_text

    def _markup(self, p: Params, *, inline_only: bool = False) -> Markup:
        markup = p.json("reply_markup")
        if markup is None:
            return Markup()
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            return Markup(inline=self._inline_keyboard(markup["inline_keyboard"]))
        if inline_only:
            raise bad_request("inline keyboard expected")
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise bad_request("can't parse reply keyboard markup JSON object")
            for row in rows:
                for button in row:
                    label = button if isinstance(button, str) else (button or {}).get("text")
                    if not label:
                        raise bad_request("can't parse keyboard button: Text must be non-empty")
            return Markup(keyboard=markup)
        if markup.get("remove_keyboard"):
            return Markup(remove_keyboard=True)
        if markup.get("force_reply"):
            return Markup(force_reply=True)
        raise bad_request("can't parse reply keyboard markup JSON object")

    def _inline_keyboard(self, rows: Any) -> dict[str, Any] | None:
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad_request("can't parse inline keyboard button: Array of Objects expected")
        count = 0
        clean_rows: list[list[dict[str, Any]]] = []
        for row in rows:
            clean: list[dict[str, Any]] = []
            for button in row:
                count += 1
                if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                    raise bad_request(
                        'can\'t parse inline keyboard button: Field "text" must be of type String'
                    )
                actions = [a for a in _BUTTON_ACTIONS if button.get(a) is not None]
                if not actions:
                    raise bad_request(
                        "can't parse inline keyboard button: Text buttons are unallowed in the "
                        "inline keyboard"
                    )
                if "callback_data" in actions:
                    data = button["callback_data"]
                    size = len(str(data).encode("utf-8"))
                    if not isinstance(data, str) or size < 1 or size > MAX_CALLBACK_DATA:
                        raise bad_request("BUTTON_DATA_INVALID")
                if "url" in actions and _normalise_url(str(button["url"])) is None:
                    raise bad_request(
                        f"inline keyboard button URL '{button['url']}' is invalid: Wrong HTTP URL"
                    )
                clean.append({k: v for k, v in button.items() if v is not None})
            if clean:
                clean_rows.append(clean)
        if count > MAX_INLINE_BUTTONS:
            raise bad_request("REPLY_MARKUP_TOO_LONG")
        return {"inline_keyboard": clean_rows} if clean_rows else None

    def _apply_markup(self, chat: ChatState, markup: Markup) -> None:
        if markup.keyboard is not None:
            chat.reply_keyboard = markup.keyboard
        if markup.remove_keyboard:
            chat.reply_keyboard = None
        chat.force_reply = markup.force_reply

    def _reply_to(self, p: Params, chat: ChatState) -> int | None:
        params = p.json("reply_parameters")
        allow = p.flag("allow_sending_without_reply")
        message_id: int | None = None
        if isinstance(params, dict):
            message_id = params.get("message_id")
            allow = allow or bool(params.get("allow_sending_without_reply"))
        else:
            message_id = p.integer("reply_to_message_id")
        if not message_id:
            return None
        target = chat.messages.get(int(message_id))
        if target is None or target.deleted:
            if allow:
                return None
            raise bad_request("message to be replied not found")
        return int(message_id)

    def _store(self, chat: ChatState, message: StoredMessage) -> dict[str, Any]:
        self.core.add_message(chat, message)
        return self.core.message_api(message)

    # ---- files ---------------------------------------------------------------------------

    def _input_file(self, p: Params, name: str, kind: str) -> FileRecord:
        upload = p.uploads.get(name)
        value = p.raw.get(name)
        if upload is None and isinstance(value, str) and value.startswith("attach://"):
            upload = p.uploads.get(value[len("attach://") :])
            if upload is None:
                raise bad_request(f"can't parse InputMedia: {name} not found")
        if upload is not None:
            return self._new_file(upload, kind)
        if value in (None, ""):
            raise bad_request(f"there is no {kind} in the request")
        return self._existing_file(str(value), kind)

    def _existing_file(self, file_id: str, kind: str) -> FileRecord:
        record = self.core.files.by_id.get(file_id)
        if record is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if record.kind != kind and not (kind == "document" and record.kind != "photo"):
            raise bad_request("type of file mismatch")
        return record

    def _new_file(self, upload: Upload, kind: str) -> FileRecord:
        if not upload.data:
            raise bad_request("file must be non-empty")
        if len(upload.data) > MAX_UPLOAD:
            raise ApiError(413, "Request Entity Too Large")
        if kind == "photo":
            if image_size(upload.data) is None:
                raise bad_request("IMAGE_PROCESS_FAILED")
            return self.core.files.add(upload.data, "photo")
        mime = mimetypes.guess_type(upload.filename or "")[0] or upload.content_type
        return self.core.files.add(
            upload.data, kind, file_name=upload.filename or "file", mime_type=mime
        )

    # ---- methods -------------------------------------------------------------------------

    async def m_get_me(self, p: Params) -> Any:
        return {
            **self.core.bot_api_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def m_get_updates(self, p: Params) -> Any:
        if self.webhook.active:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        core = self.core
        offset = p.integer("offset") or 0
        limit = min(max(p.integer("limit") or 100, 1), 100)
        timeout = min(max(p.number("timeout") or 0.0, 0.0), 50.0)
        allowed = p.json("allowed_updates")
        if allowed is not None:
            core.allowed_updates = list(allowed) or None
        if offset > 0:
            before = len(core.updates)
            core.updates = [u for u in core.updates if u["update_id"] >= offset]
            if len(core.updates) != before:
                core.changed.notify()
        elif offset < 0:
            core.updates = core.updates[offset:]
        self.poll_generation += 1
        generation = self.poll_generation
        core.changed.notify()

        def ready() -> Any:
            if self.closing:
                return ("closed",)
            if generation != self.poll_generation:
                return ("conflict",)
            wanted = core.allowed_updates
            selected = [u for u in core.updates if wanted is None or _update_kind(u) in wanted][
                :limit
            ]
            return ("ok", selected) if selected else None

        outcome = await core.changed.wait_until(ready, timeout)
        if outcome and outcome[0] == "conflict":
            raise ApiError(409, CONFLICT_POLL)
        if outcome and outcome[0] == "ok":
            return outcome[1]
        return []

    async def m_delete_webhook(self, p: Params) -> Any:
        self.webhook.remove(p.flag("drop_pending_updates"))
        return True

    async def m_set_webhook(self, p: Params) -> Any:
        self.webhook.configure(p)
        return True

    async def m_get_webhook_info(self, p: Params) -> Any:
        return self.webhook.info()

    @staticmethod
    def _commands_key(p: Params) -> tuple[str, str]:
        scope = p.json("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), p.string("language_code") or ""

    async def m_set_my_commands(self, p: Params) -> Any:
        commands = p.json("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        clean = []
        for command in commands:
            name = str(command.get("command", "")).removeprefix("/")
            description = str(command.get("description", ""))
            if not _COMMAND.match(name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not description.strip() or len(description) > 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            clean.append({"command": name, "description": description})
        self.commands[self._commands_key(p)] = clean
        return True

    async def m_get_my_commands(self, p: Params) -> Any:
        return self.commands.get(self._commands_key(p), [])

    async def m_delete_my_commands(self, p: Params) -> Any:
        self.commands.pop(self._commands_key(p), None)
        return True

    async def m_set_chat_menu_button(self, p: Params) -> Any:
        button = p.json("menu_button") or {"type": "default"}
        self.menu_buttons[p.integer("chat_id")] = button
        return True

    async def m_get_chat_menu_button(self, p: Params) -> Any:
        chat_id = p.integer("chat_id")
        return self.menu_buttons.get(chat_id) or self.menu_buttons.get(None) or {"type": "commands"}

    async def m_set_my_description(self, p: Params) -> Any:
        self.descriptions["description"] = p.string("description") or ""
        return True

    async def m_set_my_short_description(self, p: Params) -> Any:
        self.descriptions["short_description"] = p.string("short_description") or ""
        return True

    async def m_set_my_name(self, p: Params) -> Any:
        self.descriptions["name"] = p.string("name") or ""
        return True

    async def m_send_message(self, p: Params) -> Any:
        chat = self._chat_for_send(p)
        plain, ents, html_text = self._text(p)
        markup = self._markup(p)
        reply_to = self._reply_to(p, chat)
        self.flood.check(chat.user.id)
        self._apply_markup(chat, markup)
        message = StoredMessage(
            message_id=0,
            chat_id=chat.user.id,
            from_bot=True,
            date=self.core.now(),
            text=plain,
            entities=ents,
            html=html_text,
            reply_markup=markup.inline,
            reply_to_message_id=reply_to,
        )
        return self._store(chat, message)

    def _message_to_edit(self, p: Params) -> tuple[ChatState, StoredMessage]:
        if p.has("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._chat(p)
        message_id = p.integer("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = chat.messages.get(message_id)
        if message is None or message.deleted:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return chat, message

    def _edited(self, chat: ChatState, message: StoredMessage) -> dict[str, Any]:
        message.edit_date = self.core.now()
        message.edit_count += 1
        self.core.touch(chat, message)
        return self.core.message_api(message)

    async def m_edit_message_text(self, p: Params) -> Any:
        chat, message = self._message_to_edit(p)
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        plain, ents, html_text = self._text(p)
        markup = self._markup(p, inline_only=True)
        if (plain, ents, markup.inline) == (message.text, message.entities, message.reply_markup):
            raise bad_request(NOT_MODIFIED)
        self.flood.check(chat.user.id)
        message.text, message.entities, message.html = plain, ents, html_text
        message.reply_markup = markup.inline
        return self._edited(chat, message)

    async def m_edit_message_caption(self, p: Params) -> Any:
        chat, message = self._message_to_edit(p)
        if message.photo is None and message.document is None:
            raise bad_request("there is no caption in the message to edit")
        caption, ents, html_text = self._caption(p)
        markup = self._markup(p, inline_only=True)
        current = (message.caption, message.caption_entities, message.reply_markup)
        if (caption, ents, markup.inline) == current:
            raise bad_request(NOT_MODIFIED)
        self.flood.check(chat.user.id)
        message.caption, message.caption_entities, message.caption_html = caption, ents, html_text
        message.reply_markup = markup.inline
        return self._edited(chat, message)

    async def m_edit_message_reply_markup(self, p: Params) -> Any:
        chat, message = self._message_to_edit(p)
        markup = self._markup(p, inline_only=True)
        if markup.inline == message.reply_markup:
            raise bad_request(NOT_MODIFIED)
        self.flood.check(chat.user.id)
        message.reply_markup = markup.inline
        return self._edited(chat, message)

    async def m_delete_message(self, p: Params) -> Any:
        chat = self._chat(p)
        message_id = p.integer("message_id")
        message = chat.messages.get(message_id or 0)
        if message is None or message.deleted:
            raise bad_request("message to delete not found")
        message.deleted = True
        self.core.touch(chat, message)
        return True

    async def m_answer_callback_query(self, p: Params) -> Any:
        query_id = p.string("callback_query_id") or ""
        query = self.core.callback_queries.get(query_id)
        if query is None or query.answered:
            raise bad_request(QUERY_TOO_OLD)
        text = p.string("text")
        if text is not None and len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answered = True
        chat = self.core.chats[query.user_id]
        chat.callback_answers.append((query_id, text, p.flag("show_alert")))
        self.core.changed.notify()
        return True

    async def m_send_photo(self, p: Params) -> Any:
        return self._send_media(p, "photo")

    async def m_send_document(self, p: Params) -> Any:
        return self._send_media(p, "document")

    def _send_media(self, p: Params, kind: str) -> dict[str, Any]:
        chat = self._chat_for_send(p)
        record = self._input_file(p, kind, kind)
        caption, ents, html_text = self._caption(p)
        markup = self._markup(p)
        reply_to = self._reply_to(p, chat)
        self.flood.check(chat.user.id)
        self._apply_markup(chat, markup)
        message = StoredMessage(
            message_id=0,
            chat_id=chat.user.id,
            from_bot=True,
            date=self.core.now(),
            caption=caption,
            caption_entities=ents,
            caption_html=html_text,
            reply_markup=markup.inline,
            reply_to_message_id=reply_to,
        )
        if kind == "photo":
            message.photo = record
        else:
            message.document = record
        return self._store(chat, message)

    async def m_send_media_group(self, p: Params) -> Any:
        chat = self._chat_for_send(p)
        media = p.json("media")
        if not isinstance(media, list) or not media:
            raise bad_request("media to send are not specified")
        if len(media) > 10:
            raise bad_request("too many messages to send as an album")
        prepared = []
        kinds = set()
        for item in media:
            if not isinstance(item, dict):
                raise bad_request("can't parse InputMedia JSON object")
            kind = item.get("type")
            if kind not in ("photo", "document"):
                raise bad_request(f'can\'t parse InputMedia: type "{kind}" is not supported')
            kinds.add(kind)
            sub = Params(
                {
                    kind: item.get("media"),
                    "caption": item.get("caption"),
                    "parse_mode": item.get("parse_mode"),
                    "caption_entities": item.get("caption_entities"),
                },
                p.uploads,
            )
            prepared.append((kind, self._input_file(sub, kind, kind), self._caption(sub)))
        if len(kinds) > 1:
            raise bad_request("document can't be mixed with other media types")
        reply_to = self._reply_to(p, chat)
        self.flood.check(chat.user.id, len(prepared))
        group_id = str(10**17 + secrets.randbelow(10**17))
        results = []
        for kind, record, (caption, ents, html_text) in prepared:
            message = StoredMessage(
                message_id=0,
                chat_id=chat.user.id,
                from_bot=True,
                date=self.core.now(),
                caption=caption,
                caption_entities=ents,
                caption_html=html_text,
                reply_to_message_id=reply_to,
                media_group_id=group_id,
            )
            if kind == "photo":
                message.photo = record
            else:
                message.document = record
            results.append(self._store(chat, message))
        return results

    def _source_message(self, p: Params, verb: str) -> StoredMessage:
        source_chat = self.core.chats.get(p.integer("from_chat_id") or 0)
        if source_chat is None:
            raise bad_request("chat not found")
        source = source_chat.messages.get(p.integer("message_id") or 0)
        if source is None or source.deleted:
            raise bad_request(f"message to {verb} not found")
        return source

    async def m_copy_message(self, p: Params) -> Any:
        chat = self._chat_for_send(p)
        source = self._source_message(p, "copy")
        caption, ents, html_text = (
            self._caption(p)
            if p.has("caption")
            else (source.caption, source.caption_entities, source.caption_html)
        )
        markup = self._markup(p)
        reply_to = self._reply_to(p, chat)
        self.flood.check(chat.user.id)
        self._apply_markup(chat, markup)
        message = StoredMessage(
            message_id=0,
            chat_id=chat.user.id,
            from_bot=True,
            date=self.core.now(),
            text=source.text,
            entities=list(source.entities),
            html=source.html,
            caption=caption,
            caption_entities=ents,
            caption_html=html_text,
            photo=source.photo,
            document=source.document,
            sticker=source.sticker,
            reply_markup=markup.inline,
            reply_to_message_id=reply_to,
        )
        self.core.add_message(chat, message)
        return {"message_id": message.message_id}

    async def m_forward_message(self, p: Params) -> Any:
        chat = self._chat_for_send(p)
        source = self._source_message(p, "forward")
        self.flood.check(chat.user.id)
        source_chat = self.core.chats[source.chat_id]
        sender = self.core.bot_api_user() if source.from_bot else source_chat.user.to_api()
        message = StoredMessage(
            message_id=0,
            chat_id=chat.user.id,
            from_bot=True,
            date=self.core.now(),
            text=source.text,
            entities=list(source.entities),
            html=source.html,
            caption=source.caption,
            caption_entities=list(source.caption_entities),
            caption_html=source.caption_html,
            photo=source.photo,
            document=source.document,
            sticker=source.sticker,
            forward_origin={"type": "user", "sender_user": sender, "date": source.date},
        )
        return self._store(chat, message)

    async def m_get_file(self, p: Params) -> Any:
        record = self.core.files.by_id.get(p.string("file_id") or "")
        if record is None:
            raise bad_request("invalid file_id")
        if len(record.data) > MAX_DOWNLOAD:
            raise bad_request("file is too big")
        return record.file_api()

    async def m_send_chat_action(self, p: Params) -> Any:
        self._chat_for_send(p)
        if (p.string("action") or "") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    async def m_close(self, p: Params) -> Any:
        return True

    async def m_log_out(self, p: Params) -> Any:
        return True


def _update_kind(update: dict[str, Any]) -> str:
    return next(k for k in update if k != "update_id")
