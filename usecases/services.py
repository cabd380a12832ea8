"""Everything a use case needs: settings, clock, repositories and the ports to the outside."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.config import Settings
from domain.clock import Clock
from storage.accounts_repo import AccountsRepo
from storage.db import Database
from storage.departments_repo import DepartmentsRepo
from storage.dispatches_repo import DispatchesRepo
from storage.invites_repo import InvitesRepo
from storage.org_repo import OrgRepo
from storage.outbox_repo import OutboxRepo
from storage.problems_repo import ProblemsRepo
from usecases.ports import SILENT, DispatchPort, NoticePort


@dataclass
class Services:
    """The application's shared parts: settings, clock, database and repositories."""

    settings: Settings
    clock: Clock
    db: Database
    org: OrgRepo = field(init=False)
    accounts: AccountsRepo = field(init=False)
    invites: InvitesRepo = field(init=False)
    departments: DepartmentsRepo = field(init=False)
    dispatches: DispatchesRepo = field(init=False)
    problems: ProblemsRepo = field(init=False)
    outbox: OutboxRepo = field(init=False)
    notices: NoticePort = SILENT
    dispatch: DispatchPort = SILENT

    def __post_init__(self) -> None:
        self.org = OrgRepo(self.db)
        self.accounts = AccountsRepo(self.db)
        self.invites = InvitesRepo(self.db)
        self.departments = DepartmentsRepo(self.db)
        self.dispatches = DispatchesRepo(self.db)
        self.problems = ProblemsRepo(self.db)
        self.outbox = OutboxRepo(self.db)
