"""A bare python-telegram-bot echo bot, run as its own process by the load benchmarks.

Run: python benchmarks/echo_ptb.py --base-url http://127.0.0.1:PORT/bot  (token from
TELEGRAM_BOT_TOKEN). Text is echoed back; a button press is answered, the pressed message
loses its keyboard and a new message with the next button is sent (the shape of an envoy's
accept press). Default Application settings: this is the reference the bot is compared with.
"""

from __future__ import annotations

import argparse
import logging
import os
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

logger = logging.getLogger(__name__)


def next_button(data: str) -> InlineKeyboardMarkup:
    """A keyboard whose one button carries the press counter one further."""
    try:
        count = int(data.split(":", 1)[1]) + 1
    except (IndexError, ValueError):
        count = 0
    return InlineKeyboardMarkup([[InlineKeyboardButton("again", callback_data=f"e:{count}")]])


async def echo(update: Update, context: Any) -> None:
    """Send the text back."""
    del context
    message = update.effective_message
    if message is not None and message.text:
        await message.reply_text(message.text)


async def pressed(update: Update, context: Any) -> None:
    """Answer the query, clear the pressed keyboard, send the next button."""
    del context
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    data = query.data or ""
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(None)
        await query.message.chat.send_message(f"pressed {data}", reply_markup=next_button(data))


def main(argv: list[str] | None = None) -> None:
    """Long-poll the given Bot API until SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", required=True, help="Bot API base, ending in /bot")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "")
    app = Application.builder().token(token).base_url(args.base_url).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.add_handler(CallbackQueryHandler(pressed))
    app.run_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0)


if __name__ == "__main__":
    main()
