"""HTTP control API under /sandbox/api/: a browser chat page plays users, a benchmark steers faults.

Users (the chat page):
  GET    /sandbox/api/users                       -> [{id, first_name, ..., status}]
  POST   /sandbox/api/users/{id}                  {first_name, last_name, username, language_code}
  POST   /sandbox/api/users/{id}/send             {text} -> {message_id}
  POST   /sandbox/api/users/{id}/upload           multipart file, kind=photo|document, caption
  POST   /sandbox/api/users/{id}/press            {message_id, text | data, wait?}
                                                  -> {callback_query_id, answer}
         answer: the bot's answerCallbackQuery ({query_id, text, show_alert}) when it came
         within `wait` seconds (default 0: don't wait), else null
  POST   /sandbox/api/users/{id}/block | unblock
  GET    /sandbox/api/users/{id}/messages?after=SEQ&wait=SECONDS&answers=N
         waits until a message changes after SEQ or, with `answers`, until the user has
         more than N callback answers (so an alert shows without waiting for a message)
  GET    /sandbox/api/files/{file_id}

Robustness (a benchmark in another process):
  POST   /sandbox/api/faults  {"rate": 0.1, "kinds": ["500", "502", "429", "timeout",
                               "drop_before", "drop_after"], "methods": null | ["sendMessage"],
                               "seed": 7, "timeout_seconds": 3.0}
         every key optional (rate 0.1, all kinds, all methods but getUpdates/getMe/setMyCommands,
         no seed, timeout unchanged); answers the mix as GET does, 400 {"error"} if invalid
  GET    /sandbox/api/faults  -> {"rate", "kinds", "methods", "seed", "timeout_seconds"}
  DELETE /sandbox/api/faults  -> no more faults (counters stay); answers the mix
  POST   /sandbox/api/flood   {"enabled": true, "overall_limit": 30, "window": 1.0,
                               "per_chat_burst": 3, "per_chat_rate": 1.0}
         keys left out keep their value; per_chat_burst 0 or null switches the per-chat limit off
  GET    /sandbox/api/flood   -> the same five keys
  GET    /sandbox/api/stats   -> {
           "calls": {"sendMessage": {"total", "ok", "errors": {"429": n}, "unanswered"}},
           "totals": {"calls", "ok", "errors", "unanswered"},
           "flood": {five limits, "rejected", "rejected_overall", "rejected_per_chat",
                     "rejected_by_chat": {"chat id": per-chat rejections}},
           "faults": {"config": {...}, "injected", "by_kind": {kind: n},
                      "by_method": {method: n}, "by_kind_and_method": {kind: {method: n}}},
           "drop_after": {"count", "executions": [{"method", "chat_id", "text"}]},
           "pending_updates": n}
         "ok" counts executed calls (drop_after ones too); "unanswered" counts timeout,
         drop_before and drop_after calls, which got no HTTP answer at all; a 429 in "errors"
         is flood control's (see "flood") or a spurious one (see "faults")
  DELETE /sandbox/api/stats   -> forget the call log and every counter (between phases)
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from sandbox.faults import FAULT_KINDS
from sandbox.users import SimUser, snapshot

if TYPE_CHECKING:
    from sandbox.server import BotApiSandbox

logger = logging.getLogger(__name__)

PREFIX = "/sandbox/api"


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(
        status=status,
        text=json.dumps(data, ensure_ascii=False),
        content_type="application/json",
    )


def _user_json(sim: SimUser) -> dict[str, Any]:
    return {**sim.user, "status": sim.status}


def add_control_routes(app: web.Application, sandbox: BotApiSandbox) -> None:
    """Register the control endpoints on the sandbox's aiohttp app."""

    def sim_of(request: web.Request) -> SimUser:
        try:
            user_id = int(request.match_info["user_id"])
        except ValueError:
            raise web.HTTPBadRequest(text="user id must be an integer") from None
        sim = sandbox.users.get(user_id)
        if sim is None:
            raise web.HTTPNotFound(text=f"no user {user_id}")
        return sim

    async def body(request: web.Request) -> dict[str, Any]:
        if not request.body_exists:
            return {}
        try:
            data = await request.json()
        except ValueError:
            raise web.HTTPBadRequest(text="JSON body expected") from None
        if not isinstance(data, dict):
            raise web.HTTPBadRequest(text="JSON object expected")
        return data

    async def list_users(request: web.Request) -> web.Response:
        return _json([_user_json(s) for s in sandbox.users.values()])

    async def create_user(request: web.Request) -> web.Response:
        try:
            user_id = int(request.match_info["user_id"])
        except ValueError:
            raise web.HTTPBadRequest(text="user id must be an integer") from None
        data = await body(request)
        sim = sandbox.user(
            user_id,
            str(data.get("first_name") or "User"),
            last_name=data.get("last_name"),
            username=data.get("username"),
            language_code=data.get("language_code", "zh-hans"),
        )
        return _json(_user_json(sim))

    async def send(request: web.Request) -> web.Response:
        sim = sim_of(request)
        text = str((await body(request)).get("text") or "")
        try:
            message_id = await sim.send_text(text)
        except ValueError as exc:
            return _json({"error": str(exc)}, 400)
        return _json({"message_id": message_id})

    async def upload(request: web.Request) -> web.Response:
        sim = sim_of(request)
        form = await request.post()
        part = form.get("file")
        if not isinstance(part, web.FileField):
            return _json({"error": "multipart field 'file' required"}, 400)
        data = part.file.read()
        kind = str(form.get("kind") or "document")
        caption = str(form.get("caption") or "") or None
        if kind == "photo":
            message_id = await sim.send_photo(data, caption)
        else:
            message_id = await sim.send_document(
                data,
                part.filename or "file",
                part.content_type or "application/octet-stream",
                caption,
            )
        return _json({"message_id": message_id})

    async def press(request: web.Request) -> web.Response:
        sim = sim_of(request)
        data = await body(request)
        try:
            wait = min(float(data.get("wait") or 0), 60.0)
            query_id = await sim.press(
                int(data["message_id"]), text=data.get("text"), data=data.get("data")
            )
        except (LookupError, ValueError, TypeError) as exc:
            return _json({"error": str(exc)}, 400)
        return _json({"callback_query_id": query_id, "answer": await _answer(sim, query_id, wait)})

    async def block(request: web.Request) -> web.Response:
        sim = sim_of(request)
        sim.block()
        return _json(_user_json(sim))

    async def unblock(request: web.Request) -> web.Response:
        sim = sim_of(request)
        sim.unblock()
        return _json(_user_json(sim))

    async def messages(request: web.Request) -> web.Response:
        sim = sim_of(request)
        chat = sandbox.core.chats[sim.id]
        try:
            after = int(request.query.get("after", "0"))
            wait = min(float(request.query.get("wait", "0")), 60.0)
            answers = int(request.query.get("answers", "-1"))
        except ValueError:
            raise web.HTTPBadRequest(text="after, wait and answers must be numbers") from None

        def changed() -> tuple[list[dict[str, Any]]] | None:
            ids = {message_id for seq, message_id in chat.changes if seq > after}
            found = [snapshot(chat.messages[i]).to_json() for i in sorted(ids)]
            # a new callback answer ends the wait too: an alert must not wait for a message
            if found or 0 <= answers < len(chat.callback_answers):
                return (sorted(found, key=lambda m: m["seq"]),)
            return None

        woke = await sandbox.core.changed.wait_until(changed, wait)
        found = woke[0] if woke else []
        return _json(
            {
                "seq": max([after, *(m["seq"] for m in found)]),
                "messages": found,
                "keyboard": sim.keyboard,
                "callback_answers": [a._asdict() for a in sim.callback_answers],
                "status": sim.status,
            }
        )

    async def file(request: web.Request) -> web.Response:
        record = sandbox.core.files.by_id.get(request.match_info["file_id"])
        if record is None:
            raise web.HTTPNotFound(text="no such file")
        return web.Response(body=record.data, content_type=record.mime_type or _guess(record.kind))

    add_robustness_routes(app, sandbox, body)
    app.router.add_get(f"{PREFIX}/users", list_users)
    app.router.add_post(PREFIX + "/users/{user_id}", create_user)
    app.router.add_post(PREFIX + "/users/{user_id}/send", send)
    app.router.add_post(PREFIX + "/users/{user_id}/upload", upload)
    app.router.add_post(PREFIX + "/users/{user_id}/press", press)
    app.router.add_post(PREFIX + "/users/{user_id}/block", block)
    app.router.add_post(PREFIX + "/users/{user_id}/unblock", unblock)
    app.router.add_get(PREFIX + "/users/{user_id}/messages", messages)
    app.router.add_get(PREFIX + "/files/{file_id}", file)


async def _answer(sim: SimUser, query_id: str, wait: float) -> dict[str, Any] | None:
    """The bot's answer to a press, waited for up to ``wait`` seconds (None: not yet)."""
    if wait <= 0:
        return None
    try:
        return (await sim.wait_answer(query_id, timeout=wait))._asdict()
    except TimeoutError:
        return None


def _guess(kind: str) -> str:
    return {"photo": "image/jpeg", "sticker": "image/webp"}.get(kind, "application/octet-stream")


Body = Callable[[web.Request], Awaitable[dict[str, Any]]]


def _number(data: dict[str, Any], key: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{key} must be a number")
    return float(value)


def _integer(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{key} must be an integer")
    return value


def _strings(data: dict[str, Any], key: str) -> list[str] | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{key} must be a list of strings")
    return value


def _set_faults(sandbox: BotApiSandbox, data: dict[str, Any]) -> None:
    """Apply a POST /faults body; absent keys take set_faults' defaults."""
    rate = _number(data, "rate")
    kinds = _strings(data, "kinds")
    sandbox.set_faults(
        rate=0.1 if rate is None else rate,
        kinds=FAULT_KINDS if kinds is None else kinds,
        methods=_strings(data, "methods"),
        seed=_integer(data, "seed"),
        timeout_seconds=_number(data, "timeout_seconds"),
    )


def _set_flood(sandbox: BotApiSandbox, data: dict[str, Any]) -> None:
    """Apply a POST /flood body; absent keys keep their value."""
    enabled = data.get("enabled")
    if enabled is not None and not isinstance(enabled, bool):
        raise ValueError("enabled must be true or false")
    burst = _integer(data, "per_chat_burst")
    if "per_chat_burst" in data and burst is None:
        burst = 0
    sandbox.set_flood(
        enabled=enabled,
        overall_limit=_integer(data, "overall_limit"),
        window=_number(data, "window"),
        per_chat_burst=burst,
        per_chat_rate=_number(data, "per_chat_rate"),
    )


def add_robustness_routes(app: web.Application, sandbox: BotApiSandbox, body: Body) -> None:
    """Fault mix, flood limits and stats, for benchmarks that steer a sandbox from outside."""

    async def get_faults(request: web.Request) -> web.Response:
        return _json(sandbox.faults.config())

    async def post_faults(request: web.Request) -> web.Response:
        try:
            _set_faults(sandbox, await body(request))
        except ValueError as exc:
            return _json({"error": str(exc)}, 400)
        return _json(sandbox.faults.config())

    async def delete_faults(request: web.Request) -> web.Response:
        sandbox.clear_faults()
        return _json(sandbox.faults.config())

    async def get_flood(request: web.Request) -> web.Response:
        return _json(sandbox.flood.config())

    async def post_flood(request: web.Request) -> web.Response:
        try:
            _set_flood(sandbox, await body(request))
        except ValueError as exc:
            return _json({"error": str(exc)}, 400)
        return _json(sandbox.flood.config())

    async def get_stats(request: web.Request) -> web.Response:
        return _json(sandbox.stats())

    async def delete_stats(request: web.Request) -> web.Response:
        sandbox.reset_stats()
        return _json(sandbox.stats())

    app.router.add_get(f"{PREFIX}/faults", get_faults)
    app.router.add_post(f"{PREFIX}/faults", post_faults)
    app.router.add_delete(f"{PREFIX}/faults", delete_faults)
    app.router.add_get(f"{PREFIX}/flood", get_flood)
    app.router.add_post(f"{PREFIX}/flood", post_flood)
    app.router.add_get(f"{PREFIX}/stats", get_stats)
    app.router.add_delete(f"{PREFIX}/stats", delete_stats)
