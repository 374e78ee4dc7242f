import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import make_person
from tests.selection.conftest import level, submitted
from youke.core.actor import Actor
from youke.core.models import AuditEvent
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.enums import Role
from youke.selection import rules
from youke.selection.domain.entries import IllegalDecision, confirm_list, decide, ensure_entry
from youke.selection.domain.quotas import allocate_quota
from youke.selection.domain.screening import record_screening
from youke.selection.enums import ENTRY_TRANSITIONS, EntryState, ListState
from youke.selection.models import LevelEntry, LevelList

pytestmark = pytest.mark.django_db

S = EntryState
ALLOWED = {
    (S.PENDING, S.RECOMMENDED),
    (S.PENDING, S.NOT_RECOMMENDED),
    (S.PENDING, S.RETURNED),
    (S.RECOMMENDED, S.NOT_RECOMMENDED),
    (S.RECOMMENDED, S.RETURNED),
    (S.NOT_RECOMMENDED, S.RECOMMENDED),
    (S.NOT_RECOMMENDED, S.RETURNED),
    (S.RETURNED, S.PENDING),
}


@pytest.mark.parametrize("start", S.values)
@pytest.mark.parametrize("decision", S.values)
def test_state_table(province, campaign, lessons, start, decision):
    entry = submitted(campaign, province.teacher_a, lessons[0], "甲")
    LevelEntry.objects.filter(pk=entry.pk).update(state=start)
    entry.refresh_from_db()
    allowed = (start, decision) in ALLOWED
    assert (decision in ENTRY_TRANSITIONS[start]) is allowed
    actor = Actor(province.school_a_admin)
    if allowed:
        decide(actor, entry, decision, reason="理由")
        entry.refresh_from_db()
        assert entry.state == decision
    else:
        with pytest.raises(IllegalDecision):
            decide(actor, entry, decision, reason="理由")


def test_ensure_entry_places_school_entry_and_is_idempotent(province, campaign, catalog):
    teacher = make_person(province.point_a, Role.TEACHER, full_name="柳老师")
    entry = submitted(campaign, teacher, catalog.lesson4, "甲")
    assert (entry.level.key, entry.unit, entry.state) == ("school", province.school_a, "pending")
    assert ensure_entry(entry.submission).pk == entry.pk
    decide(Actor(province.school_a_admin), entry, S.RETURNED, reason="视频模糊")
    assert ensure_entry(entry.submission).state == S.PENDING


def test_first_school_decision_ends_editing(province, campaign, catalog):
    entry = submitted(campaign, province.teacher_a, catalog.lesson4, "甲")
    assert entry.submission.school_acted_at is None
    decide(Actor(province.school_a_admin), entry, S.RECOMMENDED)
    entry.submission.refresh_from_db()
    assert entry.submission.school_acted_at is not None


@pytest.mark.parametrize("decision", [S.NOT_RECOMMENDED, S.RETURNED])
def test_reason_required(province, campaign, catalog, decision):
    entry = submitted(campaign, province.teacher_a, catalog.lesson4, "甲")
    with pytest.raises(ValidationError) as exc:
        decide(Actor(province.school_a_admin), entry, decision, reason="  ")
    assert exc.value.message_dict == {"reason": ["请填写理由，下级单位和教师会看到它。"]}
    decide(Actor(province.school_a_admin), entry, decision, reason="与主题不符")
    entry.refresh_from_db()
    assert (entry.state, entry.reason) == (decision, "与主题不符")
    event = AuditEvent.objects.filter(object_type="selection.levelentry").latest("id")
    assert (event.after["state"], event.reason) == (decision, "与主题不符")


def test_quota_refuses_sixth(province, campaign, lessons):
    entries = [submitted(campaign, province.teacher_a, lessons[i], f"课{i}") for i in range(6)]
    allocate_quota(
        Actor(province.county_a_admin), campaign, level(campaign, "school"), province.school_a, 5
    )
    for entry in entries[:5]:
        decide(Actor(province.school_a_admin), entry, S.RECOMMENDED)
    with pytest.raises(ValidationError) as exc:
        decide(Actor(province.school_a_admin), entries[5], S.RECOMMENDED)
    assert exc.value.messages == [
        "本级名额已用完：已推荐 5 件，名额 5 件。请先取消其他推荐，或请上级单位调整名额。"
    ]
    # Freeing a place lets the sixth through.
    decide(Actor(province.school_a_admin), entries[0], S.NOT_RECOMMENDED, reason="让位")
    decide(Actor(province.school_a_admin), entries[5], S.RECOMMENDED)


def test_category_quota(province, campaign, lessons):
    special = campaign.categories.get(code="special_education")
    a = submitted(campaign, province.teacher_a, lessons[0], "特教一", category=special)
    b = submitted(campaign, province.teacher_a, lessons[1], "特教二", category=special)
    c = submitted(campaign, province.teacher_a, lessons[2], "学科")
    school = level(campaign, "school")
    allocate_quota(Actor(province.county_a_admin), campaign, school, province.school_a, 1, special)
    decide(Actor(province.school_a_admin), a, S.RECOMMENDED)
    decide(Actor(province.school_a_admin), c, S.RECOMMENDED)
    with pytest.raises(ValidationError, match="特殊教育.*名额已用完：已推荐 1 件，名额 1 件"):
        decide(Actor(province.school_a_admin), b, S.RECOMMENDED)


def test_quota_only_from_above(province, campaign):
    school = level(campaign, "school")
    with pytest.raises(PermissionDenied):
        allocate_quota(Actor(province.school_a_admin), campaign, school, province.school_a, 3)
    with pytest.raises(ValidationError, match="不能给“东湖区”分配该级名额"):
        allocate_quota(Actor(province.city_admin), campaign, school, province.county_a, 3)


def test_r5_one_per_node_with_override(province, campaign, catalog):
    first = submitted(campaign, province.teacher_a, catalog.lesson4, "甲")
    second = submitted(campaign, province.teacher_a, catalog.lesson4, "乙")
    admin = Actor(province.school_a_admin)
    decide(admin, first, S.RECOMMENDED)
    with pytest.raises(ValidationError) as exc:
        decide(admin, second, S.RECOMMENDED)
    assert exc.value.messages == [
        "同一课程节点已推荐《甲》（每个节点原则上推荐一件）。请取消其中一件，或填写特批理由。"
    ]
    decide(admin, second, S.RECOMMENDED, override_reason="两节课侧重点不同")
    second.refresh_from_db()
    assert second.override_reason == "两节课侧重点不同"
    event = AuditEvent.objects.filter(object_id=str(second.pk)).latest("id")
    assert (event.after["overrode"], event.reason) == (["R5/R6"], "两节课侧重点不同")


def test_r6_one_per_teacher_only_for_one_teacher_one_lesson(
    province, campaign, otol_campaign, lessons
):
    admin = Actor(province.school_a_admin)
    for camp, refused in ((campaign, False), (otol_campaign, True)):
        a = submitted(camp, province.teacher_a, lessons[0], "甲")
        b = submitted(camp, province.teacher_a, lessons[1], "乙")
        decide(admin, a, S.RECOMMENDED)
        if refused:
            with pytest.raises(ValidationError, match="该教师已有《甲》被推荐"):
                decide(admin, b, S.RECOMMENDED)
            decide(admin, b, S.RECOMMENDED, override_reason="市级特批")
            b.refresh_from_db()
            assert b.override_reason == "市级特批"
        else:
            decide(admin, b, S.RECOMMENDED)


def test_deadline_closes_level_and_above_can_override(province, campaign, catalog):
    entry = submitted(campaign, province.teacher_a, catalog.lesson4, "甲")
    late = timezone.now() + datetime.timedelta(days=11)  # school level ends in 10 days
    with pytest.raises(ValidationError, match="已于 .* 截止，本级不能再修改"):
        decide(Actor(province.school_a_admin), entry, S.RECOMMENDED, now=late)
    with pytest.raises(ValidationError) as exc:
        decide(Actor(province.county_a_admin), entry, S.RECOMMENDED, now=late)
    assert "override_reason" in exc.value.message_dict
    decide(
        Actor(province.county_a_admin),
        entry,
        S.RECOMMENDED,
        override_reason="学校系统故障，县级补录",
        now=late,
    )
    entry.refresh_from_db()
    assert (entry.state, entry.override_reason) == (S.RECOMMENDED, "学校系统故障，县级补录")
    event = AuditEvent.objects.filter(object_id=str(entry.pk)).latest("id")
    assert event.after["overrode"] == ["deadline"]
    assert event.actor == province.county_a_admin


def test_other_county_cannot_decide(province, campaign, catalog):
    entry = submitted(campaign, province.teacher_a, catalog.lesson4, "甲")
    with pytest.raises(PermissionDenied):
        decide(Actor(province.county_b_admin), entry, S.RECOMMENDED)


def test_confirm_list_moves_recommended_up_and_locks(province, campaign, lessons):
    admin = Actor(province.school_a_admin)
    a = submitted(campaign, province.teacher_a, lessons[0], "甲")
    b = submitted(campaign, province.teacher_a, lessons[1], "乙")
    c = submitted(campaign, province.teacher_a, lessons[2], "丙")
    school = level(campaign, "school")
    with pytest.raises(ValidationError, match="还有 3 件作品待审"):
        confirm_list(admin, campaign, school, province.school_a)
    decide(admin, a, S.RECOMMENDED)
    decide(admin, b, S.RECOMMENDED)
    decide(admin, c, S.NOT_RECOMMENDED, reason="不符合要求")
    row = confirm_list(admin, campaign, school, province.school_a)
    assert row.state == ListState.CONFIRMED and row.confirmed_by == province.school_a_admin
    county = level(campaign, "county")
    assert sorted(
        LevelEntry.objects.filter(level=county).values_list("submission__title", "unit", "state")
    ) == [("乙", province.county_a.pk, "pending"), ("甲", province.county_a.pk, "pending")]
    with pytest.raises(ValidationError, match="本级推荐名单已确认"):
        decide(admin, c, S.RECOMMENDED)
    with pytest.raises(ValidationError, match="本级推荐名单已确认"):
        confirm_list(admin, campaign, school, province.school_a)


def test_confirm_rechecks_lowered_quota(province, campaign, lessons):
    admin = Actor(province.school_a_admin)
    school = level(campaign, "school")
    entries = [submitted(campaign, province.teacher_a, lessons[i], f"课{i}") for i in range(3)]
    for entry in entries:
        decide(admin, entry, S.RECOMMENDED)
    allocate_quota(Actor(province.county_a_admin), campaign, school, province.school_a, 2)
    with pytest.raises(
        ValidationError, match="超出名额：已推荐 3 件，名额 2 件。请取消 1 件推荐。"
    ):
        confirm_list(admin, campaign, school, province.school_a)
    assert LevelList.objects.get(level=school, unit=province.school_a).state == ListState.OPEN


def _to_county(province, campaign, node, title):
    entry = submitted(campaign, province.teacher_a, node, title)
    decide(Actor(province.school_a_admin), entry, S.RECOMMENDED)
    return entry


def test_screening_gates_county_recommendation(province, campaign, lessons):
    _to_county(province, campaign, lessons[0], "甲")
    confirm_list(
        Actor(province.school_a_admin), campaign, level(campaign, "school"), province.school_a
    )
    entry = LevelEntry.objects.get(level__key="county", level__campaign=campaign)
    admin = Actor(province.county_a_admin)
    with pytest.raises(ValidationError, match="还没有初选记录"):
        decide(admin, entry, S.RECOMMENDED)
    record_screening(admin, entry, technical_check="pass", trial_result="fail", panel="张、李")
    with pytest.raises(ValidationError, match="技术审核或试讲未通过"):
        decide(admin, entry, S.RECOMMENDED)
    record_screening(admin, entry, trial_result="pass")
    decide(admin, entry, S.RECOMMENDED)
    entry.refresh_from_db()
    assert entry.state == S.RECOMMENDED
    assert entry.screening.panel == "张、李" and entry.filming.state == "requested"


def test_entries_visible_to(province, campaign, catalog):
    a = submitted(campaign, province.teacher_a, catalog.lesson4, "甲")
    b = submitted(campaign, province.teacher_b, catalog.lesson4, "乙")
    seen = {
        name: set(rules.entries_visible_to(getattr(province, name)).values_list("pk", flat=True))
        for name in (
            "platform_admin",
            "city_admin",
            "county_a_admin",
            "county_b_admin",
            "school_a_admin",
            "teacher_a",
            "expert",
        )
    }
    assert seen == {
        "platform_admin": {a.pk, b.pk},
        "city_admin": {a.pk, b.pk},
        "county_a_admin": {a.pk},
        "county_b_admin": {b.pk},
        "school_a_admin": {a.pk},
        "teacher_a": set(),
        "expert": set(),
    }
    for name, pks in seen.items():
        person = getattr(province, name)
        for entry in (a, b):
            assert rules.can_view_entry(person, entry) is (entry.pk in pks), (name, entry)
