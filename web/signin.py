"""Signing in (the /web link, the Login Widget), signing out and switching the language."""

from __future__ import annotations

import logging

from aiohttp import web

from domain.login_widget import WidgetRefused
from storage.web_auth_repo import LinkState
from texts.i18n import LANGS
from usecases.web_access import SignedIn
from web.context import LANG_COOKIE, VIEWER_KEY, ctx_of, render, see_other, viewer_of
from web.security import WIDGET_KEY, clear_session_cookie, local_path, set_session_cookie

logger = logging.getLogger(__name__)

_LINK_STATUS = {LinkState.UNKNOWN: 404, LinkState.USED: 410, LinkState.EXPIRED: 410}


async def home(request: web.Request) -> web.StreamResponse:
    return see_other("/problems" if request.get(VIEWER_KEY) else "/login")


async def login(request: web.Request) -> web.StreamResponse:
    """How to sign in: /web in the chat, or the Login Widget where a domain is set up."""
    if request.get(VIEWER_KEY):
        return see_other("/problems")
    settings = ctx_of(request).services.settings
    widget = bool(settings.web_login_widget and settings.bot_username)
    if widget:
        request[WIDGET_KEY] = True
    return render(
        request,
        "login.html",
        {
            "widget_bot": (settings.bot_username or "").lstrip("@") if widget else None,
            "widget_auth_url": f"{settings.web_base_url}/auth/telegram",
        },
    )


def _refused(request: web.Request, state: LinkState) -> web.Response:
    return render(
        request, "link_refused.html", {"state": state.value}, status=_LINK_STATUS.get(state, 400)
    )


async def signin_page(request: web.Request) -> web.StreamResponse:
    """The link opened: say whose account it signs in to, and sign in only on the button.

    Opening the link uses nothing, so a link preview or a mail scanner cannot spend it.
    """
    token = request.match_info["token"]
    peeked, account = await ctx_of(request).access.peek_link(token)
    if peeked.state is not LinkState.VALID:
        return _refused(request, peeked.state)
    return render(request, "signin_confirm.html", {"account": account})


async def signin_post(request: web.Request) -> web.StreamResponse:
    signed = await ctx_of(request).access.redeem_link(request.match_info["token"])
    if signed.state is not LinkState.VALID or signed.token is None:
        return _refused(request, signed.state)
    response = see_other("/problems")
    set_session_cookie(request, response, signed.token)
    return response


async def widget_callback(request: web.Request) -> web.StreamResponse:
    """Telegram's redirect with the widget's signed fields."""
    ctx = ctx_of(request)
    if not ctx.services.settings.web_login_widget:
        return render(request, "not_found.html", status=404)
    outcome = await ctx.access.widget_sign_in(dict(request.query))
    if isinstance(outcome, WidgetRefused):
        return render(request, "refused.html", {"reason": outcome.reason.value}, status=403)
    assert isinstance(outcome, SignedIn)
    if outcome.token is None:
        return render(request, "refused.html", {"reason": "not_bound"}, status=403)
    # Arriving from Telegram's site, a redirect would still count as cross-site and the
    # SameSite=Strict cookie would not go with it: this page moves on by itself instead.
    response = render(request, "signed_in.html")
    set_session_cookie(request, response, outcome.token)
    return response


async def signout(request: web.Request) -> web.StreamResponse:
    viewer = viewer_of(request)
    form = await request.post()
    if form.get("csrf") != viewer.csrf:
        return render(request, "refused.html", status=403)
    await ctx_of(request).access.sign_out(viewer)
    response = see_other("/login")
    clear_session_cookie(response)
    return response


async def switch_lang(request: web.Request) -> web.StreamResponse:
    lang = request.match_info["lang"]
    response = see_other(local_path(request.query.get("next")))
    if lang in LANGS:
        response.set_cookie(
            LANG_COOKIE, lang, path="/", max_age=365 * 86400, httponly=True, samesite="Lax"
        )
    return response


def add_routes(app: web.Application) -> None:
    app.router.add_get("/", home)
    app.router.add_get("/login", login)
    app.router.add_get("/signin/{token}", signin_page)
    app.router.add_post("/signin/{token}", signin_post)
    app.router.add_get("/auth/telegram", widget_callback)
    app.router.add_post("/signout", signout)
    app.router.add_get("/lang/{lang}", switch_lang)
