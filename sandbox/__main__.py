"""Run the sandbox Bot API standalone: python -m sandbox --host 127.0.0.1 --port 8081."""

from __future__ import annotations

import argparse
import asyncio
import logging

from sandbox.control import PREFIX
from sandbox.faults import DEFAULT_TIMEOUT_SECONDS, FAULT_KINDS
from sandbox.server import BotApiSandbox

logger = logging.getLogger(__name__)


def _sandbox(args: argparse.Namespace) -> BotApiSandbox:
    """The sandbox the options describe, faults already set if --faults asks for them."""
    sandbox = BotApiSandbox(
        args.bot_username,
        flood_control=not args.no_flood_control,
        flood_limit=args.flood_limit,
        flood_window=args.flood_window,
        per_chat_burst=args.per_chat_burst or None,
        per_chat_rate=args.per_chat_rate,
        fault_timeout_seconds=args.fault_timeout,
    )
    if args.faults > 0:
        kinds = [k.strip() for k in args.fault_kinds.split(",") if k.strip()]
        sandbox.set_faults(args.faults, kinds=kinds, seed=args.fault_seed)
    return sandbox


async def _serve(sandbox: BotApiSandbox, args: argparse.Namespace) -> None:
    await sandbox.start(args.host, args.port)
    print(f"base_url={sandbox.base_url}", flush=True)
    print(f"base_file_url={sandbox.base_file_url}", flush=True)
    print(f"control API: {sandbox.root_url}{PREFIX}/users", flush=True)
    print(f"faults, flood, stats: {sandbox.root_url}{PREFIX}/faults|flood|stats", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await sandbox.stop()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--bot-username", default="envoy_test_bot")
    parser.add_argument("--no-flood-control", action="store_true")
    parser.add_argument("--flood-limit", type=int, default=30, help="sends per window, all chats")
    parser.add_argument("--flood-window", type=float, default=1.0, help="seconds")
    parser.add_argument(
        "--per-chat-burst", type=int, default=3, help="sends at once to one chat (0: no limit)"
    )
    parser.add_argument(
        "--per-chat-rate", type=float, default=1.0, help="sends per second to one chat"
    )
    parser.add_argument(
        "--faults", type=float, default=0.0, metavar="RATE", help="fraction of calls to fail"
    )
    parser.add_argument("--fault-seed", type=int, default=None)
    parser.add_argument(
        "--fault-kinds", default=",".join(FAULT_KINDS), help="comma-separated fault kinds"
    )
    parser.add_argument(
        "--fault-timeout",
        type=float,
        default=DEFAULT_TIMEOUT_SECONDS,
        help="seconds a 'timeout' fault holds the call",
    )
    return parser


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and serve until interrupted."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    try:
        sandbox = _sandbox(args)
    except ValueError as exc:
        raise SystemExit(f"python -m sandbox: {exc}") from None
    try:
        asyncio.run(_serve(sandbox, args))
    except KeyboardInterrupt:
        logger.info("stopped")


if __name__ == "__main__":
    main()
