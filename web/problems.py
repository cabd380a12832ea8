"""The colour-coded problem list, its live stamp, a problem's page and its files."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from aiohttp import web

from domain.colours import Colour, colour_of
from domain.models import Attachment, Dispatch, Event, Problem, State
from domain.stats import PERIODS, Scope, percent, scope_for
from domain.visibility import visible_dispatches, visible_events
from storage import web_repo
from storage.web_repo import Choice, ListedProblem
from texts.i18n import plain
from texts.views import event_action
from web.context import ctx_of, lang_of, not_found, render, viewer_of
from web.files import RASTER_TYPES, FileUnavailable, content_disposition, image_type
from web.filters import FILTER_SPECS, PAGE_SIZE, ListRequest, read_request
from web.format import (
    COLOURS,
    category_name,
    colour_label,
    deadline_note,
    local,
    role_label,
    state_label,
    tier_name,
)

logger = logging.getLogger(__name__)

CHOICES_LIMIT = 300  # longer lists are not offered as a menu: narrow by team, or search
NUMBER = r"\d{4}-\d{1,7}"
# documents are always downloaded; these types are named as they are, others as bytes
_DOWNLOAD_TYPES = frozenset(
    {
        "application/pdf",
        "application/zip",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text/plain",
        "text/csv",
    }
)


@dataclass(frozen=True, slots=True)
class Headline:
    """The seed's headline over what the list shows: collected · closed · in hand · rate."""

    collected: int
    closed: int
    in_hand: int  # collected and not closed (waiting for the enterprise included)
    waiting: int
    overdue: int
    rate: str | None


def headline(counts: dict[str, int], colours: frozenset[str]) -> Headline:
    def n(colour: Colour) -> int:
        return counts.get(colour.value, 0) if not colours or colour.value in colours else 0

    collected = sum(n(c) for c in COLOURS if c is not Colour.GREY)
    closed = n(Colour.GREEN)
    return Headline(
        collected=collected,
        closed=closed,
        in_hand=collected - closed,
        waiting=n(Colour.BLUE),
        overdue=n(Colour.RED),
        rate=percent(closed, collected),
    )


def row_view(lang: str, p: ListedProblem, now: datetime, tz: tzinfo) -> dict[str, Any]:
    colour = colour_of(p.state, p.due_at, p.registered_at, now)
    return {
        "p": p,
        "colour": colour.value,
        "colour_label": colour_label(lang, colour),
        "category": category_name(lang, p.category),
        "tier": tier_name(lang, p.tier),
        "state": state_label(lang, p.state),
        "envoy": p.envoy_name or plain(lang, "envoy-unassigned"),
        "registered": local(p.registered_at, tz),
        "due": local(p.due_at, tz),
        "deadline": deadline_note(lang, p.state, p.due_at, now),
    }


async def _choices(request: web.Request, wanted: ListRequest, scope: Scope) -> dict[str, Any]:
    """The menus of the filter form; a chosen value always shows, even outside a long list."""
    db = ctx_of(request).services.db
    lang = lang_of(request)
    team = wanted.filters.get("team")
    envoy = wanted.filters.get("envoy")
    menus: dict[str, list[Choice] | None] = {
        "team": await web_repo.teams_in_scope(db, scope),
        "envoy": await web_repo.envoys_in_scope(db, scope, team, CHOICES_LIMIT),
        "enterprise": await web_repo.enterprises_in_scope(db, scope, team, envoy, CHOICES_LIMIT),
        "department": await web_repo.departments_in_scope(db, scope),
    }
    tables = {
        "team": "teams",
        "envoy": "envoys",
        "enterprise": "enterprises",
        "department": "departments",
    }
    for name, table in tables.items():
        chosen = wanted.filters.get(name)
        listed = menus[name]
        if chosen is not None and (listed is None or all(c.id != chosen for c in listed)):
            label = await web_repo.name_of(db, table, chosen)
            menus[name] = [*(listed or []), Choice(chosen, label or str(chosen))]
    settings = ctx_of(request).services.settings
    return {
        "menus": {k: None if v is None else [(c.id, c.name) for c in v] for k, v in menus.items()},
        "too_long": {k: v is None for k, v in menus.items()},
        "categories": [(c, category_name(lang, c)) for c in settings.categories],
        "states": [(s.value, state_label(lang, s)) for s in State],
        "tiers": [("1", tier_name(lang, 1)), ("2", tier_name(lang, 2)), ("3", tier_name(lang, 3))],
        "periods": [(p, plain(lang, f"stats-period-{p}")) for p in PERIODS if p != "all"],
        "specs": FILTER_SPECS,
    }


async def problem_list(request: web.Request) -> web.StreamResponse:
    ctx = ctx_of(request)
    s = ctx.services
    viewer = viewer_of(request)
    lang = lang_of(request)
    wanted = read_request(request.query, request.query.getall("colour", []))
    scope = scope_for(viewer.actor)
    now = s.clock.now()
    tz = s.settings.zone
    query = wanted.query(now, tz)
    counts = await web_repo.colour_counts(s.db, scope, query, now)
    total = sum(counts[c] for c in (wanted.colours or counts))
    pages = max(1, -(-total // PAGE_SIZE))
    rows = await web_repo.list_problems(s.db, scope, query, now)
    values: dict[str, Any] = {
        "section": "problems",
        "want": wanted,
        "counts": counts,
        "colours": [(c.value, colour_label(lang, c)) for c in COLOURS],
        "head": headline(counts, wanted.colours),
        "total": total,
        "page": wanted.page,
        "pages": pages,
        "rows": [row_view(lang, p, now, tz) for p in rows],
        "now": local(now, tz),
        "poll_seconds": ctx.poll_seconds,
        "scope_kind": scope.kind,
    }
    if request.query.get("partial") == "1":
        return render(request, "_live.html", values)
    values.update(await _choices(request, wanted, scope))
    values["active"] = len(wanted.filters) + (wanted.period != "all")
    return render(request, "problems.html", values)


async def stamp(request: web.Request) -> web.StreamResponse:
    """What the list's script polls: it changes when anything in the viewer's scope does."""
    s = ctx_of(request).services
    scope = scope_for(viewer_of(request).actor)
    minute = int(s.clock.now().timestamp() // 60)  # colours also move with the clock
    value = f"{await web_repo.stamp(s.db, scope)}.{minute}"
    return web.json_response({"stamp": value}, headers={"Cache-Control": "no-store"})


async def _problem_of(request: web.Request) -> Problem | None:
    """The problem of the address if the viewer's scope holds it, else None (a 404)."""
    s = ctx_of(request).services
    scope = scope_for(viewer_of(request).actor)
    found = await web_repo.problem_id_in_scope(s.db, scope, request.match_info["number"])
    return await s.problems.get(found) if found is not None else None


async def _dispatches(request: web.Request, problem: Problem) -> list[Dispatch]:
    s = ctx_of(request).services
    return await s.dispatches.for_problem(problem.id) if problem.department_ids else []


async def _visible_events(
    request: web.Request, problem: Problem, dispatches: list[Dispatch] | None = None
) -> list[Event]:
    """The timeline as this viewer may read it (domain/visibility.py, as in the chat)."""
    if dispatches is None:
        dispatches = await _dispatches(request, problem)
    events = await ctx_of(request).services.problems.events(problem.id)
    return visible_events(viewer_of(request).actor, events, dispatches)


async def _visible_files(request: web.Request, problem: Problem) -> list[Attachment]:
    return [a for e in await _visible_events(request, problem) for a in e.attachments]


def _is_image(a: Attachment) -> bool:
    """Shown as a picture: photos, and documents that say they are a raster image."""
    return a.kind == "photo" or (a.mime_type or "").lower() in RASTER_TYPES


async def problem_page(request: web.Request) -> web.StreamResponse:
    problem = await _problem_of(request)
    if problem is None:
        return not_found(request)
    s = ctx_of(request).services
    lang = lang_of(request)
    tz = s.settings.zone
    now = s.clock.now()
    colour = colour_of(problem.state, problem.due_at, problem.registered_at, now)
    dispatches = await _dispatches(request, problem)
    events = await _visible_events(request, problem, dispatches)
    departments = [
        {
            "department": d.department_name,
            "state": plain(lang, f"dispatch-state-{d.state.value}"),
            "due": local(d.due_at, tz),
            "answer": d.answer,
        }
        for d in visible_dispatches(viewer_of(request).actor, dispatches)
    ]
    timeline = []
    for e in events:
        moved = ""
        if e.from_state and e.to_state and e.from_state != e.to_state:
            src, dst = state_label(lang, e.from_state), state_label(lang, e.to_state)
            moved = plain(lang, "web-moved", src=src, dst=dst)
        timeline.append(
            {
                "at": local(e.at, tz),
                "action": event_action(lang, e),
                "actor": e.actor_name or plain(lang, "actor-system"),
                "role": role_label(lang, e.actor_role),
                "moved": moved,
                "note": e.note,
                "files": [(a, _is_image(a)) for a in e.attachments],
            }
        )
    files = [a for e in events for a in e.attachments]
    return render(
        request,
        "problem.html",
        {
            "section": "problems",
            "p": problem,
            "colour": colour.value,
            "colour_label": colour_label(lang, colour),
            "category": category_name(lang, problem.category),
            "state": state_label(lang, problem.state),
            "tier": plain(lang, f"tier-{problem.tier}") if problem.tier else tier_name(lang, None),
            "envoy": problem.envoy_name or plain(lang, "envoy-unassigned"),
            "registered": local(problem.registered_at, tz),
            "due": local(problem.due_at, tz),
            "deadline": deadline_note(lang, problem.state, problem.due_at, now),
            "resolved": local(problem.resolved_at, tz) if problem.resolved_at else None,
            "closed": local(problem.closed_at, tz) if problem.closed_at else None,
            "stars": "★" * (problem.satisfaction or 0) + "☆" * (5 - (problem.satisfaction or 0)),
            "timeline": timeline,
            "departments": departments,
            "images": [a for a in files if _is_image(a)],
            "documents": [a for a in files if not _is_image(a)],
        },
    )


async def problem_file(request: web.Request) -> web.StreamResponse:
    """An attachment through the same check as its problem: images inline, the rest saved."""
    problem = await _problem_of(request)
    if problem is None:
        return not_found(request)
    ctx = ctx_of(request)
    wanted = request.match_info["file"]
    found = [a for a in await _visible_files(request, problem) if str(a.id) == wanted]
    if not found:
        return not_found(request)
    attachment = found[0]
    try:
        data = await ctx.files.fetch(attachment.file_id)
    except FileUnavailable:
        return render(request, "file_unavailable.html", {"p": problem}, status=502)
    image = image_type(data)
    name = attachment.file_name or f"{problem.number}-{attachment.id}"
    headers = {
        "Cache-Control": "private, max-age=300",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    if image is not None and _is_image(attachment):
        headers["Content-Disposition"] = content_disposition("inline", name)
        return web.Response(body=data, content_type=image, headers=headers)
    declared = attachment.mime_type or ""
    content_type = declared if declared in _DOWNLOAD_TYPES else "application/octet-stream"
    headers["Content-Disposition"] = content_disposition("attachment", name)
    return web.Response(body=data, content_type=content_type, headers=headers)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/problems", problem_list)
    app.router.add_get("/problems/stamp", stamp)
    app.router.add_get(f"/problems/{{number:{NUMBER}}}", problem_page)
    app.router.add_get(f"/problems/{{number:{NUMBER}}}/files/{{file:\\d{{1,12}}}}", problem_file)
