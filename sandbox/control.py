"""HTTP control API under /sandbox/api/ so a browser chat page can play users."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from aiohttp import web

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
            query_id = await sim.press(
                int(data["message_id"]), text=data.get("text"), data=data.get("data")
            )
        except (LookupError, ValueError, TypeError) as exc:
            return _json({"error": str(exc)}, 400)
        return _json({"callback_query_id": query_id})

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
        except ValueError:
            raise web.HTTPBadRequest(text="after and wait must be numbers") from None

        def changed() -> list[dict[str, Any]] | None:
            ids = {message_id for seq, message_id in chat.changes if seq > after}
            found = [snapshot(chat.messages[i]).to_json() for i in sorted(ids)]
            return sorted(found, key=lambda m: m["seq"]) or None

        found = await sandbox.core.changed.wait_until(changed, wait) or []
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

    app.router.add_get(f"{PREFIX}/users", list_users)
    app.router.add_post(PREFIX + "/users/{user_id}", create_user)
    app.router.add_post(PREFIX + "/users/{user_id}/send", send)
    app.router.add_post(PREFIX + "/users/{user_id}/upload", upload)
    app.router.add_post(PREFIX + "/users/{user_id}/press", press)
    app.router.add_post(PREFIX + "/users/{user_id}/block", block)
    app.router.add_post(PREFIX + "/users/{user_id}/unblock", unblock)
    app.router.add_get(PREFIX + "/users/{user_id}/messages", messages)
    app.router.add_get(PREFIX + "/files/{file_id}", file)


def _guess(kind: str) -> str:
    return {"photo": "image/jpeg", "sticker": "image/webp"}.get(kind, "application/octet-stream")
