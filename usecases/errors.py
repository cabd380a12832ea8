"""Refusals an operator reads: a Fluent key and its arguments, rendered in their language."""

from __future__ import annotations

from texts.i18n import plain


class OperatorError(Exception):
    """A refusal the operator reads: a cli.ftl key and its arguments, not an English sentence."""

    def __init__(self, key: str, **args_map: object) -> None:
        super().__init__(key, args_map)
        self.key = key
        self.args_map = args_map

    def render(self, lang: str) -> str:
        """The one-line message in the operator's language."""
        return plain(lang, self.key, **self.args_map)

    def __str__(self) -> str:  # logs and tracebacks stay English
        return self.render("en")
