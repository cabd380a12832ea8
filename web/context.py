"""What every page handler shares: the services, the viewer, the language and rendering."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from domain.models import Role
from texts.i18n import LANGS, plain
from usecases.services import Services
from usecases.web_access import Viewer, WebAccess
from web.files import FileSource

logger = logging.getLogger(__name__)

SESSION_COOKIE = "envoybot_session"
LANG_COOKIE = "envoybot_lang"


def request_key(name: str) -> Any:
    """A typed request key where aiohttp has them (3.14+), else the plain name."""
    maker = getattr(web, "RequestKey", None)
    return maker(name, object) if maker is not None else name


VIEWER_KEY = request_key("envoybot_viewer")


@dataclass
class WebContext:
    """The parts the web platform runs on, shared with the bot when they run together."""

    services: Services
    files: FileSource
    access: WebAccess = field(init=False)
    poll_seconds: float = 4.0

    def __post_init__(self) -> None:
        self.access = WebAccess(self.services)

    @property
    def secure(self) -> bool:
        return self.services.settings.web_base_url.startswith("https://")


CONTEXT_KEY = web.AppKey("envoybot_web", WebContext)


def ctx_of(request: web.Request) -> WebContext:
    return request.app[CONTEXT_KEY]


def viewer_of(request: web.Request) -> Viewer:
    """The signed-in viewer; routes that call this are behind the sign-in middleware."""
    viewer = request.get(VIEWER_KEY)
    assert isinstance(viewer, Viewer)
    return viewer


def lang_of(request: web.Request) -> str:
    """The page language: the switch's cookie, else the account's, else the deployment's."""
    chosen = request.cookies.get(LANG_COOKIE, "")
    if chosen in LANGS:
        return chosen
    viewer = request.get(VIEWER_KEY)
    if isinstance(viewer, Viewer) and viewer.account is not None and viewer.account.lang in LANGS:
        return str(viewer.account.lang)
    return ctx_of(request).services.settings.default_lang


def translator(lang: str) -> Any:
    """``tr(key, **args)`` for templates: plain text, escaped by Jinja like any other value."""

    def tr(key: str, **kwargs: Any) -> str:
        return plain(lang, key, **kwargs)

    return tr


def can_export(viewer: Viewer) -> bool:
    """The same rule as /export in the chat: team leads and the city office."""
    return viewer.actor.role in (Role.LEAD, Role.ADMIN)


def who(viewer: Viewer, lang: str) -> dict[str, Any]:
    """The header's name and role of the signed-in person."""
    account = viewer.account
    name = account.display_name if account is not None and account.display_name else ""
    return {
        "who_name": name or str(viewer.tg_user_id),
        "who_role": plain(lang, f"role-{viewer.actor.role.value}"),
        "can_export": can_export(viewer),
    }


def render(
    request: web.Request,
    template: str,
    values: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
) -> web.Response:
    """A page in the viewer's language, never cached (it shows the viewer's scope)."""
    lang = lang_of(request)
    viewer = request.get(VIEWER_KEY)
    page: dict[str, Any] = {
        "lang": lang,
        "html_lang": "zh-CN" if lang == "zh" else "en",
        "tr": translator(lang),
        "viewer": viewer if isinstance(viewer, Viewer) else None,
        "path": request.path_qs,
        "section": "",
    }
    if isinstance(viewer, Viewer):
        page.update(who(viewer, lang))
    page.update(values or {})
    response = aiohttp_jinja2.render_template(template, request, page, status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def not_found(request: web.Request) -> web.Response:
    """The one answer for what does not exist and for what the viewer may not see."""
    return render(request, "not_found.html", status=404)


def see_other(location: str) -> web.Response:
    """A 303 to a page of this site (after a form, or to the sign-in page)."""
    return web.Response(status=303, headers={"Location": location})
