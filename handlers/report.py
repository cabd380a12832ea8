"""/report: category → description → files → summary → committed problem number."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from domain.descriptions import long_enough, meaningful_length
from domain.models import Role
from handlers.common import (
    Context,
    answer,
    clear_buttons,
    clear_prompt,
    edit_in_place,
    origin_of,
    prompt,
    prune_buttons,
    reply,
    run_again,
    svc,
    who,
)
from handlers.keyboards import REPORT_BUTTON_RE
from handlers.unsupported import unsupported_prefix
from storage.problems_repo import NewAttachment
from texts.callbacks import BadCallback, ReportStep
from texts.i18n import plain, t
from usecases.workflow import register_problem

logger = logging.getLogger(__name__)

CATEGORY, DESCRIPTION, FILES, CONFIRM = range(4)
# The report's latest prompt with buttons: a new one takes the buttons off the one before.
PROMPT = "report"
MAX_DESCRIPTION = 3000
MAX_FILES = 10
MAX_FILE_BYTES = 20 * 1024 * 1024
ACCEPTED_MIME_PREFIXES = (
    "image/",
    "text/plain",
    "application/pdf",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.",
    "application/zip",
    "application/x-zip-compressed",
)


def _draft(context: Context) -> dict[str, Any]:
    data = context.user_data if context.user_data is not None else {}
    draft = data.get("draft")
    if not isinstance(draft, dict):
        draft = {"category": None, "description": None, "files": [], "editing": False}
        data["draft"] = draft
    return draft


def _cancel_button(lang: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        plain(lang, "btn-cancel"), callback_data=ReportStep("cancel").pack()
    )


def _category_keyboard(context: Context, lang: str) -> InlineKeyboardMarkup:
    cats = svc(context).settings.categories
    buttons = [
        InlineKeyboardButton(
            plain(lang, f"category-{c}"), callback_data=ReportStep("cat", c).pack()
        )
        for c in cats
    ]
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    rows.append([_cancel_button(lang)])
    return InlineKeyboardMarkup(rows)


def _files_keyboard(lang: str, count: int) -> InlineKeyboardMarkup:
    step = ReportStep("done") if count else ReportStep("skip")
    label = plain(lang, "btn-files-done") if count else plain(lang, "btn-files-skip")
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=step.pack()), _cancel_button(lang)]]
    )


def _summary_keyboard(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    plain(lang, "btn-submit"), callback_data=ReportStep("submit").pack()
                )
            ],
            [
                InlineKeyboardButton(
                    plain(lang, "btn-edit-category"), callback_data=ReportStep("edit", "cat").pack()
                ),
                InlineKeyboardButton(
                    plain(lang, "btn-edit-description"),
                    callback_data=ReportStep("edit", "desc").pack(),
                ),
            ],
            [
                InlineKeyboardButton(
                    plain(lang, "btn-edit-files"), callback_data=ReportStep("edit", "files").pack()
                ),
                _cancel_button(lang),
            ],
        ]
    )


async def _show_summary(update: Update, context: Context, lang: str) -> int:
    draft = _draft(context)
    draft["editing"] = False
    text = t(
        lang,
        "report-summary",
        category=plain(lang, f"category-{draft['category']}"),
        description=draft["description"] or "",
        files=len(draft["files"]),
    )
    prompt(update, text, _summary_keyboard(lang), PROMPT)
    return CONFIRM


def _ask_category(update: Update, context: Context, lang: str) -> int:
    """The category buttons, as the report's one live keyboard."""
    prompt(update, t(lang, "report-choose-category"), _category_keyboard(context, lang), PROMPT)
    return CATEGORY


def _ask_description(update: Update, context: Context, lang: str) -> int:
    """Its Cancel stays good for the whole report, so no later prompt needs to take it off."""
    clear_prompt(update, PROMPT)  # the pressed category or summary message: no call
    minimum = svc(context).settings.min_description
    markup = InlineKeyboardMarkup([[_cancel_button(lang)]])
    reply(update, t(lang, "report-describe", minimum=minimum), reply_markup=markup)
    return DESCRIPTION


def _ask_files(update: Update, lang: str, text: str, count: int) -> int:
    """Every files-step answer carries the keyboard: "skip" before a file, "done" after."""
    prompt(update, text, _files_keyboard(lang, count), PROMPT)
    return FILES


async def start(update: Update, context: Context) -> int:
    """Entry: only enterprise staff report; everyone else is told who can."""
    actor, lang = await who(update, context)
    if actor is None:
        reply(update, t(lang, "err-not-registered"))
        return ConversationHandler.END
    if actor.role is not Role.STAFF:
        reply(update, t(lang, "report-staff-only"))
        return ConversationHandler.END
    if context.user_data is not None:
        context.user_data.pop("pending", None)
        context.user_data["draft"] = {
            "key": secrets.token_hex(8),
            "category": None,
            "description": None,
            "files": [],
            "editing": False,
        }
    return _ask_category(update, context, lang)


async def _press(update: Update) -> ReportStep | None:
    query = update.callback_query
    assert query is not None
    try:
        step = ReportStep.unpack(query.data or "")
    except BadCallback:
        return None
    answer(update)
    return step


async def on_category(update: Update, context: Context) -> int:
    _, lang = await who(update, context)
    step = await _press(update)
    cats = svc(context).settings.categories
    if step is None or step.step != "cat" or step.value not in cats:
        return _ask_category(update, context, lang)
    draft = _draft(context)
    draft["category"] = step.value
    edit_in_place(
        update, t(lang, "report-category-chosen", category=plain(lang, f"category-{step.value}"))
    )
    if draft.get("description"):
        return await _show_summary(update, context, lang)
    return _ask_description(update, context, lang)


async def on_description(update: Update, context: Context) -> int:
    _, lang = await who(update, context)
    message = update.effective_message
    assert message is not None and message.text is not None
    text = message.text.strip()
    minimum = svc(context).settings.min_description
    if not long_enough(text, minimum):
        length = meaningful_length(text)
        reply(update, t(lang, "report-too-short", minimum=minimum, length=length))
        return DESCRIPTION
    if len(text) > MAX_DESCRIPTION:
        reply(update, t(lang, "report-too-long", maximum=MAX_DESCRIPTION, length=len(text)))
        return DESCRIPTION
    draft = _draft(context)
    draft["description"] = text
    if draft.get("editing"):
        return await _show_summary(update, context, lang)
    return _ask_files(update, lang, t(lang, "report-files", maximum=MAX_FILES), 0)


def attachment_of(message: Message) -> NewAttachment | str:
    """The file in a message, or the i18n key of why it is not accepted."""
    if message.photo:
        best = message.photo[-1]
        return NewAttachment("photo", best.file_id, best.file_unique_id, None, "image/jpeg")
    doc = message.document
    if doc is None:
        return "report-file-wrong-kind"
    mime = (doc.mime_type or "").lower()
    if not mime.startswith(ACCEPTED_MIME_PREFIXES):
        return "report-file-wrong-kind"
    if doc.file_size and doc.file_size > MAX_FILE_BYTES:
        return "report-file-too-big"
    return NewAttachment("document", doc.file_id, doc.file_unique_id, doc.file_name, doc.mime_type)


async def on_file(update: Update, context: Context) -> int:
    _, lang = await who(update, context)
    message = update.effective_message
    assert message is not None
    draft = _draft(context)
    found = attachment_of(message)
    if isinstance(found, str):
        return _ask_files(update, lang, t(lang, found), len(draft["files"]))
    if len(draft["files"]) >= MAX_FILES:
        text = t(lang, "report-files-full", maximum=MAX_FILES)
        return _ask_files(update, lang, text, len(draft["files"]))
    draft["files"].append(
        {
            "kind": found.kind,
            "file_id": found.file_id,
            "file_unique_id": found.file_unique_id,
            "file_name": found.file_name,
            "mime_type": found.mime_type,
        }
    )
    count = len(draft["files"])
    text = t(lang, "report-file-added", count=count, maximum=MAX_FILES)
    return _ask_files(update, lang, text, count)


async def on_files_done(update: Update, context: Context) -> int:
    _, lang = await who(update, context)
    step = await _press(update)
    if step is None or step.step not in ("done", "skip"):
        return FILES
    clear_buttons(update)  # the step is over: no stale buttons
    return await _show_summary(update, context, lang)


async def on_confirm(update: Update, context: Context) -> int:
    """Submit commits then acknowledges; Edit jumps to one step and back to the summary."""
    actor, lang = await who(update, context)
    step = await _press(update)
    if step is None:
        return CONFIRM
    draft = _draft(context)
    if step.step == "edit":
        clear_buttons(update)  # the summary is shown again once the edit is made
        draft["editing"] = True
        if step.value == "cat":
            return _ask_category(update, context, lang)
        if step.value == "desc":
            return _ask_description(update, context, lang)
        draft["files"] = []
        return _ask_files(update, lang, t(lang, "report-files", maximum=MAX_FILES), 0)
    if step.step != "submit":
        return CONFIRM
    clear_prompt(update, PROMPT)  # the summary itself is replaced by the number
    if actor is None or actor.role is not Role.STAFF:
        reply(update, t(lang, "report-staff-only"))
        return ConversationHandler.END
    if not draft.get("category") or not draft.get("description"):
        reply(update, t(lang, "report-incomplete"))
        return ConversationHandler.END
    files = [NewAttachment(**f) for f in draft["files"]]
    # the number replaces the summary (owed, in the outbox); the draft ends with this update
    await register_problem(
        svc(context),
        actor,
        category=draft["category"],
        description=draft["description"],
        attachments=files,
        client_key=draft.get("key"),
        origin=origin_of(update, lang),
    )
    if context.user_data is not None:
        context.user_data.pop("draft", None)
    return ConversationHandler.END


async def cancel(update: Update, context: Context) -> int:
    _, lang = await who(update, context)
    if update.callback_query:
        answer(update)
        clear_buttons(update)
    clear_prompt(update, PROMPT)
    if context.user_data is not None:
        context.user_data.pop("draft", None)
    reply(update, t(lang, "report-cancelled"))
    return ConversationHandler.END


async def foreign_button(update: Update, context: Context) -> None:
    """A button from elsewhere pressed mid-report: finish or cancel the report first.

    A report button of another step is stale: it says so and that message loses them."""
    _, lang = await who(update, context)
    query = update.callback_query
    if query is None:
        return
    if ReportStep.matches(query.data):
        answer(update, plain(lang, "report-stale-step"), alert=True)
        prune_buttons(update, lambda data: not ReportStep.matches(data))
        return
    answer(update, plain(lang, "report-hint-finish-first"), alert=True)


def _step_hint(key: str) -> Any:
    async def _hint(update: Update, context: Context) -> int | None:
        _, lang = await who(update, context)
        if context.user_data is None or not isinstance(context.user_data.get("draft"), dict):
            # the report was already submitted (e.g. the bot stopped right after): the
            # conversation ends and what the person sent is handled as if it had not begun
            run_again(update, context)
            return ConversationHandler.END
        draft = _draft(context)
        minimum = svc(context).settings.min_description
        text = unsupported_prefix(lang, update.effective_message) + t(lang, key, minimum=minimum)
        markup: InlineKeyboardMarkup | None = None
        if key == "report-hint-category":
            markup = _category_keyboard(context, lang)
        elif key == "report-hint-files":
            markup = _files_keyboard(lang, len(draft["files"]))
        elif key == "report-hint-confirm":
            markup = _summary_keyboard(lang)
        if markup is None:
            reply(update, text)
        else:
            prompt(update, text, markup, PROMPT)
        return None

    return _hint


def conversation() -> ConversationHandler[Any]:
    """The persistent /report conversation."""
    entry = [
        CommandHandler("report", start, filters.ChatType.PRIVATE),
        MessageHandler(filters.ChatType.PRIVATE & filters.Regex(REPORT_BUTTON_RE), start),
    ]
    cancel_handlers: list[Any] = [
        CommandHandler("cancel", cancel),
        CallbackQueryHandler(cancel, pattern=r"^r:cancel:"),
    ]
    not_command = ~filters.COMMAND
    return ConversationHandler(
        entry_points=entry,  # type: ignore[arg-type]
        states={
            CATEGORY: [
                *cancel_handlers,
                CallbackQueryHandler(on_category, pattern=r"^r:cat:"),
                MessageHandler(filters.ALL & not_command, _step_hint("report-hint-category")),
            ],
            DESCRIPTION: [
                *cancel_handlers,
                MessageHandler(filters.TEXT & not_command, on_description),
                MessageHandler(filters.ALL & not_command, _step_hint("report-hint-description")),
            ],
            FILES: [
                *cancel_handlers,
                MessageHandler(filters.PHOTO | filters.Document.ALL, on_file),
                CallbackQueryHandler(on_files_done, pattern=r"^r:(done|skip):"),
                MessageHandler(filters.ALL & not_command, _step_hint("report-hint-files")),
            ],
            CONFIRM: [
                *cancel_handlers,
                CallbackQueryHandler(on_confirm, pattern=r"^r:(submit|edit):"),
                MessageHandler(filters.ALL & not_command, _step_hint("report-hint-confirm")),
            ],
        },
        fallbacks=[
            *cancel_handlers,
            CommandHandler("report", start),
            MessageHandler(filters.COMMAND, _step_hint("report-hint-command")),
            CallbackQueryHandler(foreign_button),
        ],
        name="report",
        persistent=True,
        allow_reentry=True,
    )
