"""Typed, compact callback data (≤ 64 bytes); a press is a request, never a permission."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import ClassVar, TypeVar

MAX_BYTES = 64
T = TypeVar("T", bound="CallbackData")


class BadCallback(ValueError):
    """Callback data that does not parse: stale, foreign or forged."""


@dataclass(frozen=True)
class CallbackData:
    """Base: `prefix:field:field…`; fields are int or str without ':'."""

    prefix: ClassVar[str]

    def pack(self) -> str:
        parts = [self.prefix]
        for f in fields(self):
            value = str(getattr(self, f.name))
            if ":" in value:
                raise ValueError(f"':' not allowed in callback field {f.name}")
            parts.append(value)
        data = ":".join(parts)
        if len(data.encode("utf-8")) > MAX_BYTES:
            raise ValueError(f"callback data too long: {data!r}")
        return data

    @classmethod
    def matches(cls, data: object) -> bool:
        return isinstance(data, str) and data.split(":", 1)[0] == cls.prefix

    @classmethod
    def unpack(cls: type[T], data: str) -> T:
        parts = data.split(":")
        own = fields(cls)
        if parts[0] != cls.prefix or len(parts) != len(own) + 1:
            raise BadCallback(data)
        values: dict[str, object] = {}
        for f, raw in zip(own, parts[1:], strict=True):
            if f.type in ("int", int):
                try:
                    values[f.name] = int(raw)
                except ValueError as exc:
                    raise BadCallback(data) from exc
            else:
                values[f.name] = raw
        return cls(**values)

    @classmethod
    def pattern(cls) -> str:
        return f"^{cls.prefix}:"


@dataclass(frozen=True)
class ReportStep(CallbackData):
    """A button inside the /report conversation (category pick, done, submit, edit…)."""

    prefix: ClassVar[str] = "r"
    step: str
    value: str = "-"


@dataclass(frozen=True)
class ProblemAct(CallbackData):
    """An action on a problem: accept/note/escalate/resolve/confirm/reject/rate/…"""

    prefix: ClassVar[str] = "a"
    action: str
    problem_id: int
    arg: int = 0


@dataclass(frozen=True)
class DispatchPick(CallbackData):
    """Dispatching a problem: start, toggle a department (arg), next, deadline (arg hours)."""

    prefix: ClassVar[str] = "dp"
    op: str
    problem_id: int
    arg: int = 0


@dataclass(frozen=True)
class DeptStep(CallbackData):
    """A department's step on its dispatch: sign / progress / internal / done / return."""

    prefix: ClassVar[str] = "ds"
    step: str
    dispatch_id: int


@dataclass(frozen=True)
class ProblemView(CallbackData):
    """Open a problem's detail, optionally at a timeline page."""

    prefix: ClassVar[str] = "v"
    problem_id: int
    page: int = 0


@dataclass(frozen=True)
class ListPage(CallbackData):
    """A page of a list (/my, /inbox, /overdue)."""

    prefix: ClassVar[str] = "l"
    kind: str
    page: int


@dataclass(frozen=True)
class LangPick(CallbackData):
    """/language choice."""

    prefix: ClassVar[str] = "lang"
    code: str


@dataclass(frozen=True)
class Cancel(CallbackData):
    """Cancel the pending text input."""

    prefix: ClassVar[str] = "x"
    what: str = "-"


@dataclass(frozen=True)
class StatsView(CallbackData):
    """/stats period and breakdown switch."""

    prefix: ClassVar[str] = "s"
    period: str
    breakdown: str


@dataclass(frozen=True)
class InviteRevoke(CallbackData):
    """Revoke an open invite code from an admin's /invite list."""

    prefix: ClassVar[str] = "iv"
    code: str
