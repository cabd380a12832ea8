"""A description's minimum counts letters and digits, never padding (issue 10, item 6)."""

from __future__ import annotations

import pytest

from domain.descriptions import long_enough, meaningful_length


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a" + " " * 9 + "b", 2),
        ("。。。。。。。。。。", 0),
        ("!!!...???---", 0),
        ("😀" * 12, 0),
        ("\t\n \u3000\u00a0", 0),
        ("生产线用电负荷不够", 9),
        ("设备 进口，受阻！", 6),
        ("Room 101", 7),
        ("１２３", 3),  # full-width digits
        ("ひらがなカタカナ한국어", 11),
        ("e\u0301té", 3),  # a combining accent is part of its letter
        ("<b>粗体</b> & ' OR 1=1", 8),
        ("€$¥+=<>|~^", 0),
    ],
)
def test_only_letters_and_digits_count(text: str, expected: int) -> None:
    assert meaningful_length(text) == expected


def test_the_minimum_is_met_by_meaningful_characters_only() -> None:
    assert not long_enough("a" + " " * 9 + "b", 10)
    assert not long_enough("短！！！！！！！！！！！！", 10)
    assert long_enough("需要协调一笔过桥贷款", 10)
    assert long_enough("power cut!", 8) and not long_enough("power cut!", 9)
