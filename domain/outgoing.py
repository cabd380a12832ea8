"""A message the bot owes a person: plain data, written to the outbox with the change."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Delivery order between people waiting at once: the person who acted first, then those
# told about it, then the clock's reminders and digests.
TO_ACTOR = 0
TO_OTHERS = 1
FROM_CLOCK = 2


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One Bot API call owed to one chat (sendMessage, editMessageText, sendPhoto, …)."""

    chat_id: int
    method: str
    params: dict[str, Any]
    priority: int = TO_OTHERS
    upload: bytes | None = None  # the photo or document itself, when it is not a file_id
    reroute: dict[str, Any] | None = None  # what to do instead when the person blocked the bot
    fallback: dict[str, Any] | None = None  # e.g. send anew when the message to edit is gone


@dataclass(frozen=True, slots=True)
class Queued:
    """An outgoing message with its outbox id (None: a reply not owed by any change)."""

    message: Outgoing
    outbox_id: int | None = None
    attempts: int = 0
    # "label": the sender keeps this message's id under that name (a prompt of a conversation);
    # "at_label" (with "spare"): aim this call at the message kept under that name, once
    meta: dict[str, Any] = field(default_factory=dict)
