"""PTB's HTTP layer on aiohttp: under load httpx/httpcore cost the bot most of its CPU.

Measured with py-spy on `envoybot run` under benchmarks/bench_load.py: about 85 % of the
time in PTB's ``Bot._post`` was httpx and httpcore (its pool scans every connection per
request). aiohttp's client does the same work for a fraction of that; PTB supports swapping
the transport through :class:`telegram.request.BaseRequest`.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

logger = logging.getLogger(__name__)


class HtmlAnswerFilter(logging.Filter):
    """A proxy's HTML page instead of JSON (a 502) is a retried network fault, not a crash:
    PTB logs it with a traceback and the whole page; keep one short warning line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage().startswith("Can not load invalid JSON data"):
            record.msg = "Telegram answered with a page that is not JSON (retried)"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
            record.levelno = logging.WARNING
            record.levelname = "WARNING"
        return True


PTB_REQUEST_LOGGER = "telegram.request.BaseRequest"


def quiet_html_answers() -> None:
    """Install the filter once on PTB's request logger."""
    target = logging.getLogger(PTB_REQUEST_LOGGER)
    if not any(isinstance(f, HtmlAnswerFilter) for f in target.filters):
        target.addFilter(HtmlAnswerFilter())


def _seconds(value: object, default: float | None) -> float | None:
    """PTB passes DEFAULT_NONE for "use the default"; anything else is a number or None."""
    if isinstance(value, BaseRequest.DEFAULT_NONE.__class__):
        return default
    return value if value is None else float(value)  # type: ignore[arg-type]


class AiohttpRequest(BaseRequest):
    """One aiohttp session with a bounded connection pool per PTB request object."""

    def __init__(
        self,
        *,
        connections: int = 16,
        read_timeout: float | None = 15.0,
        connect_timeout: float | None = 10.0,
        pool_timeout: float | None = 15.0,
    ) -> None:
        self._connections = connections
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        quiet_html_answers()
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    def _body(self, request_data: RequestData | None) -> Any:
        if request_data is None:
            return None
        fields = request_data.json_parameters
        files = request_data.multipart_data
        if not files:
            return fields
        form = aiohttp.FormData()
        for name, value in fields.items():
            form.add_field(name, value)
        for name, (filename, content, mime) in files.items():
            form.add_field(name, content, filename=filename, content_type=mime)
        return form

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """POST (or GET) once; connection trouble is NetworkError, slowness TimedOut."""
        if self._session is None:
            raise RuntimeError("AiohttpRequest is not initialized")
        del write_timeout  # aiohttp has no separate write timeout; reads bound the call
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=_seconds(pool_timeout, self._pool_timeout),
            sock_connect=_seconds(connect_timeout, self._connect_timeout),
            sock_read=_seconds(read_timeout, self._read_timeout),
        )
        try:
            async with self._session.request(
                method, url, data=self._body(request_data), timeout=timeout
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{exc.__class__.__name__}: {exc}") from exc
