"""Run the sandbox Bot API standalone: python -m sandbox --host 127.0.0.1 --port 8081."""

from __future__ import annotations

import argparse
import asyncio
import logging

from sandbox.server import BotApiSandbox

logger = logging.getLogger(__name__)


async def _serve(args: argparse.Namespace) -> None:
    sandbox = BotApiSandbox(args.bot_username, flood_control=not args.no_flood_control)
    await sandbox.start(args.host, args.port)
    print(f"base_url={sandbox.base_url}", flush=True)
    print(f"base_file_url={sandbox.base_file_url}", flush=True)
    print(f"control API: {sandbox.root_url}/sandbox/api/users", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await sandbox.stop()


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--bot-username", default="envoy_test_bot")
    parser.add_argument("--no-flood-control", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    try:
        asyncio.run(_serve(args))
    except KeyboardInterrupt:
        logger.info("stopped")


if __name__ == "__main__":
    main()
