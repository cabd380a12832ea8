"""Telegram HTML subset parsing: plain text, entities in UTF-16 units, Telegram's reasons."""

from __future__ import annotations

import pytest

from sandbox.html_entities import EntityParseError, entities_to_html, parse_html, trim


def test_nested_tags_give_plain_text_and_entities() -> None:
    text, entities = parse_html(
        "<b>bold <i>both</i></b> &lt;x&gt; &amp; &quot;q&quot; &#20013;&#x6587;"
    )
    assert text == 'bold both <x> & "q" 中文'
    assert entities == [
        {"type": "bold", "offset": 0, "length": 9},
        {"type": "italic", "offset": 5, "length": 4},
    ]


def test_offsets_are_utf16_units() -> None:
    text, entities = parse_html("😀 <u>中文</u>")
    assert text == "😀 中文"
    assert entities == [{"type": "underline", "offset": 3, "length": 2}]


def test_all_supported_tags() -> None:
    text, entities = parse_html(
        "<strong>a</strong><em>b</em><ins>c</ins><s>d</s><strike>e</strike><del>f</del>"
        '<tg-spoiler>g</tg-spoiler><span class="tg-spoiler">h</span>'
        '<a href="https://example.com">i</a><code>j</code><pre>k</pre>'
        '<pre><code class="language-python">l</code></pre>'
        "<blockquote>m</blockquote><blockquote expandable>n</blockquote>"
        '<tg-emoji emoji-id="5368324170671202286">o</tg-emoji>'
    )
    assert text == "abcdefghijklmno"
    kinds = [(e["type"], e["offset"]) for e in entities]
    assert kinds == [
        ("bold", 0),
        ("italic", 1),
        ("underline", 2),
        ("strikethrough", 3),
        ("strikethrough", 4),
        ("strikethrough", 5),
        ("spoiler", 6),
        ("spoiler", 7),
        ("text_link", 8),
        ("code", 9),
        ("pre", 10),
        ("pre", 11),
        ("blockquote", 12),
        ("expandable_blockquote", 13),
        ("custom_emoji", 14),
    ]
    assert entities[8]["url"] == "https://example.com/"
    assert entities[11]["language"] == "python"
    assert entities[14]["custom_emoji_id"] == "5368324170671202286"


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("a <foo>x</foo>", 'Unsupported start tag "foo" at byte offset 2'),
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("中 <b", "Unclosed start tag at byte offset 4"),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("Tom & Jerry", 'Unescaped "&" (write it as "&amp;") at byte offset 4'),
        ("&nbsp;", 'Unescaped "&" (write it as "&amp;") at byte offset 0'),
    ],
)
def test_bad_html_reasons(source: str, reason: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_html(source)
    assert str(caught.value) == reason


def test_bare_ampersand_allowed_when_not_strict() -> None:
    assert parse_html("Tom & Jerry", strict_ampersand=False) == ("Tom & Jerry", [])


def test_trim_shifts_entities() -> None:
    text, entities = trim("  <x>\n", [{"type": "bold", "offset": 0, "length": 5}])
    assert text == "<x>"
    assert entities == [{"type": "bold", "offset": 0, "length": 3}]


def test_entities_round_trip_to_html() -> None:
    source = '<b>a <i>b</i></b> &lt;c&gt; <a href="https://x.org/">d</a>'
    text, entities = parse_html(source)
    assert entities_to_html(text, entities) == source
