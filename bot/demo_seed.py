"""The demo programme, seeded through the paths a real deployment uses (roster, invites, /start).

Fixed Telegram user ids of the demo people:
  1000        admin (市协调办)
  1001–1010   one enterprise contact (staff) per enterprise, in roster order
  2001–2006   envoys (两名 per team)
  3001–3003   team leads
  4001–4003   one person of each functional department
"""

from __future__ import annotations

import asyncio
import logging
import struct
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.config import Settings
from domain.clock import ManualClock
from domain.dispatch import Step as DeptStep
from domain.lifecycle import Action
from domain.models import Actor, Problem, Role
from sandbox import BotApiSandbox, SimUser
from storage.db import Database
from storage.problems_repo import NewAttachment
from usecases.dispatch import dispatch_problem, take_step
from usecases.invites import make_invite
from usecases.roster import import_roster
from usecases.services import Services
from usecases.workflow import perform, register_problem

logger = logging.getLogger(__name__)

ADMIN_ID = 1000
ADMIN_NAME = "张主任"


@dataclass(frozen=True, slots=True)
class TeamSpec:
    name: str
    lead: str
    lead_id: int


@dataclass(frozen=True, slots=True)
class EnterpriseSpec:
    name: str
    envoy: str
    team: str
    staff_id: int
    staff_name: str


TEAMS = (
    TeamSpec("高新区工作队", "王芳", 3001),
    TeamSpec("经开区工作队", "赵强", 3002),
    TeamSpec("临空港工作队", "刘洋", 3003),
)
ENVOYS: dict[str, tuple[int, str]] = {  # name → (user id, phone)
    "李雷": (2001, "13800000001"),
    "韩梅梅": (2002, "13800000002"),
    "孙伟": (2003, "13800000003"),
    "马丽": (2004, "13800000004"),
    "黄勇": (2005, "13800000005"),
    "林娜": (2006, "13800000006"),
}
ENTERPRISES = (
    EnterpriseSpec("华光精密机械有限公司", "李雷", "高新区工作队", 1001, "陈静"),
    EnterpriseSpec("东方智能物流", "李雷", "高新区工作队", 1002, "周涛"),
    EnterpriseSpec("蓝天光电科技", "韩梅梅", "高新区工作队", 1003, "吴敏"),
    EnterpriseSpec("云启软件", "韩梅梅", "高新区工作队", 1004, "郑凯"),
    EnterpriseSpec("西山化工", "孙伟", "经开区工作队", 1005, "冯雪"),
    EnterpriseSpec("恒达汽车零部件", "孙伟", "经开区工作队", 1006, "何志强"),
    EnterpriseSpec("绿源食品", "马丽", "经开区工作队", 1007, "许丹"),
    EnterpriseSpec("航港冷链物流", "黄勇", "临空港工作队", 1008, "曹阳"),
    EnterpriseSpec("丝路跨境电商", "林娜", "临空港工作队", 1009, "邓琳"),
    EnterpriseSpec("天翼航空维修", "林娜", "临空港工作队", 1010, "彭飞"),
)


@dataclass(frozen=True, slots=True)
class DepartmentSpec:
    name: str
    person: str
    person_id: int
    phone: str


DEPARTMENTS = (
    DepartmentSpec("海关", "关明", 4001, "13900000001"),
    DepartmentSpec("商务局", "商悦", 4002, "13900000002"),
    DepartmentSpec("自然资源局", "林森", 4003, "13900000003"),
)


@dataclass(frozen=True, slots=True)
class DemoPerson:
    """One person the chat page lets you be."""

    user_id: int
    name: str
    role: str  # staff / envoy / lead / admin / department
    org: str  # enterprise for staff, team for envoys and leads, department, "" for the admin

    def as_json(self) -> dict[str, Any]:
        return {"id": self.user_id, "name": self.name, "role": self.role, "org": self.org}


def demo_people() -> list[DemoPerson]:
    """Everyone of the demo, staff first (the usual starting point)."""
    people = [DemoPerson(e.staff_id, e.staff_name, "staff", e.name) for e in ENTERPRISES]
    team_of = {e.envoy: e.team for e in ENTERPRISES}
    people += [DemoPerson(uid, name, "envoy", team_of[name]) for name, (uid, _) in ENVOYS.items()]
    people += [DemoPerson(t.lead_id, t.lead, "lead", t.name) for t in TEAMS]
    people.append(DemoPerson(ADMIN_ID, ADMIN_NAME, "admin", ""))
    people += [DemoPerson(d.person_id, d.person, "department", d.name) for d in DEPARTMENTS]
    return people


def roster_csv() -> str:
    """The demo roster in the Chinese column names a city office would use."""
    lead_of = {t.name: t.lead for t in TEAMS}
    lines = ["企业名称,特派员,联系电话,工作队,队长"]
    for e in ENTERPRISES:
        lines.append(f"{e.name},{e.envoy},{ENVOYS[e.envoy][1]},{e.team},{lead_of[e.team]}")
    return "\n".join(lines) + "\n"


def departments_csv() -> str:
    """The demo's departments roster, one person each."""
    lines = ["部门,联系人,联系电话"]
    lines += [f"{d.name},{d.person},{d.phone}" for d in DEPARTMENTS]
    return "\n".join(lines) + "\n"


def demo_png(width: int = 240, height: int = 160, seed: int = 0) -> bytes:
    """A small, real, colourful PNG (a "site photo") without any imaging library."""
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")
        for x in range(width):
            row += bytes(((x * 255 // width + seed * 40) % 256, (y * 255 // height), 170))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 6)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def user_language(lang: str) -> str:
    """The Telegram language_code the demo people's clients report."""
    return "en" if lang == "en" else "zh-hans"


def sim_users(sandbox: BotApiSandbox, lang: str) -> dict[int, SimUser]:
    """Create (or fetch) every demo person in the sandbox."""
    return {
        p.user_id: sandbox.user(p.user_id, p.name, language_code=user_language(lang))
        for p in demo_people()
    }


async def is_seeded(db: Database) -> bool:
    """Whether this database already holds the demo (re-used with --db)."""
    from storage.accounts_repo import AccountsRepo

    return await AccountsRepo(db).get(ADMIN_ID) is not None


async def prepare(db: Database, workdir: Path, now: datetime, bot_username: str) -> dict[int, str]:
    """Import the roster and issue one invite per person; returns user id → invite code."""
    roster = workdir / "demo-roster.csv"
    roster.write_text(roster_csv(), encoding="utf-8")
    report = await import_roster(db, roster)
    if not report.ok:
        raise RuntimeError(f"demo roster refused: {report.errors}")
    departments = workdir / "demo-departments.csv"
    departments.write_text(departments_csv(), encoding="utf-8")
    report = await import_roster(db, departments)
    if not report.ok:
        raise RuntimeError(f"demo departments refused: {report.errors}")
    codes: dict[int, str] = {}

    async def issue(user_id: int, kind: Role, name: str | None) -> None:
        issued = await make_invite(db, kind, name, now=now, days=14, bot_username=bot_username)
        codes[user_id] = issued.invite.code

    for e in ENTERPRISES:
        await issue(e.staff_id, Role.STAFF, e.name)
    for name, (uid, _) in ENVOYS.items():
        await issue(uid, Role.ENVOY, name)
    for t in TEAMS:
        await issue(t.lead_id, Role.LEAD, t.name)
    await issue(ADMIN_ID, Role.ADMIN, None)
    for d in DEPARTMENTS:
        await issue(d.person_id, Role.DEPARTMENT, d.name)
    return codes


async def redeem_all(users: dict[int, SimUser], codes: dict[int, str]) -> None:
    """Every person sends "/start CODE" like a real user tapping their invite link."""

    async def one(user: SimUser, code: str) -> None:
        seen = user.sent_count
        await user.send_text(f"/start {code}")
        await user.wait_for(lambda m: "✅" in m.text, timeout=15, after_count=seen)

    await asyncio.gather(*(one(users[uid], code) for uid, code in codes.items()))


# Problems: (staff id, category, zh text, en text, hours before now registered, steps)
# steps: (hours after registration, actor id, action, tier/rating, zh note, en note)
Step = tuple[float, int, Action, int | None, str | None, str | None]
STORY: tuple[tuple[int, str, str, str, float, tuple[Step, ...]], ...] = (
    (
        1001,
        "market",
        "新产品进入政府采购目录需要哪些材料？希望特派员帮忙对接。",
        "What do we need to get our new product into the government procurement catalogue?",
        144,
        (
            (1, 2001, Action.ACCEPT, 1, None, None),
            (
                5,
                2001,
                Action.RESOLVE,
                None,
                "已对接采购中心，材料清单已发企业。",
                "Put you in touch with the procurement centre; checklist sent.",
            ),
            (6, 1001, Action.CONFIRM, None, None, None),
            (6.1, 1001, Action.RATE, 5, None, None),
        ),
    ),
    (
        1003,
        "approval",
        "新厂房消防验收排期太久，影响 6 月投产。",
        "Fire-safety acceptance of the new plant is scheduled too late for our June start.",
        48,
        (
            (2, 2002, Action.ACCEPT, 2, None, None),
            (
                45,
                2002,
                Action.RESOLVE,
                None,
                "已协调消防部门提前到下周二验收。",
                "Fire department moved the inspection to next Tuesday.",
            ),
        ),
    ),
    (
        1005,
        "production",
        "园区蒸汽管网检修，生产线停了两条，急需恢复供汽。",
        "Steam network maintenance stopped two of our lines; we need steam back urgently.",
        72,
        ((1, 2003, Action.ACCEPT, 1, None, None),),
    ),
    (
        1007,
        "financing",
        "技改项目贷款 2000 万，银行审批卡在抵押评估。",
        "A 20 M loan for our upgrade is stuck at the bank's collateral valuation.",
        24,
        (
            (1, 2004, Action.ACCEPT, 2, None, None),
            (
                3,
                2004,
                Action.ESCALATE,
                None,
                "需要市级协调多家银行联合授信。",
                "Needs the city to bring several banks together.",
            ),
        ),
    ),
    (
        1008,
        "logistics",
        "冷链车辆进城通行证到期，续办窗口说要等两周。",
        "Our cold-chain trucks' city permits expired; renewal takes two weeks.",
        20,
        ((0.5, 2005, Action.ACCEPT, 1, None, None),),
    ),
    (
        1009,
        "policy",
        "跨境电商综试区补贴政策申报入口在哪里？",
        "Where do we apply for the cross-border e-commerce zone subsidy?",
        2,
        (),
    ),
    (
        1002,
        "labour",
        "双十一前需要临时招聘 80 名分拣员，希望对接人社局招聘会。",
        "We need 80 temporary sorters before Singles' Day; please connect us with the job fair.",
        26,
        (
            (1, 2001, Action.ACCEPT, 2, None, None),
            (
                4,
                2001,
                Action.NOTE,
                None,
                "已联系人社局，下周三专场招聘会给企业留了展位。",
                "Labour bureau will reserve a booth at next Wednesday's job fair.",
            ),
        ),
    ),
    (
        1006,
        "construction",
        "厂区道路施工许可申请被退回，理由不明确。",
        "Our road works permit was returned without a clear reason.",
        10,
        (
            (1, 2003, Action.ACCEPT, 1, None, None),
            (
                4,
                2003,
                Action.RESOLVE,
                None,
                "已与住建局沟通，按新模板重新提交即可。",
                "Talked to the housing bureau: resubmit on the new form.",
            ),
            (
                6,
                1006,
                Action.REJECT,
                None,
                "新模板提交后仍被退回。",
                "Resubmitted on the new form, returned again.",
            ),
        ),
    ),
    (
        1010,
        "other",
        "机库扩建用地手续想咨询一下进度（重复提交了）。",
        "Asking about the hangar extension land permit (sent twice by mistake).",
        30,
        (
            (
                2,
                ADMIN_ID,
                Action.WITHDRAW,
                None,
                "重复上报，已与企业确认撤回。",
                "Duplicate report, withdrawn with the enterprise's agreement.",
            ),
        ),
    ),
)
PHOTO_OF = {1005: 1, 1008: 2}  # staff id → photo seed: these reports came with a site photo


async def _actor(services: Services, user_id: int) -> Actor:
    actor = await services.accounts.load_actor(user_id, services.settings.admins)
    if actor is None:
        raise RuntimeError(f"demo person {user_id} has no account")
    return actor


async def play_story(
    app: Any, services: Services, clock: ManualClock, sandbox: BotApiSandbox, lang: str
) -> list[Problem]:
    """Problems in every state and colour, with the notifications they cause."""
    del app
    now = clock.now()
    made: list[Problem] = []
    for staff_id, category, zh, en, hours_ago, steps in STORY:
        registered = now - timedelta(hours=hours_ago)
        clock.set(registered)
        files: list[NewAttachment] = []
        if staff_id in PHOTO_OF:
            record = sandbox.core.files.add(demo_png(seed=PHOTO_OF[staff_id]), "photo")
            files.append(NewAttachment("photo", record.file_id, record.file_unique_id))
        problem = await register_problem(
            services,
            await _actor(services, staff_id),
            category=category,
            description=en if lang == "en" else zh,
            attachments=files,
        )
        for after, actor_id, action, arg, note_zh, note_en in steps:
            clock.set(registered + timedelta(hours=after))
            note = note_en if lang == "en" else note_zh
            outcome = await perform(
                services,
                await _actor(services, actor_id),
                problem.id,
                action,
                tier=arg if action is Action.ACCEPT else None,
                rating=arg if action is Action.RATE else None,
                note=note,
            )
            if not outcome.ok or outcome.problem is None:
                raise RuntimeError(f"demo step {action} on {problem.number}: {outcome.reason}")
            problem = outcome.problem
        made.append(problem)
        if staff_id == JOINT_HANDLING:
            await _joint_handling(services, clock, problem, registered, lang)
    clock.set(now)
    return made


JOINT_HANDLING = 1007  # the escalated financing problem: sent to two departments at once


async def _joint_handling(
    services: Services, clock: ManualClock, problem: Problem, registered: datetime, lang: str
) -> None:
    """The city office sends the tier-3 problem to commerce and natural resources; one signs
    and reports progress, the other signs and finishes its part."""
    en = lang == "en"
    by_name = {d.name: d for d in await services.departments.list_departments()}
    commerce, land = by_name["商务局"], by_name["自然资源局"]
    clock.set(registered + timedelta(hours=5))
    note = (
        "Bring the banks together; check the valuation of the mortgaged land."
        if en
        else "请商务局牵头协调银行，自然资源局核实抵押土地估值。"
    )
    sent = await dispatch_problem(
        services,
        await _actor(services, ADMIN_ID),
        problem.id,
        [commerce.id, land.id],
        note=note,
        due_at=problem.due_at,
    )
    if not sent.ok:
        raise RuntimeError(f"demo dispatch of {problem.number}: {sent.reason}")
    ids = {d.department_id: d.id for d in sent.dispatches}
    person = {d.name: d.person_id for d in DEPARTMENTS}
    steps: tuple[tuple[float, str, DeptStep, str | None, str | None], ...] = (
        (6, "商务局", DeptStep.SIGN, None, None),
        (7, "自然资源局", DeptStep.SIGN, None, None),
        (
            9,
            "商务局",
            DeptStep.PROGRESS,
            "已约三家银行下周二联合授信会。",
            "Three banks meet next Tuesday on a joint credit line.",
        ),
        (
            12,
            "自然资源局",
            DeptStep.DONE,
            "抵押土地估值已复核，按基准地价出具意见。",
            "Land valuation reviewed; opinion issued at the benchmark price.",
        ),
    )
    for after, name, step, zh, english in steps:
        clock.set(registered + timedelta(hours=after))
        department = by_name[name]
        outcome = await take_step(
            services,
            await _actor(services, person[name]),
            ids[department.id],
            step,
            note=english if en else zh,
        )
        if not outcome.ok:
            raise RuntimeError(f"demo step {step} on {problem.number}: {outcome.reason}")


async def seed_database(
    settings: Settings, workdir: Path, clock: ManualClock, bot_username: str
) -> dict[int, str]:
    """Roster and invites, before the bot starts; returns the invite codes to redeem."""
    async with Database(settings.db) as db:
        if await is_seeded(db):
            return {}
        return await prepare(db, workdir, clock.now(), bot_username)
