"""Refusals an operator reads: a Fluent key and its arguments, rendered in their language."""

from __future__ import annotations

import errno

from texts.i18n import plain


class OperatorError(Exception):
    """A refusal the operator reads: a cli.ftl key and its arguments, not an English sentence."""

    def __init__(self, key: str, **args_map: object) -> None:
        super().__init__(key, args_map)
        self.key = key
        self.args_map = args_map

    def render(self, lang: str) -> str:
        """The one-line message in the operator's language; nested refusals in the same one."""
        args = {
            k: v.render(lang) if isinstance(v, OperatorError) else v
            for k, v in self.args_map.items()
        }
        return plain(lang, self.key, **args)

    def __str__(self) -> str:  # logs and tracebacks stay English
        return self.render("en")


_OS_REASONS = {
    errno.EADDRINUSE: "cli-os-address-in-use",
    errno.EADDRNOTAVAIL: "cli-os-address-unavailable",
    errno.EACCES: "cli-os-permission",
    errno.EPERM: "cli-os-permission",
    errno.ENOENT: "cli-os-not-found",
    errno.ENOTDIR: "cli-os-not-folder",
    errno.EISDIR: "cli-os-is-folder",
    errno.ENOSPC: "cli-os-no-space",
    errno.EROFS: "cli-os-read-only",
}


def os_reason(exc: OSError) -> OperatorError:
    """An OSError's cause in the operator's words; only an unknown errno keeps libc's text."""
    key = _OS_REASONS.get(exc.errno or 0)
    if key is not None:
        return OperatorError(key)
    return OperatorError("cli-os-other", code=exc.errno or 0, detail=str(exc.strerror or exc))
