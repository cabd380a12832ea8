"""PTB's log of a proxy's HTML error page is shortened to one warning line."""

from __future__ import annotations

import logging

from delivery.aiohttp_request import HtmlAnswerFilter


def test_a_proxy_page_instead_of_json_is_one_short_warning() -> None:
    record = logging.LogRecord(
        "telegram.request.BaseRequest", logging.ERROR, "x", 1,
        'Can not load invalid JSON data: "%s"', ("<html>502 Bad Gateway</html>",), None,
    )  # fmt: skip
    assert HtmlAnswerFilter().filter(record)
    assert record.levelno == logging.WARNING and "<html>" not in record.getMessage()
