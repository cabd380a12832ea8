"""Signing in to the web platform: one-time links, sessions, the widget, sign-out, headers."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import AsyncIterator
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from yarl import URL

from tests.web.conftest import ADMIN, LEAD, STAFF, TOKEN, Site, start_site
from usecases.web_access import LINKS_PER_WINDOW, SESSION_HOURS, WebAccess
from web.context import SESSION_COOKIE


def session_cookie(response_headers: object) -> SimpleCookie:
    cookie: SimpleCookie = SimpleCookie()
    for value in response_headers.getall("Set-Cookie", []):  # type: ignore[attr-defined]
        cookie.load(value)
    return cookie


async def status_of(site: Site, browser: object, path: str) -> int:
    async with browser.get(path, allow_redirects=False) as response:  # type: ignore[attr-defined]
        return int(response.status)


async def test_a_link_shows_whose_it_is_and_signs_in_only_on_the_button(site: Site) -> None:
    browser = site.browser()
    path = await site.link(LEAD)
    async with browser.get(path) as page:
        assert page.status == 200
        text = await page.text()
        assert "张伟" in text and 'method="post"' in text
        assert SESSION_COOKIE not in session_cookie(page.headers)
    assert await status_of(site, browser, "/problems") == 303  # opening it signed nobody in
    async with browser.post(path, allow_redirects=False) as response:
        assert response.status == 303 and response.headers["Location"] == "/problems"
        cookie = session_cookie(response.headers)[SESSION_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/"
    assert not cookie["secure"]  # plain http on this machine
    assert int(cookie["max-age"]) == SESSION_HOURS * 3600
    assert await status_of(site, browser, "/problems") == 200


async def test_a_link_works_once(site: Site) -> None:
    path = await site.link(LEAD)
    first = site.browser()
    async with first.post(path, allow_redirects=False) as response:
        assert response.status == 303
    second = site.browser()
    async with second.post(path, allow_redirects=False) as response:
        assert response.status == 410
        assert "已经用过" in await response.text()
        assert SESSION_COOKIE not in session_cookie(response.headers)
    async with second.get(path) as response:
        assert response.status == 410
    assert await status_of(site, second, "/problems") == 303


async def test_a_link_expires_after_ten_minutes(site: Site) -> None:
    early, late = await site.link(LEAD), await site.link(ADMIN)
    site.clock.advance(timedelta(minutes=9, seconds=59))
    async with site.browser().post(early, allow_redirects=False) as response:
        assert response.status == 303
    site.clock.advance(timedelta(seconds=1))
    async with site.browser().post(late, allow_redirects=False) as response:
        assert response.status == 410
        assert "已过期" in await response.text()


async def test_an_unknown_link_and_an_older_link_of_the_same_person_do_nothing(
    site: Site,
) -> None:
    async with site.browser().post("/signin/not-a-real-token", allow_redirects=False) as response:
        assert response.status == 404
    older = await site.link(LEAD)
    newer = await site.link(LEAD)
    async with site.browser().post(older, allow_redirects=False) as response:
        assert response.status == 410  # replaced by the newer one
    async with site.browser().post(newer, allow_redirects=False) as response:
        assert response.status == 303


async def test_links_are_rate_limited_per_account(site: Site) -> None:
    access = WebAccess(site.services)
    for _ in range(LINKS_PER_WINDOW):
        assert (await access.issue_link(LEAD)).url is not None
        site.clock.advance(timedelta(minutes=1))
    refused = await access.issue_link(LEAD)
    assert refused.url is None and refused.retry_at is not None
    assert (await access.issue_link(ADMIN)).url is not None  # others are not held up
    site.clock.set(refused.retry_at - timedelta(seconds=1))
    assert (await access.issue_link(LEAD)).url is None
    site.clock.set(refused.retry_at)
    assert (await access.issue_link(LEAD)).url is not None


@pytest.mark.parametrize(
    "value", ["forged", "x" * 43, "", "../../etc", "' OR 1=1 --", "a" * 500, "令牌"]
)
async def test_a_forged_cookie_opens_nothing(site: Site, value: str) -> None:
    browser = site.browser()
    browser.cookie_jar.update_cookies({SESSION_COOKIE: value})
    for path in ("/problems", "/figures", "/export.xlsx", "/problems/2026-0001"):
        async with browser.get(path, allow_redirects=False) as response:
            assert response.status == 303 and response.headers["Location"] == "/login", path
    async with browser.get("/problems/stamp", allow_redirects=False) as response:
        assert response.status == 401


async def test_the_session_ends_after_idling_and_after_its_hours(site: Site) -> None:
    browser = await site.signed_in(LEAD)
    idle = timedelta(minutes=site.services.settings.web_idle_minutes)
    for _ in range(3):  # active: every page keeps it alive
        site.clock.advance(idle - timedelta(minutes=5))
        assert await status_of(site, browser, "/problems") == 200
    site.clock.advance(idle + timedelta(seconds=1))
    assert await status_of(site, browser, "/problems") == 303
    site.clock.advance(timedelta(seconds=1))
    assert await status_of(site, browser, "/problems") == 303  # ended, not revived

    busy = await site.signed_in(ADMIN)
    for _ in range(SESSION_HOURS * 2 - 1):
        site.clock.advance(timedelta(minutes=30))
        assert await status_of(site, busy, "/problems") == 200
    site.clock.advance(timedelta(minutes=30))
    assert await status_of(site, busy, "/problems") == 303


async def test_the_background_poll_does_not_keep_an_idle_session_alive(site: Site) -> None:
    browser = await site.signed_in(LEAD)
    idle = timedelta(minutes=site.services.settings.web_idle_minutes)
    for _ in range(4):
        site.clock.advance(idle / 4)
        assert await status_of(site, browser, "/problems/stamp") == 200
    site.clock.advance(timedelta(seconds=1))
    assert await status_of(site, browser, "/problems/stamp") == 401


async def test_sign_out_needs_the_form_token_and_ends_the_session(site: Site) -> None:
    browser = await site.signed_in(LEAD)
    async with browser.post("/signout", data={"csrf": "guess"}, allow_redirects=False) as r:
        assert r.status == 403
    async with browser.get("/problems") as page:
        text = await page.text()
    csrf = text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    headers = {"Origin": "https://evil.example"}
    async with browser.post(
        "/signout", data={"csrf": csrf}, headers=headers, allow_redirects=False
    ) as r:
        assert r.status == 403  # posted from another site
    stolen = browser.cookie_jar.filter_cookies(URL(site.url))[SESSION_COOKIE].value
    async with browser.post("/signout", data={"csrf": csrf}, allow_redirects=False) as r:
        assert r.status == 303 and r.headers["Location"] == "/login"
    again = site.browser()
    again.cookie_jar.update_cookies({SESSION_COOKIE: stolen})
    assert await status_of(site, again, "/problems") == 303


async def test_an_account_unbound_meanwhile_is_signed_out(site: Site) -> None:
    browser = await site.signed_in(STAFF)
    assert await status_of(site, browser, "/problems") == 200
    await site.db.execute("DELETE FROM accounts WHERE tg_user_id = ?", (STAFF,))
    assert await status_of(site, browser, "/problems") == 303


async def test_tokens_are_stored_only_as_hashes(site: Site) -> None:
    path = await site.link(LEAD)
    browser = site.browser()
    async with browser.post(path, allow_redirects=False) as response:
        session = session_cookie(response.headers)[SESSION_COOKIE].value
    link_token = path.rsplit("/", 1)[1]
    if site.db.engine == "sqlite":
        await site.db.close()
        await site.db.open()  # the WAL folded into the file too
        stored = b"".join(p.read_bytes() for p in Path(site.db.path).parent.glob("web.db*"))
    else:  # every stored value of the sign-in tables
        rows = [*await site.db.fetchall("SELECT * FROM web_links")]
        rows += await site.db.fetchall("SELECT * FROM web_sessions")
        stored = repr([tuple(r) for r in rows]).encode()
    for token in (link_token, session):
        assert token.encode() not in stored
        assert hashlib.sha256(token.encode()).hexdigest().encode() in stored


async def test_every_page_carries_a_csp_without_inline_script(site: Site) -> None:
    browser = await site.signed_in(ADMIN)
    for path in ("/login", "/problems", "/no-such-page", "/static/web.css"):
        async with browser.get(path, allow_redirects=False) as response:
            csp = response.headers["Content-Security-Policy"]
            assert "script-src 'self'" in csp and "unsafe-inline" not in csp, path
            assert "frame-ancestors 'none'" in csp
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.fixture
async def https_site(tmp_path: Path) -> AsyncIterator[Site]:
    running = await start_site(
        tmp_path,
        count=20,
        ENVOYBOT_WEB_URL="https://envoy.example.cn",
        ENVOYBOT_WEB_LOGIN_WIDGET="true",
        ENVOYBOT_BOT_USERNAME="envoy_city_bot",
    )
    try:
        yield running
    finally:
        for session in running.sessions:
            await session.close()
        await running.server.stop()
        await running.db.close()


def widget_fields(user_id: int, auth_date: int, token: str = TOKEN) -> dict[str, str]:
    fields = {"id": str(user_id), "first_name": "芳", "auth_date": str(auth_date)}
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret = hashlib.sha256(token.encode()).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return fields


async def test_over_https_the_cookie_is_secure_and_the_link_uses_the_address(
    https_site: Site,
) -> None:
    made = await WebAccess(https_site.services).issue_link(LEAD)
    assert made.url is not None and made.url.startswith("https://envoy.example.cn/signin/")
    path = await https_site.link(LEAD)
    async with https_site.browser().post(path, allow_redirects=False) as response:
        assert session_cookie(response.headers)[SESSION_COOKIE]["secure"]


async def test_the_login_widget_signs_in_bound_accounts_only(https_site: Site) -> None:
    now = int(https_site.clock.now().timestamp())
    async with https_site.browser().get("/login") as page:
        text = await page.text()
        csp = page.headers["Content-Security-Policy"]
    assert 'data-telegram-login="envoy_city_bot"' in text
    assert "https://envoy.example.cn/auth/telegram" in text
    assert "https://telegram.org" in csp and "frame-src https://oauth.telegram.org" in csp

    browser = https_site.browser()
    async with browser.get("/auth/telegram", params=widget_fields(LEAD, now)) as response:
        assert response.status == 200
        assert 'http-equiv="refresh"' in await response.text()
        cookie = session_cookie(response.headers)[SESSION_COOKIE]
        assert cookie["secure"] and cookie["samesite"] == "Strict"
    browser.cookie_jar.update_cookies({SESSION_COOKIE: cookie.value})
    assert await status_of(https_site, browser, "/problems") == 200

    cases = {
        "not bound": widget_fields(777, now),
        "a day old": widget_fields(LEAD, now - 86401),
        "forged": {**widget_fields(LEAD, now), "id": str(ADMIN)},
        "other bot": widget_fields(LEAD, now, token="987654321:BBF" + "y" * 32),
    }
    for name, fields in cases.items():
        async with https_site.browser().get("/auth/telegram", params=fields) as response:
            assert response.status == 403, name
            assert SESSION_COOKIE not in session_cookie(response.headers), name


async def test_without_the_setting_there_is_no_widget(site: Site) -> None:
    now = int(site.clock.now().timestamp())
    async with site.browser().get("/login") as page:
        assert "telegram-widget" not in await page.text()
        assert "telegram.org" not in page.headers["Content-Security-Policy"]
    async with site.browser().get("/auth/telegram", params=widget_fields(LEAD, now)) as response:
        assert response.status == 404


async def test_static_files_may_be_cached_pages_may_not(site: Site) -> None:
    browser = await site.signed_in(ADMIN)
    async with browser.get("/static/live.js") as response:
        assert response.status == 200 and "max-age=3600" in response.headers["Cache-Control"]
        assert "innerHTML" in await response.text()
    async with browser.get("/problems") as response:
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Server-Timing"].startswith("app;dur=")
