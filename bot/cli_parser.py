"""The `envoybot` argument parser, with every text (argparse's own too) from cli.ftl."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from texts.i18n import plain

# argparse's own messages (it looks them up through gettext at call time) and their cli.ftl keys
_ARGPARSE_KEYS = {
    "usage: ": "cli-argparse-usage",
    "positional arguments": "cli-argparse-positionals",
    "options": "cli-argparse-options",
    "show this help message and exit": "cli-argparse-help",
    "%(prog)s: error: %(message)s\n": "cli-argparse-error",
    "argument %(argument_name)s: %(message)s": "cli-argparse-argument",
    "unrecognized arguments: %s": "cli-argparse-unrecognized",
    "not allowed with argument %s": "cli-argparse-not-allowed-with",
    "the following arguments are required: %s": "cli-argparse-required",
    "one of the arguments %s is required": "cli-argparse-one-required",
    "expected one argument": "cli-argparse-expected-one",
    "expected at most one argument": "cli-argparse-expected-at-most-one",
    "expected at least one argument": "cli-argparse-expected-at-least-one",
    "expected %s argument": "cli-argparse-expected-n",
    "expected %s arguments": "cli-argparse-expected-n",
    "ambiguous option: %(option)s could match %(matches)s": "cli-argparse-ambiguous",
    "invalid %(type)s value: %(value)r": "cli-argparse-invalid-value",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli-argparse-invalid-choice",
    "ignored explicit argument %r": "cli-argparse-ignored-value",
}


def _translator(lang: str) -> Callable[[str], str]:
    def gettext(message: str) -> str:
        key = _ARGPARSE_KEYS.get(message)
        if key is None:
            return message
        tail = message[len(message.rstrip()) :]  # Fluent trims the trailing space or newline
        return plain(lang, key) + tail

    return gettext


@contextmanager
def argparse_speaks(lang: str) -> Iterator[None]:
    """argparse's usage, titles and errors in the operator's language while parsing."""
    gettext = _translator(lang)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    hooks = {"_": gettext, "ngettext": ngettext}  # the names argparse calls its texts through
    saved = {name: getattr(argparse, name) for name in hooks}
    for name, hook in hooks.items():
        setattr(argparse, name, hook)
    try:
        yield
    finally:
        for name, hook in saved.items():
            setattr(argparse, name, hook)


def _port(lang: str) -> Callable[[str], int]:
    def port(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = -1
        if not 0 <= value <= 65535:  # 0: any free port
            raise argparse.ArgumentTypeError(plain(lang, "cli-bad-port", value=text))
        return value

    return port


def _subcommands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], lang: str
) -> dict[str, argparse.ArgumentParser]:
    def h(key: str) -> str:
        return plain(lang, key)

    def command(
        name: str, key: str, details: str | None = None, **kwargs: object
    ) -> argparse.ArgumentParser:
        description = h(details or key)
        return sub.add_parser(name, help=h(key), description=description, **kwargs)  # type: ignore[arg-type]

    made = {"run": command("run", "cli-help-run", "cli-help-run-details")}
    p = made["run"]
    p.add_argument("--webhook", metavar="URL", help=h("cli-help-run-webhook"))
    p.add_argument("--listen", metavar=h("cli-metavar-address"), help=h("cli-help-run-listen"))
    p.add_argument("--port", type=_port(lang), default=None, help=h("cli-help-run-port"))

    p = made["import"] = command(
        "import",
        "cli-help-import",
        "cli-help-import-details",
        epilog=h("cli-help-import-columns"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", nargs="?", metavar=h("cli-metavar-file"), help=h("cli-help-import-file"))
    p.add_argument("--template", metavar=h("cli-metavar-file"), help=h("cli-help-import-template"))
    p.add_argument("--departments", action="store_true", help=h("cli-help-import-departments"))

    p = made["invite"] = command("invite", "cli-help-invite", "cli-help-invite-details")
    who = p.add_mutually_exclusive_group(required=True)
    name = h("cli-metavar-name")
    who.add_argument("--enterprise", metavar=name, help=h("cli-help-invite-enterprise"))
    who.add_argument("--envoy", metavar=name, help=h("cli-help-invite-envoy"))
    who.add_argument("--lead", metavar=h("cli-metavar-team"), help=h("cli-help-invite-lead"))
    who.add_argument("--department", metavar=name, help=h("cli-help-invite-department"))
    who.add_argument("--admin", action="store_true", help=h("cli-help-invite-admin"))
    who.add_argument("--all", action="store_true", help=h("cli-help-invite-all"))
    who.add_argument("--list", action="store_true", help=h("cli-help-invite-list"))
    who.add_argument("--revoke", metavar=h("cli-metavar-code"), help=h("cli-help-invite-revoke"))
    who.add_argument("--revoke-person", metavar=name, help=h("cli-help-invite-revoke-person"))
    p.add_argument("--json", action="store_true", help=h("cli-help-json"))

    p = made["stats"] = command("stats", "cli-help-stats")
    p.add_argument(
        "--period", choices=["week", "month", "all"], default="all", help=h("cli-help-period")
    )

    p = made["export"] = command("export", "cli-help-export", "cli-help-export-details")
    p.add_argument("file", metavar=h("cli-metavar-xlsx"), help=h("cli-help-export-file"))

    p = made["agenda"] = command("agenda", "cli-help-agenda", "cli-help-agenda-details")
    p.add_argument("file", metavar=h("cli-metavar-xlsx"), help=h("cli-help-agenda-file"))

    p = made["backup"] = command("backup", "cli-help-backup")
    p.add_argument("file", metavar=h("cli-metavar-file"), help=h("cli-help-backup-file"))
    p.add_argument("--force", action="store_true", help=h("cli-help-backup-force"))

    p = made["db"] = command("db", "cli-help-db", "cli-help-db-details")
    actions = p.add_subparsers(
        dest="action",
        required=True,
        title=h("cli-help-commands"),
        help=h("cli-help-db-action"),
    )
    p = made["db copy"] = actions.add_parser(
        "copy", help=h("cli-help-db-copy"), description=h("cli-help-db-copy")
    )
    p.add_argument("source", metavar="SRC", help=h("cli-help-db-copy-source"))
    p.add_argument("target", metavar="DST", help=h("cli-help-db-copy-target"))

    p = made["web"] = command("web", "cli-help-web", "cli-help-web-details")
    p.add_argument("--port", type=_port(lang), default=None, help=h("cli-help-web-port"))
    p.add_argument("--host", default=None, help=h("cli-help-web-host"))

    p = made["demo"] = command("demo", "cli-help-demo", "cli-help-demo-details")
    p.add_argument("--port", type=_port(lang), default=8080, help=h("cli-help-demo-port"))
    p.add_argument("--db", default=None, metavar=h("cli-metavar-file"), help=h("cli-help-demo-db"))
    # the operator's language (ENVOYBOT_LANG) unless --lang says otherwise
    demo_lang = lang if lang in ("zh", "en") else "zh"
    p.add_argument("--lang", choices=["zh", "en"], default=demo_lang, help=h("cli-help-demo-lang"))
    return made


def build_parser(lang: str) -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The parser and its subcommand parsers; build it inside argparse_speaks(lang)."""
    parser = argparse.ArgumentParser(prog="envoybot", description=plain(lang, "cli-help-envoybot"))
    parser.add_argument(
        "-v", "--verbose", action="store_true", help=plain(lang, "cli-help-verbose")
    )
    sub = parser.add_subparsers(
        dest="command",
        required=True,
        title=plain(lang, "cli-help-commands"),
        help=plain(lang, "cli-help-command"),
    )
    return parser, _subcommands(sub, lang)


def parse_args(argv: Sequence[str] | None, lang: str) -> argparse.Namespace:
    """Parse the command line in the operator's language (help, usage and errors alike)."""
    with argparse_speaks(lang):
        parser, commands = build_parser(lang)
        args = parser.parse_args(argv)
        if args.command == "import" and (args.file is None) == (args.template is None):
            commands["import"].error(plain(lang, "cli-import-file-or-template"))
    return args
