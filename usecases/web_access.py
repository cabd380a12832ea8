"""Who may use the web platform: one-time links from /web, the Login Widget, sessions.

Tokens are random (``secrets``) and stored only as SHA-256 hashes, so a copy of the database
signs nobody in. A link works once, for ten minutes, for the account that asked for it, and
only the newest one works; a person may ask for a few an hour. A session ends when signed
out, after ``web_idle_minutes`` without a page being opened, or SESSION_HOURS after sign-in.
The account is read again on every request: a person unbound meanwhile is signed out.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.login_widget import WidgetRefused, check_widget_login
from domain.models import Account, Actor
from storage.web_auth_repo import LinkState, Redeemed, WebAuthRepo
from usecases.services import Services

logger = logging.getLogger(__name__)

LINK_MINUTES = 10
LINKS_PER_WINDOW = 5
LINK_WINDOW = timedelta(hours=1)
SESSION_HOURS = 12
TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often
PRUNE_AFTER = timedelta(days=7)
TOKEN_BYTES = 32


def hash_token(token: str) -> str:
    """What the database keeps of a link or session token."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


@dataclass(frozen=True, slots=True)
class SignInLink:
    """A link made by /web, or the time the next one may be asked for."""

    url: str | None
    minutes: int = LINK_MINUTES
    retry_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A new session: the cookie's token and whose it is (None: refused, see ``state``)."""

    state: LinkState
    token: str | None = None
    tg_user_id: int | None = None


@dataclass(frozen=True, slots=True)
class Viewer:
    """The person behind a request: their account, actor (scope) and session."""

    account: Account | None
    actor: Actor
    session_hash: str
    csrf: str

    @property
    def tg_user_id(self) -> int:
        return self.actor.tg_user_id


def csrf_for(session_token_hash: str) -> str:
    """The form token of a session: derived from it, so nothing more is stored."""
    return hashlib.sha256(f"csrf:{session_token_hash}".encode()).hexdigest()[:32]


class WebAccess:
    """Sign-in links, widget sign-in and the per-request session check."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.repo = WebAuthRepo(services.db)

    @property
    def idle(self) -> timedelta:
        return timedelta(minutes=self.services.settings.web_idle_minutes)

    async def issue_link(self, tg_user_id: int) -> SignInLink:
        """A fresh one-time link for this account, unless it asked for too many lately."""
        now = self.services.clock.now()
        token = new_token()
        issued = await self.repo.issue_link(
            hash_token(token),
            tg_user_id,
            now=now,
            expires_at=now + timedelta(minutes=LINK_MINUTES),
            window_start=now - LINK_WINDOW,
            limit=LINKS_PER_WINDOW,
        )
        if not issued.made:
            logger.info("web link refused for %s: too many in an hour", tg_user_id)
            return SignInLink(None, retry_at=issued.retry_at)
        logger.info("web link issued for %s", tg_user_id)
        return SignInLink(f"{self.services.settings.web_base_url}/signin/{token}")

    async def peek_link(self, token: str) -> tuple[Redeemed, Account | None]:
        """A link's state and account, leaving it unused (for the confirmation page)."""
        peeked = await self.repo.peek_link(hash_token(token), self.services.clock.now())
        account = None
        if peeked.tg_user_id is not None:
            account = await self.services.accounts.get(peeked.tg_user_id)
        return peeked, account

    async def redeem_link(self, token: str) -> SignedIn:
        """Use the link and open a session for its account."""
        now = self.services.clock.now()
        session = new_token()
        redeemed = await self.repo.redeem_link(
            hash_token(token),
            hash_token(session),
            now=now,
            session_expires_at=now + timedelta(hours=SESSION_HOURS),
        )
        if redeemed.state is not LinkState.VALID:
            logger.info("web link refused: %s", redeemed.state.value)
            return SignedIn(redeemed.state)
        await self.repo.prune(now - PRUNE_AFTER)
        logger.info("web sign-in of %s by link", redeemed.tg_user_id)
        return SignedIn(LinkState.VALID, session, redeemed.tg_user_id)

    async def widget_sign_in(self, fields: Mapping[str, str]) -> SignedIn | WidgetRefused:
        """A session for an account the Login Widget vouched for; only bound accounts."""
        settings = self.services.settings
        now = self.services.clock.now()
        try:
            login = check_widget_login(fields, settings.require_token(), now)
        except WidgetRefused as refused:
            logger.info("login widget data refused: %s", refused.reason.value)
            return refused
        actor = await self._actor(login.tg_user_id, login.full_name)
        if actor is None:
            return SignedIn(LinkState.UNKNOWN)
        session = new_token()
        await self.repo.open_session(
            hash_token(session),
            login.tg_user_id,
            now=now,
            expires_at=now + timedelta(hours=SESSION_HOURS),
            via="widget",
        )
        logger.info("web sign-in of %s by the login widget", login.tg_user_id)
        return SignedIn(LinkState.VALID, session, login.tg_user_id)

    async def _actor(self, tg_user_id: int, name: str = "") -> Actor | None:
        s = self.services
        account = await s.accounts.get(tg_user_id)
        if account is None and tg_user_id in s.settings.admins:
            account = await s.accounts.ensure_admin(tg_user_id, name, None, s.clock.now())
        return await s.accounts.load_actor(tg_user_id, s.settings.admins, account)

    async def viewer(self, token: str | None, *, activity: bool = True) -> Viewer | None:
        """The signed-in person of a session cookie, checked now; None when not valid.

        ``activity`` False (the list's background poll) does not keep an idle session alive.
        """
        if not token or len(token) > 200:
            return None
        s = self.services
        key = hash_token(token)
        stored = await self.repo.session(key)
        now = s.clock.now()
        if stored is None or stored.ended_at is not None or stored.expires_at <= now:
            return None
        if now - stored.last_seen_at > self.idle:
            await self.repo.end(key, now)
            logger.info("web session of %s ended after idling", stored.tg_user_id)
            return None
        account = await s.accounts.get(stored.tg_user_id)
        actor = await s.accounts.load_actor(stored.tg_user_id, s.settings.admins, account)
        if actor is None:
            await self.repo.end(key, now)
            return None
        if activity and now - stored.last_seen_at >= min(TOUCH_EVERY, self.idle / 10):
            await self.repo.touch(key, now)
        return Viewer(account, actor, key, csrf_for(key))

    async def sign_out(self, viewer: Viewer) -> None:
        await self.repo.end(viewer.session_hash, self.services.clock.now())
        logger.info("web sign-out of %s", viewer.tg_user_id)
