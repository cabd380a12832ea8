"""Headers, the session check on every request, cookies and the forms' origin check."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web

from usecases.web_access import SESSION_HOURS
from web.context import (
    SESSION_COOKIE,
    VIEWER_KEY,
    ctx_of,
    not_found,
    render,
    request_key,
    see_other,
)

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# Pages anyone may open; everything else needs a session (deny by default).
PUBLIC_PREFIXES = ("/login", "/signin/", "/auth/telegram", "/lang/", "/static/", "/favicon.ico")
# The list's background poll: answered for a signed-in viewer but does not keep them signed in.
PASSIVE_PATHS = frozenset({"/problems/stamp"})

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# the Login Widget is Telegram's script and iframe: allowed on the sign-in page only
CSP_WIDGET = CSP.replace("script-src 'self'", "script-src 'self' https://telegram.org") + (
    "; frame-src https://oauth.telegram.org"
)
WIDGET_KEY = request_key("envoybot_widget_csp")


def is_public(path: str) -> bool:
    return path == "/" or path.startswith(PUBLIC_PREFIXES)


@web.middleware
async def headers_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every answer carries the CSP and friends and its server time; unknown addresses 404."""
    began = time.perf_counter()
    try:
        response = await handler(request)
    except web.HTTPNotFound:
        response = not_found(request)
    except web.HTTPMethodNotAllowed:
        response = not_found(request)
    h = response.headers
    if "Content-Security-Policy" not in h:  # a file sets its own, stricter one
        h["Content-Security-Policy"] = CSP_WIDGET if request.get(WIDGET_KEY) else CSP
    h["X-Content-Type-Options"] = "nosniff"
    h["X-Frame-Options"] = "DENY"
    # a sign-in link's token never leaves in a Referer; "no-referrer" would make Chrome send
    # "Origin: null" on our own forms
    h["Referrer-Policy"] = "same-origin"
    h["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.path.startswith("/static/"):  # the stylesheet and the script: no data in them
        h.setdefault("Cache-Control", "public, max-age=3600")
    h.setdefault("Cache-Control", "no-store")
    h["Server-Timing"] = f"app;dur={(time.perf_counter() - began) * 1000:.1f}"
    return response


@web.middleware
async def session_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Look up the viewer of the session cookie on every request; no viewer, no page."""
    if request.path.startswith("/static/"):
        return await handler(request)
    ctx = ctx_of(request)
    token = request.cookies.get(SESSION_COOKIE)
    passive = request.path in PASSIVE_PATHS
    viewer = await ctx.access.viewer(token, activity=not passive) if token else None
    if viewer is not None:
        request[VIEWER_KEY] = viewer
    if viewer is None and not is_public(request.path):
        if passive:
            return web.json_response({"signed_in": False}, status=401)
        response = see_other("/login")
        if token:  # a stale or forged cookie goes away
            response.del_cookie(SESSION_COOKIE, path="/")
        return response
    if request.method == "POST" and not same_origin(request):
        logger.warning("web: cross-origin POST to %s refused", request.path)
        return render(request, "refused.html", status=403)
    return await handler(request)


def same_origin(request: web.Request) -> bool:
    """A form posted from one of our own pages (browsers send Origin on every POST)."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # old browsers; SameSite=Strict already keeps cross-site posts cookieless
    ours = {f"{request.scheme}://{request.host}"}
    public = urlsplit(ctx_of(request).services.settings.web_base_url)
    ours.add(f"{public.scheme}://{public.netloc}")
    return origin in ours


def set_session_cookie(request: web.Request, response: web.StreamResponse, token: str) -> None:
    """HttpOnly, SameSite=Strict, Secure whenever the platform is reached over https."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        path="/",
        max_age=SESSION_HOURS * 3600,
        httponly=True,
        samesite="Strict",
        secure=ctx_of(request).secure or request.secure,
    )


def clear_session_cookie(response: web.StreamResponse) -> None:
    response.del_cookie(SESSION_COOKIE, path="/")


def local_path(target: str | None, default: str = "/problems") -> str:
    """A redirect target only within this site (no scheme, no host, no //)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
