"""Admin in the chat: /invite makes a working link, /import applies all or nothing."""

from __future__ import annotations

from sandbox import SimMessage, SimUser
from tests.e2e.conftest import World


async def ask(user: SimUser, text: str) -> SimMessage:
    seen = user.sent_count
    await user.send_text(text)
    return await user.wait_for(after_count=seen)


async def test_admin_invites_and_the_link_binds(people: World) -> None:
    admin, envoy = people.people["admin"], people.people["envoy"]
    assert "市级协调" in (await ask(envoy, "/invite enterprise 西山化工")).text
    assert "用法" in (await ask(admin, "/invite")).text
    assert "找不到" in (await ask(admin, "/invite enterprise 不存在的公司")).text
    made = await ask(admin, "/invite enterprise 西山化工")
    link = next(w for w in made.text.split() if w.startswith("https://t.me/"))
    code = link.split("start=")[1]
    newcomer = people.sandbox.user(777, "新联系人")
    assert "企业联系人" in (await ask(newcomer, f"/start {code}")).text


async def test_admin_imports_a_roster_file_all_or_nothing(people: World) -> None:
    admin = people.people["admin"]
    org = people.bot.services.org
    bad = (
        "企业名称,特派员,联系电话,工作队,队长\n"
        "新企业甲,新特派员,1,新工作队,\n"
        "新企业乙,,2,新工作队,\n"
    )
    assert "/cancel" in (await ask(admin, "/import")).text
    seen = admin.sent_count
    await admin.send_document(bad.encode(), "roster.csv", "text/csv")
    failed = await admin.wait_for(after_count=seen)
    assert "没有做任何修改" in failed.text and "第 3 行" in failed.text
    assert await org.enterprise_by_name("新企业甲") is None

    good = "enterprise,envoy,envoy_phone,team,lead\n新企业<甲>,新特派员,1,新工作队,新特派员\n"
    await ask(admin, "/import")
    assert "只接受" in (await ask_file(admin, b"x", "roster.pdf")).text
    done = await ask_file(admin, good.encode(), "roster.csv")
    assert "已导入 1 行" in done.text
    assert await org.enterprise_by_name("新企业<甲>") is not None


async def ask_file(user: SimUser, data: bytes, name: str) -> SimMessage:
    seen = user.sent_count
    await user.send_document(data, name, "application/octet-stream")
    return await user.wait_for(after_count=seen)
