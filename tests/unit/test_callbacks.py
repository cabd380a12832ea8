"""Callback data stays under Telegram's 64 bytes and forged data is rejected, not trusted."""

from __future__ import annotations

import pytest

from texts.callbacks import BadCallback, ListPage, ProblemAct, ProblemView, ReportStep


def test_round_trip() -> None:
    data = ProblemAct("accept", 123456789, 3)
    assert ProblemAct.unpack(data.pack()) == data
    assert ProblemView.unpack(ProblemView(5, -1).pack()) == ProblemView(5, -1)
    assert ReportStep.unpack("r:cat:market") == ReportStep("cat", "market")


def test_largest_values_fit_in_64_bytes() -> None:
    packed = ProblemAct("withdraw", 2**63 - 1, 2**31 - 1).pack()
    assert len(packed.encode()) <= 64


def test_too_long_is_refused_at_build_time() -> None:
    with pytest.raises(ValueError, match="too long"):
        ReportStep("cat", "x" * 80).pack()


@pytest.mark.parametrize(
    "forged",
    ["a:accept:abc:1", "a:accept:1", "a:accept:1:2:3:4", "v:1:2:3", "l:my", "zz:1", ""],
)
def test_forged_or_foreign_data_does_not_parse(forged: str) -> None:
    with pytest.raises(BadCallback):
        if forged.startswith("v"):
            ProblemView.unpack(forged)
        elif forged.startswith("l"):
            ListPage.unpack(forged)
        else:
            ProblemAct.unpack(forged)
