"""Local stand-in for Telegram's Bot API that plays users, for end-to-end tests and the demo."""

from sandbox.core import ApiError, CallRecord
from sandbox.faults import FAULT_KINDS, DropAfterExecution
from sandbox.server import BotApiSandbox
from sandbox.users import CallbackAnswer, SimMessage, SimUser

__all__ = [
    "FAULT_KINDS",
    "ApiError",
    "BotApiSandbox",
    "CallRecord",
    "CallbackAnswer",
    "DropAfterExecution",
    "SimMessage",
    "SimUser",
]
