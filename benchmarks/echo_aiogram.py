"""An aiogram 3 echo bot, run as its own process by the load benchmarks (a second reference).

Run: python benchmarks/echo_aiogram.py --server http://127.0.0.1:PORT  (token from
TELEGRAM_BOT_TOKEN). Same behaviour as echo_ptb.py: text echoed; a press answered, its
keyboard cleared and a new message with the next button sent. Default Dispatcher settings.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os

from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

logger = logging.getLogger(__name__)


def next_button(data: str) -> InlineKeyboardMarkup:
    """A keyboard whose one button carries the press counter one further."""
    try:
        count = int(data.split(":", 1)[1]) + 1
    except (IndexError, ValueError):
        count = 0
    button = InlineKeyboardButton(text="again", callback_data=f"e:{count}")
    return InlineKeyboardMarkup(inline_keyboard=[[button]])


async def echo(message: Message) -> None:
    """Send the text back."""
    if message.text:
        await message.answer(message.text)


async def pressed(query: CallbackQuery) -> None:
    """Answer the query, clear the pressed keyboard, send the next button."""
    await query.answer()
    data = query.data or ""
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(f"pressed {data}", reply_markup=next_button(data))


async def serve(server: str, token: str) -> None:
    """Long-poll until SIGTERM (aiogram stops polling on the signal)."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(server))
    bot = Bot(token, session=session)
    dispatcher = Dispatcher()
    dispatcher.message.register(echo, F.text)
    dispatcher.callback_query.register(pressed)
    try:
        await dispatcher.start_polling(bot)
    finally:
        await bot.session.close()


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and serve."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server", required=True, help="Bot API root, e.g. http://127.0.0.1:8081")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    asyncio.run(serve(args.server, os.environ.get("TELEGRAM_BOT_TOKEN", "")))


if __name__ == "__main__":
    main()
