"""Editing a campaign validates the whole configuration and names every problem in Chinese."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from youke.campaigns.domain import campaigns as domain
from youke.campaigns.domain.deadlines import effective_deadline, set_unit_deadline
from youke.campaigns.enums import CAMPAIGN_TRANSITIONS, CampaignState
from youke.campaigns.models import Campaign, Criterion, UnitDeadline, VideoRule
from youke.core.actor import Actor
from youke.core.models import AuditEvent
from youke.orgs.domain.units import PermissionDenied

pytestmark = pytest.mark.django_db


def at(month, day, hour=18, minute=0):
    return timezone.make_aware(datetime.datetime(2026, month, day, hour, minute))


def test_deadlines_out_of_order(quality, province):
    county = quality.levels.get(key="county")
    with pytest.raises(ValidationError) as exc:
        domain.update_campaign(
            Actor(province.province_admin), quality, level_deadlines={county.pk: at(9, 10)}
        )
    assert exc.value.message_dict == {
        f"level_{county.pk}": [
            "“县级初选”的截止时间（2026-09-10 18:00）必须晚于上一级“学校推荐”的截止时间"
            "（2026-09-15 18:00）。请按遴选顺序调整截止时间。"
        ]
    }
    county.refresh_from_db()
    assert county.deadline == at(9, 18)  # nothing saved


def test_window_outside_campaign(showcase, province):
    window = showcase.windows.get(label="初中")
    with pytest.raises(ValidationError) as exc:
        domain.update_campaign(
            Actor(province.city_admin),
            showcase,
            windows={window.pk: (datetime.date(2026, 3, 1), datetime.date(2026, 6, 30))},
        )
    assert exc.value.message_dict == {
        f"window_{window.pk}_opens": [
            "上传时间段“初中”（2026-03-01 至 2026-06-30）必须在活动时间 2026-03-16 至 2026-12-31 "
            "之内。请调整时间段或活动时间。"
        ]
    }


def test_rubric_must_add_up_to_100(quality, province):
    criterion = Criterion.objects.get(
        category__campaign=quality, category__code="subject", name="教学目标"
    )
    with pytest.raises(ValidationError) as exc:
        domain.update_campaign(
            Actor(province.province_admin), quality, criterion_points={criterion.pk: 5}
        )
    assert exc.value.messages == [
        "类别“学科课程”的评价指标合计 95 分，应为 100 分。请调整各项分值。"
    ]


def test_upload_limit_and_rule_values(quality, province, settings):
    settings.UPLOAD_MAX_BYTES = 2 * 1024**3
    rule = VideoRule.objects.filter(
        requirement__category__campaign=quality, rule="frame_rate"
    ).first()
    with pytest.raises(ValidationError) as exc:
        domain.update_campaign(
            Actor(province.province_admin),
            quality,
            fields={"max_upload_bytes": 3 * 1024**3},
            video_rules={rule.pk: ("快", "warns")},
        )
    assert exc.value.message_dict == {
        "max_upload_bytes": ["单个文件上限应大于 0 且不超过平台上限 2048 MB，请调整。"],
        f"rule_{rule.pk}": ["“帧率（帧/秒）”应填写正数，例如 25，请修改。"],
    }


def test_valid_update_is_saved_and_audited(quality, province):
    county = quality.levels.get(key="county")
    subject = Criterion.objects.filter(category__campaign=quality, category__code="subject")
    goals, content = subject.get(name="教学目标"), subject.get(name="内容组织")
    domain.update_campaign(
        Actor(province.province_admin),
        quality,
        fields={"name": "2026年示范省精品课", "max_upload_bytes": 512 * 1024**2},
        level_deadlines={county.pk: at(9, 20)},
        criterion_points={goals.pk: 12, content.pk: 8},
    )
    quality.refresh_from_db()
    county.refresh_from_db()
    assert (quality.name, quality.max_upload_bytes, county.deadline) == (
        "2026年示范省精品课",
        512 * 1024**2,
        at(9, 20),
    )
    event = AuditEvent.objects.filter(object_type="campaigns.campaign", action="update").get()
    assert event.before["name"] == "2026年基础教育精品课"
    assert event.after["changed"] == {"levels": ["县级初选"], "criteria": ["教学目标", "内容组织"]}


def test_county_admin_cannot_edit_city_campaign(showcase, province):
    with pytest.raises(PermissionDenied):
        domain.update_campaign(Actor(province.county_a_admin), showcase, fields={"name": "x"})


@pytest.mark.parametrize("current", CampaignState.values)
@pytest.mark.parametrize("target", CampaignState.values)
def test_state_transition_table(showcase, province, current, target):
    Campaign.objects.filter(pk=showcase.pk).update(state=current)
    showcase.refresh_from_db()
    allowed = {
        ("draft", "published"),
        ("published", "closed"),
        ("closed", "published"),
    }
    assert (target in CAMPAIGN_TRANSITIONS[current]) == ((current, target) in allowed)
    actor = Actor(province.city_admin)
    if (current, target) in allowed:
        result = domain.set_campaign_state(showcase, target, actor=actor, reason="按计划")
        assert result.state == target
        event = AuditEvent.objects.filter(object_type="campaigns.campaign", action="update").get()
        assert (event.before, event.after, event.reason) == (
            {"state": current},
            {"state": target},
            "按计划",
        )
    else:
        with pytest.raises(ValidationError):
            domain.set_campaign_state(showcase, target, actor=actor)
        showcase.refresh_from_db()
        assert showcase.state == current


def test_publishing_revalidates(showcase, province):
    Criterion.objects.filter(category__campaign=showcase, name="教学目标").update(points=0)
    with pytest.raises(ValidationError) as exc:
        domain.set_campaign_state(showcase, "published", actor=Actor(province.city_admin))
    assert exc.value.messages == ["类别“晒课”的评价指标合计 90 分，应为 100 分。请调整各项分值。"]


def test_state_change_needs_a_manager(showcase, province):
    with pytest.raises(PermissionDenied):
        domain.set_campaign_state(showcase, "published", actor=Actor(province.county_a_admin))


# --- internal unit deadlines (R8: tighter, never looser) ------------------------------------


def publish(campaign, province):
    domain.set_campaign_state(campaign, "published", actor=Actor(province.platform_admin))


def test_unit_deadline_tighter_accepted_looser_refused(showcase, province):
    publish(showcase, province)
    school_level = showcase.levels.get(key="school")  # 08-31 18:00
    set_unit_deadline(
        Actor(province.county_a_admin), showcase, school_level, province.county_a, at(8, 25)
    )
    assert effective_deadline(showcase, school_level, province.school_a) == at(8, 25)
    assert effective_deadline(showcase, school_level, province.school_b) == at(8, 31)
    # The school under the county may tighten further, but not go past the county's date.
    with pytest.raises(ValidationError) as exc:
        set_unit_deadline(
            Actor(province.school_a_admin), showcase, school_level, province.school_a, at(8, 28)
        )
    assert exc.value.message_dict == {
        "deadline": [
            "内部截止时间不能晚于东湖区规定的“学校推荐”截止时间 2026-08-25 18:00。"
            "请选择不晚于该时间的时间。"
        ]
    }
    with pytest.raises(ValidationError) as exc:
        set_unit_deadline(
            Actor(province.county_b_admin), showcase, school_level, province.county_b, at(9, 1)
        )
    assert "不能晚于青山市规定的“学校推荐”截止时间 2026-08-31 18:00" in exc.value.messages[0]
    assert UnitDeadline.objects.count() == 1


def test_draft_campaign_is_invisible_to_lower_units(showcase, province):
    with pytest.raises(PermissionDenied):
        set_unit_deadline(
            Actor(province.county_a_admin),
            showcase,
            showcase.levels.get(key="school"),
            province.county_a,
            at(8, 1),
        )


def test_unit_deadline_scope_and_level(showcase, province):
    publish(showcase, province)
    city_level = showcase.levels.get(key="city")
    with pytest.raises(ValidationError) as exc:
        set_unit_deadline(
            Actor(province.county_a_admin), showcase, city_level, province.county_a, at(9, 1)
        )
    assert exc.value.messages == ["“市级遴选”由上级单位负责，东湖区 不能为它设置内部截止时间。"]
    with pytest.raises(PermissionDenied):  # another county's subtree
        set_unit_deadline(
            Actor(province.county_a_admin),
            showcase,
            showcase.levels.get(key="school"),
            province.county_b,
            at(8, 1),
        )


def test_deadlines_for_a_unit(showcase, province):
    publish(showcase, province)
    from youke.campaigns.domain.deadlines import deadlines_for

    school_level = showcase.levels.get(key="school")
    set_unit_deadline(
        Actor(province.county_a_admin), showcase, school_level, province.county_a, at(8, 25)
    )
    set_unit_deadline(
        Actor(province.school_a_admin), showcase, school_level, province.school_a, at(8, 20)
    )
    assert [(lv.key, d) for lv, d in deadlines_for(showcase, province.point_a)] == [
        ("school", at(8, 20)),
        ("county", at(9, 5)),
        ("city", at(9, 11)),
        ("publicity", at(12, 25)),
    ]
    assert deadlines_for(showcase, province.school_b)[0][1] == at(8, 31)
