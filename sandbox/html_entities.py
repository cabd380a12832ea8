"""Telegram's HTML subset: parse to plain text + entities, and render entities back to HTML.

The parser follows tdlib's ``parse_html`` (the code behind Bot API ``parse_mode=HTML``) so a
bot sees the same reasons and byte offsets it would see from Telegram. One deliberate
difference, on by default: a bare ``&`` that forms no entity is an error (Telegram shows it
literally), because it almost always means user text was not escaped.
"""

from __future__ import annotations

import html
import re
from typing import Any

_SPACES = frozenset(" \t\r\n\0\v\f")
_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_SIMPLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_DOMAIN = re.compile(r"^[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+(:\d+)?([/?#].*)?$")


class EntityParseError(ValueError):
    """Raised for HTML Telegram refuses; str() is the Bot API reason text."""


def utf16_len(text: str) -> int:
    """Telegram measures offsets and lengths in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode an HTML entity at text[pos] == '&' like tdlib: (char, next position) or None."""
    end = pos + 1
    n = len(text)
    if end < n and text[end] == "#":
        end += 1
        value = 0
        if end < n and text[end] == "x":
            end += 1
            while end < n and text[end] in "0123456789abcdefABCDEF":
                value = value * 16 + int(text[end], 16)
                end += 1
                if value >= 0x10FFFF:
                    return None
        else:
            while end < n and text[end].isascii() and text[end].isdigit():
                value = value * 10 + int(text[end])
                end += 1
                if value >= 0x10FFFF:
                    return None
        if value == 0 or end - pos >= 10 or 0xD800 <= value <= 0xDFFF:
            return None
        char = chr(value)
    else:
        while end < n and text[end].isascii() and text[end].isalpha():
            end += 1
        named = _NAMED.get(text[pos + 1 : end])
        if named is None:
            return None
        char = named
    if end < n and text[end] == ";":
        end += 1
    return char, end


def _normalise_url(url: str) -> str | None:
    """Roughly tdlib's check_link: accept http(s)/tg/ton links and bare domains."""
    url = url.strip()
    lower = url.lower()
    if lower.startswith(("tg://", "ton://")):
        return url
    if lower.startswith(("http://", "https://")):
        rest = url.split("://", 1)[1]
        if not rest or (not _DOMAIN.match(rest.split("@")[-1]) and not rest.startswith("[")):
            return None
        return url if "/" in rest else url + "/"
    if _DOMAIN.match(url):
        return "http://" + url + ("" if "/" in url else "/")
    return None


def parse_html(
    text: str,
    *,
    strict_ampersand: bool = True,
    known_users: dict[int, dict[str, Any]] | None = None,
) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML to (plain text, Bot API MessageEntity dicts)."""
    src = text + "\0"
    n = len(text)
    out: list[str] = []
    utf16 = 0
    # stack entries: (tag, argument, utf16 start, len(out) at start)
    stack: list[tuple[str, str, int, int]] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < n:
        c = src[i]
        if c == "&":
            decoded = _decode_entity(text, i)
            if decoded is not None:
                char, i = decoded
                out.append(char)
                utf16 += utf16_len(char)
                continue
            if strict_ampersand:
                raise EntityParseError(
                    f'Unescaped "&" (write it as "&amp;") at byte offset {_byte_offset(text, i)}'
                )
        if c != "<":
            out.append(c)
            utf16 += 2 if ord(c) > 0xFFFF else 1
            i += 1
            continue
        begin = i
        i += 1
        if src[i] != "/":
            while src[i] not in _SPACES and src[i] != ">":
                i += 1
            if i >= n:
                bo = _byte_offset(text, begin)
                raise EntityParseError(f"Unclosed start tag at byte offset {bo}")
            tag = src[begin + 1 : i].lower()
            bo = _byte_offset(text, begin)
            if tag not in _TAGS:
                raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {bo}')
            argument = ""
            while src[i] != ">":
                while i < n and src[i] in _SPACES:
                    i += 1
                if src[i] == ">":
                    break
                attr_begin = i
                while src[i] not in _SPACES and src[i] not in "=>":
                    i += 1
                attr = src[attr_begin:i]
                if not attr:
                    raise EntityParseError(
                        f'Empty attribute name in the tag "{tag}" at byte offset {bo}'
                    )
                while i < n and src[i] in _SPACES:
                    i += 1
                if src[i] != "=":
                    if tag == "blockquote" and attr == "expandable":
                        if i >= n:
                            raise EntityParseError(f"Unclosed start tag at byte offset {bo}")
                        argument = "1"
                        continue
                    raise EntityParseError(
                        "Expected equal sign in declaration of an attribute of the tag "
                        f'"{tag}" at byte offset {bo}'
                    )
                i += 1
                while i < n and src[i] in _SPACES:
                    i += 1
                if i >= n:
                    raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {bo}')
                if src[i] not in "'\"":
                    token_begin = i
                    while src[i].isascii() and (src[i].isalnum() or src[i] in ".-"):
                        i += 1
                    value = src[token_begin:i].lower()
                    if src[i] not in _SPACES and src[i] != ">":
                        raise EntityParseError(
                            "Unexpected end of name token at byte offset "
                            f"{_byte_offset(text, token_begin)}"
                        )
                else:
                    quote = src[i]
                    i += 1
                    chars: list[str] = []
                    while i < n and src[i] != quote:
                        if src[i] == "&":
                            decoded = _decode_entity(text, i)
                            if decoded is not None:
                                chars.append(decoded[0])
                                i = decoded[1]
                                continue
                        chars.append(src[i])
                        i += 1
                    if i < n and src[i] == quote:
                        i += 1
                    value = "".join(chars)
                if i >= n:
                    raise EntityParseError(f"Unclosed start tag at byte offset {bo}")
                if tag == "a" and attr == "href":
                    argument = value
                elif tag == "code" and attr == "class" and value.startswith("language-"):
                    argument = value[9:]
                elif tag == "span" and attr == "class" and value.startswith("tg-"):
                    argument = value[3:]
                elif tag == "tg-emoji" and attr == "emoji-id":
                    argument = value
                elif tag == "blockquote" and attr == "expandable":
                    argument = "1"
            if tag == "span" and argument != "spoiler":
                raise EntityParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {bo}'
                )
            stack.append((tag, argument, utf16, len(out)))
            i += 1
            continue
        # end tag
        bo = _byte_offset(text, begin)
        if not stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {bo}")
        while src[i] not in _SPACES and src[i] != ">":
            i += 1
        end_name = src[begin + 2 : i].lower()
        while i < n and src[i] in _SPACES:
            i += 1
        if src[i] != ">":
            raise EntityParseError(f"Unclosed end tag at byte offset {bo}")
        i += 1
        tag, argument, start, out_start = stack.pop()
        if end_name and end_name != tag:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {bo}, expected "</{tag}>", found "</{end_name}>"'
            )
        length = utf16 - start
        if length <= 0:
            continue
        entity = _make_entity(tag, argument, start, length, "".join(out[out_start:]), known_users)
        if entity is None:
            continue
        last = entities[-1] if entities else None
        same = last is not None and last["offset"] == start and last["length"] == length
        if (
            tag == "pre"
            and same
            and last is not None
            and last["type"] == "code"
            and last.get("_lang")
        ):
            last["type"] = "pre"
            last["language"] = last.pop("_lang")
            continue
        if tag == "code" and same and last is not None and last["type"] == "pre" and argument:
            last["language"] = argument
            continue
        entities.append(entity)
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    for entity in entities:
        entity.pop("_lang", None)
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _make_entity(
    tag: str,
    argument: str,
    offset: int,
    length: int,
    inner: str,
    known_users: dict[int, dict[str, Any]] | None,
) -> dict[str, Any] | None:
    """Build one entity dict for a closed tag, or None when Telegram would drop it."""
    base: dict[str, Any] = {"offset": offset, "length": length}
    if tag in _SIMPLE:
        return {"type": _SIMPLE[tag], **base}
    if tag == "code":
        entity = {"type": "code", **base}
        if argument:
            entity["_lang"] = argument
        return entity
    if tag == "pre":
        return {"type": "pre", **base}
    if tag == "blockquote":
        return {"type": "expandable_blockquote" if argument else "blockquote", **base}
    if tag == "tg-emoji":
        if not argument.isdigit():
            raise EntityParseError("Invalid custom emoji identifier specified")
        return {"type": "custom_emoji", **base, "custom_emoji_id": argument}
    # <a>
    url = argument or inner
    match = re.fullmatch(r"tg://user\?id=(\d+)", url.strip())
    if match:
        user = (known_users or {}).get(int(match.group(1)))
        return {"type": "text_mention", **base, "user": user} if user else None
    normalised = _normalise_url(url)
    if normalised is None:
        return None
    return {"type": "text_link", **base, "url": normalised}


def trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Strip leading/trailing whitespace as Telegram does, shifting and clipping entities."""
    stripped_left = text.lstrip(" \t\r\n\v\f")
    cut = utf16_len(text) - utf16_len(stripped_left)
    result = stripped_left.rstrip(" \t\r\n\v\f")
    total = utf16_len(result)
    fixed: list[dict[str, Any]] = []
    for entity in entities:
        start = max(entity["offset"] - cut, 0)
        end = min(entity["offset"] + entity["length"] - cut, total)
        if end > start:
            fixed.append({**entity, "offset": start, "length": end - start})
    return result, fixed


_OPEN = {
    "bold": "<b>",
    "italic": "<i>",
    "underline": "<u>",
    "strikethrough": "<s>",
    "spoiler": "<tg-spoiler>",
    "code": "<code>",
    "blockquote": "<blockquote>",
    "expandable_blockquote": "<blockquote expandable>",
}
_CLOSE = {
    "bold": "</b>",
    "italic": "</i>",
    "underline": "</u>",
    "strikethrough": "</s>",
    "spoiler": "</tg-spoiler>",
    "code": "</code>",
    "blockquote": "</blockquote>",
    "expandable_blockquote": "</blockquote>",
    "text_link": "</a>",
    "text_mention": "</a>",
    "custom_emoji": "</tg-emoji>",
}


def _tags(entity: dict[str, Any]) -> tuple[str, str]:
    kind = entity["type"]
    if kind in _OPEN:
        return _OPEN[kind], _CLOSE[kind]
    if kind == "pre":
        lang = entity.get("language")
        if lang:
            return f'<pre><code class="language-{html.escape(lang)}">', "</code></pre>"
        return "<pre>", "</pre>"
    if kind == "text_link":
        return f'<a href="{html.escape(entity["url"])}">', "</a>"
    if kind == "text_mention":
        return f'<a href="tg://user?id={entity["user"]["id"]}">', "</a>"
    if kind == "custom_emoji":
        return f'<tg-emoji emoji-id="{entity["custom_emoji_id"]}">', "</tg-emoji>"
    return "", ""


def entities_to_html(text: str, entities: list[dict[str, Any]] | None) -> str:
    """Render plain text + entities as Telegram HTML (for readers such as the chat page)."""
    if not entities:
        return html.escape(text, quote=False)
    opens: dict[int, list[dict[str, Any]]] = {}
    closes: dict[int, list[dict[str, Any]]] = {}
    for entity in sorted(entities, key=lambda e: (e["offset"], -e["length"])):
        opens.setdefault(entity["offset"], []).append(entity)
        closes.setdefault(entity["offset"] + entity["length"], []).insert(0, entity)
    parts: list[str] = []
    pos = 0
    for char in text:
        for entity in closes.get(pos, []):
            parts.append(_tags(entity)[1])
        for entity in opens.get(pos, []):
            parts.append(_tags(entity)[0])
        parts.append(html.escape(char, quote=False))
        pos += 2 if ord(char) > 0xFFFF else 1
    for entity in closes.get(pos, []):
        parts.append(_tags(entity)[1])
    return "".join(parts)
