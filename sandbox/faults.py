"""Seeded fault injection: a fraction of Bot API calls fail the ways Telegram's front end does.

Kinds:
  500          JSON "Internal Server Error", not executed
  502          nginx's HTML "502 Bad Gateway" page, not executed
  429          a spurious "Too Many Requests: retry after 1|2", not executed
  timeout      held for timeout_seconds, then the connection is closed; not executed
  drop_before  the connection is closed at once without an answer; not executed
  drop_after   executed (the user really gets the message), then closed without an answer
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

logger = logging.getLogger(__name__)

FAULT_KINDS: tuple[str, ...] = ("500", "502", "429", "timeout", "drop_before", "drop_after")
# Calls a client makes once at start-up or in a loop it cannot pace; faulting them by
# default would only test PTB's start-up, not the bot.
EXEMPT_METHODS = frozenset({"getupdates", "getme", "setmycommands"})
DEFAULT_TIMEOUT_SECONDS = 3.0

BAD_GATEWAY_HTML = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    "</body>\r\n</html>\r\n"
)


@dataclass(frozen=True)
class DropAfterExecution:
    """A call that took effect although its client never heard back: retrying duplicates it."""

    method: str
    chat_id: int | None
    text: str | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class FaultInjector:
    """Decides, with its own seeded RNG, which calls fail and how; counts what it did."""

    def __init__(self, timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        self.rate = 0.0
        self.kinds: tuple[str, ...] = FAULT_KINDS
        self.methods: frozenset[str] | None = None
        self._method_keys: frozenset[str] | None = None
        self.seed: int | None = None
        self.timeout_seconds = timeout_seconds
        self._rng = random.Random()
        self.injected: Counter[tuple[str, str]] = Counter()
        self.drop_after: list[DropAfterExecution] = []

    def configure(
        self,
        rate: float,
        kinds: Iterable[str] = FAULT_KINDS,
        methods: Iterable[str] | None = None,
        seed: int | None = None,
        timeout_seconds: float | None = None,
    ) -> None:
        """Fail `rate` of the eligible calls with kinds drawn uniformly; reseeds the RNG."""
        chosen = tuple(dict.fromkeys(str(k) for k in kinds))
        unknown = [k for k in chosen if k not in FAULT_KINDS]
        if unknown:
            raise ValueError(f"unknown fault kinds {unknown}; known: {list(FAULT_KINDS)}")
        if not 0.0 <= rate <= 1.0:
            raise ValueError("rate must be between 0 and 1")
        if rate > 0 and not chosen:
            raise ValueError("at least one fault kind is needed")
        if timeout_seconds is not None and timeout_seconds < 0:
            raise ValueError("timeout_seconds must be >= 0")
        self.rate = rate
        self.kinds = chosen
        names = None if methods is None else frozenset(methods)
        self.methods = names
        self._method_keys = None if names is None else frozenset(m.lower() for m in names)
        self.seed = seed
        self._rng = random.Random(seed)
        if timeout_seconds is not None:
            self.timeout_seconds = timeout_seconds
        logger.info("sandbox faults: %s", self.config())

    def clear(self) -> None:
        """No more faults; the counters stay for the stats."""
        self.rate = 0.0
        logger.info("sandbox faults cleared")

    def eligible(self, method: str) -> bool:
        key = method.lower()
        if self._method_keys is None:
            return key not in EXEMPT_METHODS
        return key in self._method_keys

    def draw(self, method: str) -> str | None:
        """The fault for this call of `method`, or None to answer it normally."""
        if self.rate <= 0 or not self.kinds or not self.eligible(method):
            return None
        if self._rng.random() >= self.rate:
            return None
        kind = self._rng.choice(self.kinds)
        self.injected[(kind, method)] += 1
        logger.debug("sandbox fault %s on %s", kind, method)
        return kind

    def retry_after(self) -> int:
        """The spurious 429's retry_after: 1 or 2 seconds."""
        return self._rng.choice((1, 2))

    def record_drop_after(self, method: str, chat_id: int | None, text: str | None) -> None:
        self.drop_after.append(DropAfterExecution(method, chat_id, text))

    def reset_stats(self) -> None:
        self.injected.clear()
        self.drop_after.clear()

    def config(self) -> dict[str, Any]:
        """The current mix as the control API shows it."""
        return {
            "rate": self.rate,
            "kinds": list(self.kinds),
            "methods": None if self.methods is None else sorted(self.methods),
            "seed": self.seed,
            "timeout_seconds": self.timeout_seconds,
        }

    def stats(self) -> dict[str, Any]:
        """What was injected: totals by kind, by method, and by kind then method."""
        by_kind: Counter[str] = Counter()
        by_method: Counter[str] = Counter()
        nested: dict[str, dict[str, int]] = {}
        for (kind, method), count in sorted(self.injected.items()):
            by_kind[kind] += count
            by_method[method] += count
            nested.setdefault(kind, {})[method] = count
        return {
            "config": self.config(),
            "injected": sum(by_kind.values()),
            "by_kind": dict(by_kind),
            "by_method": dict(by_method),
            "by_kind_and_method": nested,
        }
