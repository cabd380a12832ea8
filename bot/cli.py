"""The `envoybot` command: run, import, invite, stats, export, backup, demo."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from bot.config import ConfigError, Settings, load_settings

logger = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="envoybot", description="envoybot — 137 problem desk")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("run", help="run the bot (needs TELEGRAM_BOT_TOKEN)")

    p_import = sub.add_parser("import", help="import a roster (.csv or .xlsx)")
    p_import.add_argument("file")

    p_invite = sub.add_parser("invite", help="print invite codes and deep links")
    who = p_invite.add_mutually_exclusive_group(required=True)
    who.add_argument("--enterprise", metavar="NAME")
    who.add_argument("--envoy", metavar="NAME")
    who.add_argument("--lead", metavar="TEAM")
    who.add_argument("--admin", action="store_true")
    who.add_argument("--all", action="store_true", help="everyone without a bound account")
    p_invite.add_argument("--json", action="store_true", help="machine-readable output")

    p_stats = sub.add_parser("stats", help="print the programme's figures")
    p_stats.add_argument("--period", choices=["week", "month", "all"], default="all")

    p_export = sub.add_parser("export", help="write the problem list and figures to .xlsx")
    p_export.add_argument("file")

    p_backup = sub.add_parser("backup", help="online backup of the SQLite file")
    p_backup.add_argument("file")

    p_demo = sub.add_parser("demo", help="the whole product locally, no token needed")
    p_demo.add_argument("--port", type=int, default=8080)
    p_demo.add_argument("--db", default=None)
    p_demo.add_argument("--lang", choices=["zh", "en"], default="zh")
    return parser


async def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    """Run one offline subcommand against the database."""
    if args.command == "import":
        from bot.roster_cli import import_command

        return await import_command(settings, args.file)
    if args.command == "invite":
        from bot.invite_cli import invite_command

        return await invite_command(settings, args)
    if args.command == "stats":
        from bot.report_cli import stats_command

        return await stats_command(settings, args.period)
    if args.command == "export":
        from bot.report_cli import export_command

        return await export_command(settings, args.file)
    if args.command == "backup":
        from bot.maintenance import backup_command

        return await backup_command(settings, args.file)
    raise AssertionError(args.command)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG
        if args.verbose
        else (logging.INFO if args.command == "run" else logging.WARNING),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        settings = load_settings()
        if args.command == "run":
            settings.require_token()
            from bot.app import run_polling

            run_polling(settings)
            return 0
        if args.command == "demo":
            from bot.demo import run_demo

            return run_demo(settings, port=args.port, db=args.db, lang=args.lang)
        return asyncio.run(_dispatch(args, settings))
    except ConfigError as exc:
        print(f"envoybot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
