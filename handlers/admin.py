"""Admin: /invite makes, lists and revokes invite links; /import takes a roster file."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from domain.models import Role
from domain.roster import RowError
from handlers.common import Context, answer, deny, edit_in_place, reply, svc, who
from texts.callbacks import BadCallback, InviteRevoke
from texts.i18n import plain, t
from texts.views import local
from usecases.invites import (
    InviteTargetError,
    IssuedInvite,
    make_invite,
    open_invites,
    revoke_code,
    revoke_person,
)
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
    "department": Role.DEPARTMENT,
    "部门": Role.DEPARTMENT,
    "职能部门": Role.DEPARTMENT,
    "admin": Role.ADMIN,
    "管理员": Role.ADMIN,
    "市级": Role.ADMIN,
}
LIST_WORDS = frozenset({"list", "open", "列表", "清单"})
REVOKE_WORDS = frozenset({"revoke", "撤销", "作废"})
MAX_REVOKE_BUTTONS = 20


async def _admin(update: Update, context: Context) -> tuple[bool, str]:
    actor, lang = await who(update, context)
    if actor is None or actor.role is not Role.ADMIN:
        reply(update, t(lang, "err-admin-only"))
        return False, lang
    return True, lang


def _open_list(lang: str, items: list[IssuedInvite], context: Context) -> tuple[str, Any]:
    """The open codes as text, with a revoke button for each of the first ones."""
    if not items:
        return t(lang, "invite-list-none"), None
    zone = svc(context).settings.zone
    lines = [t(lang, "invite-list-head", count=len(items))]
    buttons: list[list[InlineKeyboardButton]] = []
    for item in items:
        person = " · ".join(p for p in (item.name, item.team) if p)
        role = plain(lang, f"role-{item.kind}")
        expires = local(item.invite.expires_at, zone)
        code = item.invite.code
        lines.append(t(lang, "invite-list-line", code=code, role=role, who=person, expires=expires))
        if len(buttons) < MAX_REVOKE_BUTTONS:
            label = plain(lang, "invite-revoke-button", who=item.name or role, code=code[:6])
            data = InviteRevoke(code).pack()
            buttons.append([InlineKeyboardButton(label, callback_data=data)])
    if len(items) > MAX_REVOKE_BUTTONS:
        lines.append(t(lang, "invite-list-more", count=MAX_REVOKE_BUTTONS))
    return "\n".join(lines), InlineKeyboardMarkup(buttons)


async def _list_invites(update: Update, context: Context, lang: str) -> None:
    s = svc(context)
    items = await open_invites(s.db, now=s.clock.now(), bot_username=context.bot.username)
    text, markup = _open_list(lang, items, context)
    reply(update, text, reply_markup=markup)


async def _revoke(update: Update, context: Context, lang: str, target: str) -> None:
    """`/invite revoke CODE|NAME`: one code, or every open code of that envoy or enterprise."""
    s = svc(context)
    now = s.clock.now()
    try:
        await revoke_code(s.db, target, now=now)
        reply(update, t(lang, "invite-revoked-count", count=1))
        return
    except InviteTargetError:
        pass
    try:
        count = await revoke_person(s.db, target, now=now)
    except InviteTargetError:
        reply(update, t(lang, "invite-revoke-unknown", target=target))
        return
    reply(update, t(lang, "invite-revoked-count", count=count))


async def cmd_invite(update: Update, context: Context) -> None:
    """`/invite KIND NAME`: a single-use deep link; `/invite list`, `/invite revoke CODE|NAME`."""
    ok, lang = await _admin(update, context)
    if not ok:
        return
    args = context.args or []
    verb = args[0].lower() if args else ""
    if verb in LIST_WORDS:
        await _list_invites(update, context, lang)
        return
    if verb in REVOKE_WORDS:
        target = " ".join(args[1:]).strip()
        if target:
            await _revoke(update, context, lang, target)
        else:
            reply(update, t(lang, "invite-usage"))
        return
    kind = KINDS.get(verb) if args else None
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


async def on_invite_revoke(update: Update, context: Context) -> None:
    """A revoke button under the /invite list: re-checked, revoked, the list redrawn."""
    actor, lang = await who(update, context)
    query = update.callback_query
    assert query is not None
    if actor is None or actor.role is not Role.ADMIN:
        deny(update, lang, "err-admin-only")
        return
    try:
        code = InviteRevoke.unpack(query.data or "").code
    except BadCallback:
        deny(update, lang, "err-stale-button")
        return
    s = svc(context)
    try:
        await revoke_code(s.db, code, now=s.clock.now())
        answer(update, plain(lang, "invite-revoked-alert"))
    except InviteTargetError:
        answer(update, plain(lang, "invite-revoke-gone"), alert=True)
    items = await open_invites(s.db, now=s.clock.now(), bot_username=context.bot.username)
    text, markup = _open_list(lang, items, context)
    edit_in_place(update, text, markup)


def handlers() -> list[object]:
    return [
        CommandHandler("invite", cmd_invite),
        CallbackQueryHandler(on_invite_revoke, pattern=InviteRevoke.pattern()),
    ]
