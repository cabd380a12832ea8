"""A real PTB Application polls the sandbox and echoes what a simulated user writes."""

from __future__ import annotations

import time

import pytest
from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from sandbox import BotApiSandbox

from .conftest import TOKEN

pytestmark = pytest.mark.e2e


async def test_echo_application(sandbox: BotApiSandbox) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_html(
            f"<b>echo</b> {update.effective_message.text_html}", do_quote=True
        )

    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(sandbox.base_url)
        .base_file_url(sandbox.base_file_url)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    user = sandbox.user(60, "Dan")
    started = time.monotonic()
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        await user.send_text("你好 <world> & co")
        reply = await user.wait_for(lambda m: m.text.startswith("echo"), timeout=5)
        assert reply.text == "echo 你好 <world> & co"
        assert reply.html == "<b>echo</b> 你好 &lt;world&gt; &amp; co"
        assert reply.reply_to_message_id is not None
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
    assert time.monotonic() - started < 5
    assert not sandbox.errors
    assert sandbox.pending_updates == 0
