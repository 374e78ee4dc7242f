"""Irreversible actions ask first; a POST without ``confirmed=1`` changes nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.campaigns.conftest import add, catalog  # noqa: F401  (fixture)
from tests.selection.conftest import lessons, level, submitted  # noqa: F401  (fixture)
from tests.selection.test_awards import ranked  # noqa: F401  (fixture)
from tests.submissions.conftest import campaign  # noqa: F401  (fixture)
from youke.core.actor import Actor
from youke.selection.domain.awards import grant_awards
from youke.selection.domain.entries import confirm_list, decide
from youke.selection.enums import ListState, ObjectionState, PublicityState
from youke.selection.models import Award, LevelEntry, LevelList, Objection, Publicity

pytestmark = pytest.mark.django_db


def _texts(html: str, marker: str) -> list[str]:
    start = html.index(f'id="{marker}"')
    block = html[start : html.index("</ul>", start)]
    return [part.split("</li>")[0].strip() for part in block.split("<li")[1:]]


def _items(html):
    return [t.split(">", 1)[1] for t in _texts(html, "confirm-items")]


def _lines(html):
    return [t.split(">", 1)[1] for t in _texts(html, "confirm-consequences")]


@pytest.fixture
def decided(province, campaign, lessons):  # noqa: F811
    a = submitted(campaign, province.teacher_a, lessons[0], "圆的面积")
    b = submitted(campaign, province.teacher_a, lessons[1], "分数的意义")
    c = submitted(campaign, province.teacher_a, lessons[2], "小数")
    admin = Actor(province.school_a_admin)
    decide(admin, a, "recommended")
    decide(admin, b, "recommended")
    decide(admin, c, "not_recommended", reason="重复")
    return {
        "campaign": campaign.pk,
        "unit": province.school_a.pk,
        "level": level(campaign, "school").pk,
    }


def test_confirming_a_list_shows_counts_names_and_next_level(client, province, decided):
    client.force_login(province.school_a_admin)
    url = reverse("manage_selection:confirm")
    response = client.post(url, decided)
    html = response.content.decode()
    assert response.status_code == 200
    assert _lines(html) == [
        "东湖区实验小学“学校推荐”推荐名单将被锁定，之后不能再改动。",
        "2 件推荐作品将报送东湖区，进入“县级初选”。",
        "不推荐的 1 件和退回修改的 0 件不再随名单上报。",
    ]
    assert _items(html) == ["《分数的意义》 · 王老师", "《圆的面积》 · 王老师"]
    assert "确认名单，报送 2 件" in html
    # Nothing happened yet.
    assert not LevelList.objects.filter(state=ListState.CONFIRMED).exists()
    assert not LevelEntry.objects.filter(level__key="county").exists()
    # The page carries the form forward; confirming acts.
    assert f'name="level" value="{decided["level"]}"' in html
    client.post(url, {**decided, "confirmed": "1"})
    assert LevelList.objects.get(unit=province.school_a).state == ListState.CONFIRMED
    assert LevelEntry.objects.filter(level__key="county").count() == 2


def test_a_list_with_pending_entries_cannot_be_confirmed_from_the_page(
    client,
    province,
    campaign,  # noqa: F811
    lessons,  # noqa: F811
    decided,
):
    submitted(campaign, province.teacher_a, lessons[3], "方程")
    client.force_login(province.school_a_admin)
    html = client.post(reverse("manage_selection:confirm"), decided).content.decode()
    assert "还有 1 件作品待审：请先回到列表逐一处理，否则名单不能确认。" in html
    assert 'type="submit">确认名单' not in html


def test_granting_and_revoking_awards_ask_first(client, province, ranked):  # noqa: F811
    review_round, entries, grades = ranked
    url = reverse("manage_selection:awards", args=[review_round.pk])
    client.force_login(province.city_admin)
    first = entries[0].pk
    html = client.post(
        url, {"action": "grant", "entry": [first], f"grade_{first}": grades[0].pk}
    ).content.decode()
    assert _lines(html)[0] == "1 件作品将获奖：一等奖 1 件。"
    assert _items(html) == ["《甲》 · 王老师 → 一等奖"]
    assert not Award.objects.exists()

    grant_awards(Actor(province.city_admin), review_round, [(entries[0], grades[0], "")])
    award = Award.objects.get()
    html = client.post(
        url, {"action": "revoke", "award": award.pk, "reason": "材料不实"}
    ).content.decode()
    assert _lines(html)[0] == "《甲》（王老师）的一等奖将被撤销，撤销记入日志。"
    assert _items(html) == ["撤销理由：材料不实"]
    award.refresh_from_db()
    assert award.revoked_at is None
    html = client.post(url, {"action": "revoke", "award": award.pk, "reason": ""}).content.decode()
    assert "没有填写撤销理由：请返回填写后再撤销。" in html
    assert 'type="submit">确认撤销' not in html


def test_finalising_publicity_asks_first(client, province, campaign, lessons):  # noqa: F811
    entry = submitted(campaign, province.teacher_a, lessons[0], "圆的面积")
    decide(Actor(province.school_a_admin), entry, "recommended")
    confirm_list(
        Actor(province.school_a_admin), campaign, level(campaign, "school"), province.school_a
    )
    now = timezone.now()
    window = Publicity.objects.create(
        campaign=campaign,
        level=level(campaign, "school"),
        unit=province.school_a,
        title="东湖区实验小学推荐公示",
        starts_at=now - datetime.timedelta(days=8),
        ends_at=now - datetime.timedelta(days=1),
        state=PublicityState.CLOSED,
        created_by=province.school_a_admin,
    )
    Objection.objects.create(
        publicity=window,
        entry=entry,
        name="甲",
        contact="1",
        reason="雷同",
        state=ObjectionState.REJECTED,
    )
    client.force_login(province.school_a_admin)
    url = reverse("manage_publicity:publicity_finalise", args=[window.pk])
    html = client.post(url).content.decode()
    assert _lines(html) == [
        "公示“东湖区实验小学推荐公示”的 1 件作品成为正式结果，名单不能再改动。",
        "不再受理异议（已处理 1 条：成立 0 条，不成立 1 条）。",
    ]
    assert _items(html) == ["《圆的面积》 · 王老师 · 东湖区实验小学"]
    window.refresh_from_db()
    assert window.state == PublicityState.CLOSED
    client.post(url, {"confirmed": "1"})
    window.refresh_from_db()
    assert window.state == PublicityState.FINAL


def test_inbox_rows_show_only_allowed_actions_with_reason_dialogs(
    client,
    province,
    campaign,  # noqa: F811
    lessons,  # noqa: F811
):
    pending = submitted(campaign, province.teacher_a, lessons[0], "甲")
    returned = submitted(campaign, province.teacher_a, lessons[1], "乙")
    decide(Actor(province.school_a_admin), returned, "returned", reason="补充课件")
    client.force_login(province.school_a_admin)
    response = client.get(reverse("manage_selection:inbox"), {"campaign": campaign.pk})
    rows = {e.submission.title: [a["value"] for a in e.actions] for e in response.context["page"]}
    assert rows == {
        "甲": ["recommended", "not_recommended", "returned"],
        "乙": ["pending"],
    }
    html = response.content.decode()
    row = html[html.index(f'id="entry-{pending.pk}"') : html.index(f'id="entry-{returned.pk}"')]
    decide_url = reverse("manage_selection:entry_decide", args=[pending.pk])
    assert (
        f'data-bs-target="#decide-reason" data-action="{decide_url}" data-decision="returned"'
        in row
    )
    # One shared dialog per kind after the table, filled from the button that opens it.
    assert html.count('id="decide-reason"') == 1
    modal = html[html.index('id="decide-reason"') :]
    assert 'name="reason" rows="3" maxlength="300" required' in modal
    assert "<script" not in row and "onclick" not in row
    other = html[html.index(f'id="entry-{returned.pk}"') :]
    assert 'value="recommended"' not in other.split("</tr>")[0]
