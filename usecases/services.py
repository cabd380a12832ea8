"""Everything a handler needs, built once per Application and kept in bot_data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.config import Settings
from domain.clock import Clock
from storage.accounts_repo import AccountsRepo
from storage.db import Database
from storage.invites_repo import InvitesRepo
from storage.org_repo import OrgRepo
from storage.problems_repo import ProblemsRepo

if TYPE_CHECKING:
    from telegram.ext import Application


@dataclass
class Services:
    """The application's shared parts: settings, clock, database and repositories."""

    settings: Settings
    clock: Clock
    db: Database
    org: OrgRepo = field(init=False)
    accounts: AccountsRepo = field(init=False)
    invites: InvitesRepo = field(init=False)
    problems: ProblemsRepo = field(init=False)
    extras: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.org = OrgRepo(self.db)
        self.accounts = AccountsRepo(self.db)
        self.invites = InvitesRepo(self.db)
        self.problems = ProblemsRepo(self.db)


SERVICES_KEY = "envoyusecases.services"


def services_of(application: Application[Any, Any, Any, Any, Any, Any]) -> Services:
    """The Services object stored on an Application by bot.app.build_application."""
    found = application.bot_data.get(SERVICES_KEY)
    if not isinstance(found, Services):
        raise RuntimeError("Application was not built by bot.app.build_application")
    return found
