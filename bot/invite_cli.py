"""`envoybot invite …`: issue, list and revoke invites from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.config import Settings
from domain.clock import Clock, SystemClock
from domain.models import Role
from storage.db import Database
from texts.i18n import plain
from usecases.invites import (
    InviteTargetError,
    IssuedInvite,
    invite_everyone,
    make_invite,
    open_invites,
    revoke_code,
    revoke_person,
)


def _target(args: argparse.Namespace) -> tuple[Role, str | None]:
    if args.enterprise is not None:
        return Role.STAFF, args.enterprise
    if args.envoy is not None:
        return Role.ENVOY, args.envoy
    if args.lead is not None:
        return Role.LEAD, args.lead
    if getattr(args, "department", None) is not None:
        return Role.DEPARTMENT, args.department
    return Role.ADMIN, None


def _print_text(issued: list[IssuedInvite], zone: ZoneInfo, lang: str) -> None:
    if not issued:
        print(plain(lang, "cli-invite-nobody"))
        return
    for item in issued:
        who = " · ".join(p for p in (item.name, item.team) if p)
        expires = item.invite.expires_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        role = plain(lang, f"role-{item.kind}")
        print(f"[{role}] {who}".rstrip())
        code = plain(lang, "cli-invite-code", code=item.invite.code, expires=expires, zone=zone.key)
        print(f"  {code}")
        print(f"  {item.link}")


def _print_open(listed: list[IssuedInvite], zone: ZoneInfo, lang: str) -> None:
    if not listed:
        print(plain(lang, "cli-invite-open-none"))
        return
    for item in listed:
        who = " · ".join(p for p in (item.name, item.team) if p)
        label = f"[{plain(lang, f'role-{item.kind}')}] {who}".rstrip()
        expires = item.invite.expires_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        line = plain(
            lang, "cli-invite-open-line", code=item.invite.code, who=label, expires=expires
        )
        print(line)


async def _issue(
    db: Database, settings: Settings, args: argparse.Namespace, now: datetime
) -> list[IssuedInvite]:
    if args.all:
        issued = await invite_everyone(
            db, now=now, days=settings.invite_days, bot_username=settings.bot_username
        )
        kept = sum(i.reused for i in issued)
        lang = settings.default_lang
        print(
            plain(lang, "cli-invite-all-summary", new=len(issued) - kept, kept=kept),
            file=sys.stderr,
        )
        return issued
    kind, name = _target(args)
    made = await make_invite(
        db, kind, name, now=now, days=settings.invite_days, bot_username=settings.bot_username
    )
    return [made]


async def _revoke(db: Database, args: argparse.Namespace, now: datetime, lang: str) -> None:
    if args.revoke is not None:
        await revoke_code(db, args.revoke, now=now)
        print(plain(lang, "cli-invite-revoked", count=1))
        return
    count = await revoke_person(db, args.revoke_person, now=now)
    print(plain(lang, "cli-invite-revoked", count=count))


async def invite_command(
    settings: Settings, args: argparse.Namespace, clock: Clock | None = None
) -> int:
    """`envoybot invite …`: 0 on success, 1 when the target is unknown or already bound."""
    now = (clock or SystemClock()).now()
    lang = settings.default_lang
    zone = settings.zone
    revoking = args.revoke is not None or args.revoke_person is not None
    if not revoking and not (settings.bot_username or "").strip():
        print(plain(lang, "cli-invite-no-username"), file=sys.stderr)
    async with Database(settings.db) as db:
        try:
            if revoking:
                await _revoke(db, args, now, lang)
                return 0
            if args.list:
                listed = await open_invites(db, now=now, bot_username=settings.bot_username)
            else:
                listed = await _issue(db, settings, args, now)
        except InviteTargetError as exc:
            reason = exc.render(lang)
            print(plain(lang, "cli-failed", command="invite", reason=reason), file=sys.stderr)
            return 1
    if args.json:
        print(json.dumps([i.as_json(zone) for i in listed], ensure_ascii=False, indent=2))
    elif args.list:
        _print_open(listed, zone, lang)
    else:
        _print_text(listed, zone, lang)
    return 0
