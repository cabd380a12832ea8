"""Admin: /invite makes invite links, /import takes a roster file sent in the chat."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import CommandHandler, ConversationHandler, MessageHandler, filters

from domain.models import Role
from domain.roster import RowError
from handlers.common import Context, reply, svc, who
from texts.i18n import t
from texts.views import local
from usecases.invites import InviteTargetError, make_invite
from usecases.roster import RosterFileError, error_args, import_roster

logger = logging.getLogger(__name__)

WAIT_FILE = 20
MAX_ROSTER_BYTES = 5 * 1024 * 1024
MAX_ERROR_LINES = 30
KINDS = {
    "enterprise": Role.STAFF,
    "企业": Role.STAFF,
    "staff": Role.STAFF,
    "envoy": Role.ENVOY,
    "特派员": Role.ENVOY,
    "lead": Role.LEAD,
    "队长": Role.LEAD,
    "admin": Role.ADMIN,
    "管理员": Role.ADMIN,
    "市级": Role.ADMIN,
}


async def _admin(update: Update, context: Context) -> tuple[bool, str]:
    actor, lang = await who(update, context)
    if actor is None or actor.role is not Role.ADMIN:
        reply(update, t(lang, "err-admin-only"))
        return False, lang
    return True, lang


async def cmd_invite(update: Update, context: Context) -> None:
    """`/invite enterprise|envoy|lead|admin [name]`: a single-use deep link."""
    ok, lang = await _admin(update, context)
    if not ok:
        return
    args = context.args or []
    kind = KINDS.get(args[0].lower()) if args else None
    name = " ".join(args[1:]).strip() or None
    if kind is None or (kind is not Role.ADMIN and not name):
        reply(update, t(lang, "invite-usage"))
        return
    s = svc(context)
    try:
        issued = await make_invite(
            s.db,
            kind,
            name,
            now=s.clock.now(),
            days=s.settings.invite_days,
            bot_username=context.bot.username,
        )
    except InviteTargetError:
        reply(update, t(lang, "invite-target-unknown", name=name or ""))
        return
    reply(
        update,
        t(
            lang,
            f"invite-made-{issued.kind}",
            name=issued.name or "",
            team=issued.team or "",
            link=issued.link,
            code=issued.invite.code,
            expires=local(issued.invite.expires_at, s.settings.zone),
        ),
    )


async def cmd_import(update: Update, context: Context) -> int:
    ok, lang = await _admin(update, context)
    if not ok:
        return ConversationHandler.END
    reply(update, t(lang, "import-send-file"))
    return WAIT_FILE


def _error_line(lang: str, error: RowError) -> str:
    return t(lang, f"roster-err-{error.problem.value}", **error_args(error, lang))


async def on_roster_file(update: Update, context: Context) -> int:
    """Download, import all-or-nothing, report row by row; the file is never half-applied."""
    ok, lang = await _admin(update, context)
    if not ok:
        return ConversationHandler.END
    message = update.effective_message
    assert message is not None and message.document is not None
    doc = message.document
    suffix = Path(doc.file_name or "").suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        reply(update, t(lang, "import-wrong-kind"))
        return WAIT_FILE
    if doc.file_size and doc.file_size > MAX_ROSTER_BYTES:
        reply(update, t(lang, "import-too-big"))
        return WAIT_FILE
    data = await (await doc.get_file()).download_as_bytearray()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"roster{suffix}"
        path.write_bytes(bytes(data))
        try:
            report = await import_roster(svc(context).db, path)
        except RosterFileError:
            reply(update, t(lang, "import-unreadable"))
            return WAIT_FILE
    if not report.ok:
        lines = [_error_line(lang, e) for e in report.errors[:MAX_ERROR_LINES]]
        more = len(report.errors) - len(lines)
        text = t(lang, "import-failed", count=len(report.errors)) + "\n" + "\n".join(lines)
        if more > 0:
            text += "\n" + t(lang, "import-more-errors", count=more)
        reply(update, text)
        return ConversationHandler.END
    result = report.result
    assert result is not None
    reply(
        update,
        t(
            lang,
            "import-done",
            rows=report.rows,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
        ),
    )
    return ConversationHandler.END


async def not_a_file(update: Update, context: Context) -> int:
    _, lang = await who(update, context)
    reply(update, t(lang, "import-send-file"))
    return WAIT_FILE


async def cancel(update: Update, context: Context) -> int:
    _, lang = await who(update, context)
    reply(update, t(lang, "action-cancelled"))
    return ConversationHandler.END


def conversation() -> ConversationHandler[Any]:
    return ConversationHandler(
        entry_points=[CommandHandler("import", cmd_import)],
        states={
            WAIT_FILE: [
                CommandHandler("cancel", cancel),
                MessageHandler(filters.Document.ALL, on_roster_file),
                MessageHandler(filters.ALL & ~filters.COMMAND, not_a_file),
            ],
        },
        fallbacks=[CommandHandler("cancel", cancel), MessageHandler(filters.COMMAND, cancel)],
        name="import",
        persistent=True,
    )


def handlers() -> list[object]:
    return [CommandHandler("invite", cmd_invite)]
