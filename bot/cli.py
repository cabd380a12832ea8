"""The `envoybot` command: run, import, invite, stats, export, agenda, backup, db, demo."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from bot.cli_parser import parse_args
from bot.config import ConfigError, Settings, load_settings, operator_lang
from texts.i18n import plain

logger = logging.getLogger(__name__)


async def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    """Run one offline subcommand against the database."""
    if args.command == "import":
        from bot.roster_cli import import_command

        if args.template is not None:
            from bot.roster_cli import template_command

            return template_command(settings, args.template, departments=args.departments)
        return await import_command(settings, args.file, departments=args.departments)
    if args.command == "invite":
        from bot.invite_cli import invite_command

        return await invite_command(settings, args)
    if args.command == "stats":
        from bot.report_cli import stats_command

        return await stats_command(settings, args.period)
    if args.command == "export":
        from bot.report_cli import export_command

        return await export_command(settings, args.file)
    if args.command == "agenda":
        from bot.report_cli import agenda_command

        return await agenda_command(settings, args.file)
    if args.command == "db":
        from bot.db_cli import db_command

        return await db_command(settings, args.action, args.source, args.target)
    if args.command == "backup":
        from bot.maintenance import backup_command

        return await backup_command(settings, args.file, force=args.force)
    raise AssertionError(args.command)


def _with_webhook(settings: Settings, args: argparse.Namespace) -> Settings:
    """`envoybot run --webhook URL [--listen ADDR] [--port N]` over the ENVOYBOT_WEBHOOK_*."""
    given = {
        "ENVOYBOT_WEBHOOK_URL": args.webhook,
        "ENVOYBOT_WEBHOOK_LISTEN": args.listen,
        "ENVOYBOT_WEBHOOK_PORT": args.port,
    }
    overrides = {k: v for k, v in given.items() if v is not None}
    if not overrides:
        return settings
    return load_settings(**overrides)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    args = parse_args(argv, operator_lang())
    logging.basicConfig(
        level=logging.DEBUG
        if args.verbose
        else (logging.INFO if args.command in ("run", "web") else logging.WARNING),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        settings = load_settings()
        if args.command == "run":
            settings = _with_webhook(settings, args)
            settings.require_token()
            if settings.webhook_url is not None:
                from bot.app import run_webhook

                return run_webhook(settings)
            from bot.app import run_polling

            return run_polling(settings)
        if args.command == "web":
            from bot.web_cli import run_web

            return run_web(settings, port=args.port, host=args.host)
        if args.command == "demo":
            from bot.demo import run_demo

            return run_demo(settings, port=args.port, db=args.db, lang=args.lang)
        return asyncio.run(_dispatch(args, settings))
    except ConfigError as exc:
        print(plain(operator_lang(), "cli-config-failed", reason=str(exc)), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
