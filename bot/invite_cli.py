"""`envoybot invite …`: issue invites from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from zoneinfo import ZoneInfo

from bot.config import Settings
from domain.clock import Clock, SystemClock
from domain.models import Role
from storage.db import Database
from texts.i18n import plain
from usecases.invites import InviteTargetError, IssuedInvite, invite_everyone, make_invite


def _target(args: argparse.Namespace) -> tuple[Role, str | None]:
    if args.enterprise is not None:
        return Role.STAFF, args.enterprise
    if args.envoy is not None:
        return Role.ENVOY, args.envoy
    if args.lead is not None:
        return Role.LEAD, args.lead
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


async def invite_command(
    settings: Settings, args: argparse.Namespace, clock: Clock | None = None
) -> int:
    """`envoybot invite …`: 0 on success, 1 when the target is unknown or already bound."""
    now = (clock or SystemClock()).now()
    lang = settings.default_lang
    if not (settings.bot_username or "").strip():
        print(plain(lang, "cli-invite-no-username"), file=sys.stderr)
    async with Database(settings.db) as db:
        try:
            if args.all:
                issued = await invite_everyone(
                    db, now=now, days=settings.invite_days, bot_username=settings.bot_username
                )
            else:
                kind, name = _target(args)
                issued = [
                    await make_invite(
                        db,
                        kind,
                        name,
                        now=now,
                        days=settings.invite_days,
                        bot_username=settings.bot_username,
                    )
                ]
        except InviteTargetError as exc:
            reason = exc.render(lang)
            print(plain(lang, "cli-failed", command="invite", reason=reason), file=sys.stderr)
            return 1
    zone = settings.zone
    if args.json:
        print(json.dumps([i.as_json(zone) for i in issued], ensure_ascii=False, indent=2))
    else:
        _print_text(issued, zone, lang)
    return 0
