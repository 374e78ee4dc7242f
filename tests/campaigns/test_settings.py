"""Editing a campaign validates the whole configuration and names every problem in Chinese."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.campaigns.html import table_rows
from tests.submissions.conftest import campaign as open_campaign  # noqa: F401  (fixture)
from youke.campaigns.domain import campaigns as domain
from youke.campaigns.domain import settings as settings_domain
from youke.campaigns.domain.deadlines import effective_deadline, set_unit_deadline
from youke.campaigns.enums import CAMPAIGN_TRANSITIONS, CampaignState
from youke.campaigns.models import (
    AwardGrade,
    Campaign,
    ChecklistItem,
    Criterion,
    MaterialRequirement,
    UnitDeadline,
    VideoRule,
)
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
            video_rules={rule.pk: ("快", "warns", "")},
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


def publish(target, province):
    domain.set_campaign_state(target, "published", actor=Actor(province.platform_admin))


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


# --- structure settings: materials, rules, rubric, categories, awards (domain/settings.py) ---

MB = 1024 * 1024


def material_of(target, category_code, code):
    return MaterialRequirement.objects.get(
        category__campaign=target, category__code=category_code, code=code
    )


def last_event(object_type):
    return AuditEvent.objects.filter(object_type=object_type).latest("id")


def test_update_material_exact(quality, province):
    video = material_of(quality, "subject", "micro_video")
    settings_domain.update_material(
        Actor(province.province_admin),
        video,
        name=" 微课视频（含片头） ",
        allowed_extensions="MP4, .mov、mp4",
        max_bytes=500 * MB,
        required=False,
        required_from_level="city",
        per_period=False,
    )
    video.refresh_from_db()
    assert (
        video.name,
        video.allowed_extensions,
        video.max_bytes,
        video.required,
        video.required_from_level,
        video.per_period,
    ) == ("微课视频（含片头）", "mp4,mov", 500 * MB, False, "city", False)
    event = last_event("campaigns.materialrequirement")
    assert (event.action, event.before["name"], event.after["name"]) == (
        "update",
        "微课视频",
        "微课视频（含片头）",
    )
    assert (event.before["max_bytes"], event.after["max_bytes"]) == (1024 * MB, 500 * MB)
    assert event.unit == province.province


def test_material_validation_names_field_and_fix(quality, province, settings):
    settings.UPLOAD_MAX_BYTES = 512 * MB
    design = material_of(quality, "subject", "teaching_design")
    with pytest.raises(ValidationError) as exc:
        settings_domain.update_material(
            Actor(province.province_admin),
            design,
            name="",
            allowed_extensions="docx, avi, wps",
            max_bytes=600 * MB,
            required=True,
            required_from_level="city",
        )
    assert exc.value.message_dict == {
        "name": ["请填写“材料名称”。"],
        "allowed_extensions": [
            "“允许的文件类型”中的 avi、wps 不受支持，只能从 "
            "mp4,mov,m4v,pdf,doc,docx,ppt,pptx,xls,xlsx 中选择，请修改。"
        ],
        "max_bytes": [
            "“大小上限”应为 1 至 512 MB（不超过本活动单个文件上限 1024 MB 和平台上限 512 MB），"
            "请修改。"
        ],
        "required_from_level": ["必交材料不需要“自该级别起必交”。请取消“必交”，或把此项留空。"],
    }
    with pytest.raises(ValidationError) as exc:
        settings_domain.update_material(
            Actor(province.province_admin), design, allowed_extensions="pdf,mp4", max_bytes=MB
        )
    assert exc.value.message_dict == {
        "allowed_extensions": [
            "文档材料只能使用 pdf,doc,docx,ppt,pptx,xls,xlsx 类型，mp4 不行，请修改。"
        ]
    }
    design.refresh_from_db()
    assert (design.name, design.allowed_extensions) == ("教学设计", "doc,docx,pdf")


def test_material_name_unique_and_per_period_needs_periods(showcase, province):
    design = material_of(showcase, "showcase", "teaching_design")
    with pytest.raises(ValidationError) as exc:
        settings_domain.update_material(
            Actor(province.city_admin), design, name="课件", per_period=True
        )
    assert exc.value.message_dict == {
        "name": ["本类别已有名为“课件”的材料，请换一个名称。"],
        "per_period": [
            "类别“晒课”每件作品只有 1 个课时，不需要“每课时一份”。请取消该项或增加课时数。"
        ],
    }


def test_add_and_remove_material(quality, province):
    subject = quality.categories.get(code="subject")
    material = settings_domain.add_material(
        Actor(province.province_admin),
        subject,
        name="学习指南",
        kind="document",
        allowed_extensions="pdf",
        max_bytes=50 * MB,
        required=False,
        required_from_level="province",
        per_period=False,
    )
    assert (material.code, material.order, material.required_from_level) == (
        "material_6",
        5,
        "province",
    )
    assert list(subject.materials.values_list("name", flat=True))[-1] == "学习指南"
    assert last_event("campaigns.materialrequirement").after["category"] == "学科课程"
    settings_domain.remove_material(Actor(province.province_admin), material)
    assert not MaterialRequirement.objects.filter(pk=material.pk).exists()
    event = last_event("campaigns.materialrequirement")
    assert (event.action, event.before["name"]) == ("delete", "学习指南")


def test_video_rules_and_checklist(quality, province):
    actor = Actor(province.province_admin)
    video = material_of(quality, "subject", "micro_video")
    design = material_of(quality, "subject", "teaching_design")
    with pytest.raises(ValidationError) as exc:
        settings_domain.add_video_rule(
            actor, video, rule="frame_rate", value="30", severity="blocks"
        )
    assert exc.value.message_dict == {
        "rule": ["“微课视频”已有“帧率（帧/秒）”规则，请直接修改该规则的要求值。"]
    }
    with pytest.raises(ValidationError) as exc:
        settings_domain.add_video_rule(actor, design, rule="min_width", value="1", severity="warns")
    assert exc.value.message_dict == {"rule": ["“教学设计”是文档材料，不能设置视频规则。"]}
    longest = VideoRule.objects.get(requirement=video, rule="max_duration_seconds", stage=None)
    with pytest.raises(ValidationError) as exc:
        settings_domain.update_video_rule(actor, longest, value="300", severity="warns")
    assert exc.value.message_dict == {
        "value": ["“最短时长（秒）”（600）应小于“最长时长（秒）”（300），请修改。"]
    }
    settings_domain.remove_video_rule(actor, longest)
    rule = settings_domain.add_video_rule(
        actor, video, rule="max_duration_seconds", value=" 900 ", severity="blocks"
    )
    assert (rule.value, rule.severity) == ("900", "blocks")
    assert [(e.action, e.object_type) for e in AuditEvent.objects.order_by("id")][-2:] == [
        ("delete", "campaigns.videorule"),
        ("create", "campaigns.videorule"),
    ]
    item = settings_domain.add_checklist_item(actor, video, "  画面无水印  ")
    assert list(video.checklist.values_list("text", flat=True))[-1] == "画面无水印"
    with pytest.raises(ValidationError) as exc:
        settings_domain.add_checklist_item(actor, video, "画面无水印")
    assert exc.value.message_dict == {"text": ["“微课视频”已有这一检查项，不需要重复添加。"]}
    settings_domain.remove_checklist_item(actor, item)
    assert not ChecklistItem.objects.filter(pk=item.pk).exists()
    assert last_event("campaigns.checklistitem").before == {
        "material": "微课视频",
        "text": "画面无水印",
    }


def test_rubric_edit_add_remove_in_draft(quality, province):
    subject = quality.categories.get(code="subject")
    criteria = {c.name: c for c in subject.criteria.all()}
    settings_domain.update_rubric(
        Actor(province.province_admin),
        subject,
        changes={
            criteria["教学目标"].pk: {"name": "教学目标与学情", "points": 5},
            criteria["不含任何广告"].pk: {"name": "不含任何商业广告"},
        },
        added=[{"group": "process", "name": "课堂互动", "points": 10, "is_veto": False}],
        removed=[criteria["资源完整性"].pk],
    )
    rows = [(c.group, c.name, c.points, c.is_veto) for c in subject.criteria.all()]
    assert rows[0] == ("goals_content", "教学目标与学情", 5, False)
    assert ("veto", "不含任何商业广告", 0, True) in rows
    assert rows[-1] == ("process", "课堂互动", 10, False)
    assert "资源完整性" not in [r[1] for r in rows]
    assert settings_domain.rubric_total(subject.criteria.all()) == 100
    event = last_event("campaigns.category")
    assert event.after["criteria"]["total"] == 100
    assert "资源完整性" in event.before["criteria"]


def test_rubric_draft_may_be_incomplete_but_not_published(quality, province):
    subject = quality.categories.get(code="subject")
    settings_domain.update_rubric(
        Actor(province.province_admin),
        subject,
        added=[{"group": "process", "name": "课堂互动", "points": 10, "is_veto": False}],
    )
    with pytest.raises(ValidationError) as exc:
        domain.set_campaign_state(quality, "published", actor=Actor(province.province_admin))
    assert exc.value.messages == [
        "类别“学科课程”的评价指标合计 110 分，应为 100 分。请调整各项分值。"
    ]


def test_rubric_validation(quality, province):
    subject = quality.categories.get(code="subject")
    veto = subject.criteria.get(name="不含任何广告")
    goals = subject.criteria.get(name="教学目标")
    with pytest.raises(ValidationError) as exc:
        settings_domain.update_rubric(
            Actor(province.province_admin),
            subject,
            changes={veto.pk: {"points": 5}, goals.pk: {"name": "内容组织"}},
            added=[{"group": "veto", "name": "", "points": 0, "is_veto": False}],
        )
    assert exc.value.message_dict == {
        f"criterion_{veto.pk}_points": [
            "“不含任何广告”是一票否决项，不计分。请把分值改为 0，或取消“一票否决”。"
        ],
        "new_0_name": ["请填写“评价指标”。"],
        "new_0_is_veto": ["“”的一级指标是“一票否决”，请勾选“一票否决”或改选其他一级指标。"],
        "__all__": ["评价指标“内容组织”重复，请修改其中一项的名称。"],
    }


def test_published_campaign_must_stay_publishable(showcase, province):
    publish(showcase, province)
    category = showcase.categories.get()
    criteria = {c.name: c for c in category.criteria.all()}
    first, second = list(criteria.values())[:2]
    points = first.points
    with pytest.raises(ValidationError) as exc:
        settings_domain.update_rubric(
            Actor(province.city_admin), category, changes={first.pk: {"points": first.points - 5}}
        )
    assert exc.value.messages == [
        "活动已发布，修改后的设置必须完整有效，本次修改未保存。",
        "类别“晒课”的评价指标合计 95 分，应为 100 分。请调整各项分值。",
    ]
    # Moving five points in one step keeps the total and is accepted.
    settings_domain.update_rubric(
        Actor(province.city_admin),
        category,
        changes={first.pk: {"points": first.points - 5}, second.pk: {"points": second.points + 5}},
    )
    first.refresh_from_db()
    assert first.points == points - 5
    with pytest.raises(ValidationError) as exc:
        settings_domain.add_category(Actor(province.city_admin), showcase, name="劳动")
    assert exc.value.messages[1:] == [
        "类别“劳动”还没有材料，请至少添加一项材料。",
        "类别“劳动”还没有计分的评价指标，请添加指标使合计为 100 分。",
    ]
    assert showcase.categories.count() == 1


def test_add_reading_category_from_presets(quality, province):
    assert [p.name for p in settings_domain.category_presets()] == [
        "人工智能教育",
        "阅读",
        "劳动教育",
    ]
    reading = settings_domain.add_category_from_preset(
        Actor(province.province_admin), quality, "reading"
    )
    assert (reading.code, reading.name, reading.order, reading.max_periods) == (
        "reading",
        "阅读",
        3,
        3,
    )
    assert [(m.name, m.required, m.allowed_extensions) for m in reading.materials.all()] == [
        ("微课视频", True, "mp4"),
        ("教学设计", True, "doc,docx,pdf"),
        ("阅读指导单", True, "doc,docx,pdf"),
        ("课件", False, "ppt,pptx,pdf"),
    ]
    video = reading.materials.get(code="micro_video")
    assert (video.per_period, video.max_bytes) == (True, quality.max_upload_bytes)
    assert video.video_rules.get(rule="aspect_ratio").severity == "blocks"
    assert video.checklist.count() == 2
    assert settings_domain.rubric_total(reading.criteria.all()) == 100
    assert reading.criteria.filter(is_veto=True).count() == 4
    event = last_event("campaigns.category")
    assert (event.action, event.after["preset"], event.after["name"]) == (
        "create",
        "reading",
        "阅读",
    )
    domain.validate_campaign(quality)  # still publishable
    with pytest.raises(ValidationError) as exc:
        settings_domain.add_category_from_preset(Actor(province.province_admin), quality, "reading")
    assert exc.value.message_dict == {
        "preset": ["本活动已有“阅读”类别，不能重复添加；如需修改，请打开该类别的设置。"]
    }


def test_add_empty_category_and_publish_check(quality, province):
    category = settings_domain.add_category(
        Actor(province.province_admin), quality, name=" 人工智能教育 ", max_periods=2
    )
    assert (category.code, category.name, category.max_periods, category.order) == (
        "category_4",
        "人工智能教育",
        2,
        3,
    )
    with pytest.raises(ValidationError) as exc:
        settings_domain.add_category(
            Actor(province.province_admin), quality, name="阅读", max_periods=4
        )
    assert exc.value.message_dict == {
        "max_periods": ["“最多课时数”应为 1 至 3 之间的整数，请修改。"]
    }
    with pytest.raises(ValidationError) as exc:
        domain.set_campaign_state(quality, "published", actor=Actor(province.province_admin))
    assert exc.value.messages == [
        "类别“人工智能教育”还没有材料，请至少添加一项材料。",
        "类别“人工智能教育”还没有计分的评价指标，请添加指标使合计为 100 分。",
    ]
    settings_domain.remove_category(Actor(province.province_admin), category)
    assert last_event("campaigns.category").before["name"] == "人工智能教育"
    domain.set_campaign_state(quality, "published", actor=Actor(province.province_admin))


def test_removal_refused_once_teachers_used_it(open_campaign, province, catalog):  # noqa: F811
    from tests.submissions.conftest import PDF, stored_upload
    from youke.submissions.domain import packages

    subject = open_campaign.categories.get(code="subject")
    submission = packages.start_submission(
        Actor(province.teacher_a), open_campaign, subject, catalog.lesson4, title="亿以内数的认识"
    )
    with pytest.raises(ValidationError) as exc:
        settings_domain.remove_category(Actor(province.province_admin), subject)
    assert exc.value.messages == [
        "类别“学科课程”已有 1 份申报，不能删除。如本类别不再征集，请保留它，"
        "把其中的材料改为选交，并在类别说明中注明。"
    ]
    design = material_of(open_campaign, "subject", "teaching_design")
    upload = stored_upload(province.teacher_a, "设计.pdf", PDF)
    packages.attach_material(Actor(province.teacher_a), submission, design, 1, upload)
    with pytest.raises(ValidationError) as exc:
        settings_domain.remove_material(Actor(province.province_admin), design)
    assert exc.value.messages == [
        "“教学设计”已有 1 份教师上传的文件，不能删除。如不再需要，可以取消“必交”改为选交。"
    ]
    # The suggested way out works.
    settings_domain.update_material(Actor(province.province_admin), design, required=False)
    assert MaterialRequirement.objects.get(pk=design.pk).required is False
    # A material nobody used goes, even in a published campaign.
    settings_domain.remove_material(
        Actor(province.province_admin), material_of(open_campaign, "subject", "exercises")
    )
    # A category without submissions goes too.
    settings_domain.remove_category(
        Actor(province.province_admin), open_campaign.categories.get(code="experiment")
    )
    assert list(open_campaign.categories.values_list("code", flat=True)) == [
        "subject",
        "special_education",
    ]


def test_node_rules_award_grades_training_hours(showcase, province):
    actor = Actor(province.city_admin)
    with pytest.raises(ValidationError) as exc:
        settings_domain.update_node_rules(
            actor, showcase, award_level="province", threshold=0, promote_unawarded=True
        )
    assert exc.value.message_dict == {
        "node_close_award_threshold": [
            "“关闭节点的获奖数量”应为 1 至 999 之间的整数；“超过 5 堂即关闭”请填 6。"
        ]
    }
    settings_domain.update_node_rules(
        actor, showcase, award_level="city", threshold=3, promote_unawarded=False
    )
    showcase.refresh_from_db()
    assert (
        showcase.node_close_award_level,
        showcase.node_close_award_threshold,
        showcase.promote_unawarded_nodes,
    ) == ("city", 3, False)
    event = last_event("campaigns.campaign")
    assert (event.before, event.after) == (
        {
            "node_close_award_level": "province",
            "node_close_award_threshold": 6,
            "promote_unawarded_nodes": True,
        },
        {
            "node_close_award_level": "city",
            "node_close_award_threshold": 3,
            "promote_unawarded_nodes": False,
        },
    )

    city = showcase.levels.get(key="city")
    with pytest.raises(ValidationError) as exc:  # 10% + 20% + 30% already
        settings_domain.add_award_grade(
            actor, showcase, level=city, name="优秀奖", proportion=Decimal("0.5")
        )
    assert exc.value.message_dict == {
        "proportion": ["“市级遴选”各奖项比例合计 110%，超过 100%。请调低比例。"]
    }
    with pytest.raises(ValidationError) as exc:
        settings_domain.add_award_grade(
            actor, showcase, level=city, name="市级一等奖", proportion=Decimal("0.1"), count=3
        )
    assert exc.value.message_dict == {
        "name": ["“市级遴选”已有奖项“市级一等奖”，请换一个名称。"],
        "proportion": ["“比例”和“名额”只能填一项，请清空其中一项。"],
    }
    grade = settings_domain.add_award_grade(
        actor, showcase, level=city, name="优秀奖", proportion=Decimal("0.125")
    )
    assert (grade.proportion, grade.count, grade.order) == (Decimal("0.125"), None, 3)
    grade = settings_domain.update_award_grade(
        actor, grade, name="优秀奖", proportion=None, count=20
    )
    grade.refresh_from_db()
    assert (grade.proportion, grade.count) == (None, 20)
    assert last_event("campaigns.awardgrade").after == {
        "level": "市级遴选",
        "name": "优秀奖",
        "proportion": None,
        "count": 20,
    }
    settings_domain.remove_award_grade(actor, grade)
    assert not AwardGrade.objects.filter(pk=grade.pk).exists()

    with pytest.raises(ValidationError) as exc:
        settings_domain.set_training_hours(actor, showcase, event="showcase", hours=0)
    assert exc.value.message_dict == {
        "hours": ["“学时”应为 1 至 200 之间的整数，请修改；不计学时请删除该规则。"]
    }
    settings_domain.set_training_hours(actor, showcase, event="showcase", hours=12)
    rule = settings_domain.set_training_hours(actor, showcase, event="city_excellent", hours=20)
    assert dict(showcase.training_hours.values_list("event", "hours")) == {
        "showcase": 12,
        "city_excellent": 20,
        "provincial_excellent": 50,
    }
    settings_domain.remove_training_hours(actor, rule)
    assert [
        (e.action, e.before, e.after)
        for e in AuditEvent.objects.filter(object_type="campaigns.traininghourrule").order_by("id")
    ] == [
        ("update", {"event": "showcase", "hours": 10}, {"event": "showcase", "hours": 12}),
        ("create", None, {"event": "city_excellent", "hours": 20}),
        ("delete", {"event": "city_excellent", "hours": 20}, None),
    ]


def test_settings_need_a_manager(showcase, province):
    actor = Actor(province.county_a_admin)
    category = showcase.categories.get()
    material = category.materials.first()
    for call in (
        lambda: settings_domain.update_material(actor, material, name="x"),
        lambda: settings_domain.add_category_from_preset(actor, showcase, "reading"),
        lambda: settings_domain.remove_category(actor, category),
        lambda: settings_domain.update_rubric(actor, category, removed=[]),
        lambda: settings_domain.set_training_hours(actor, showcase, event="showcase", hours=1),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert not AuditEvent.objects.filter(actor=province.county_a_admin).exists()


def test_closed_campaign_cannot_change(showcase, province):
    Campaign.objects.filter(pk=showcase.pk).update(state="closed")
    with pytest.raises(ValidationError) as exc:
        settings_domain.add_category_from_preset(Actor(province.city_admin), showcase, "reading")
    assert exc.value.messages == ["活动已结束，不能修改设置。如需修改，请先重新开放活动。"]


# --- the pages -------------------------------------------------------------------------------


def page(name, *args):
    return reverse(f"manage_campaigns:{name}", args=args)


def test_county_admin_gets_404_on_city_settings(client, showcase, province):
    publish(showcase, province)
    client.force_login(province.county_a_admin)
    category = showcase.categories.get()
    material = category.materials.first()
    assert (
        client.get(page("campaign_settings_category", showcase.pk, category.pk)).status_code == 404
    )
    assert client.get(page("campaign_settings_awards", showcase.pk)).status_code == 404
    assert client.get(page("campaign_settings_category_add", showcase.pk)).status_code == 404
    response = client.post(page("campaign_settings_material_remove", showcase.pk, material.pk))
    assert response.status_code == 404
    assert MaterialRequirement.objects.filter(pk=material.pk).exists()
    html = client.get(page("campaign_detail", showcase.pk)).content.decode()
    assert "设置材料与评价指标" not in html and "添加类别" not in html


def test_category_page_edits_material_inline(client, showcase, province):
    client.force_login(province.city_admin)
    category = showcase.categories.get()
    html = client.get(page("campaign_detail", showcase.pk)).content.decode()
    assert page("campaign_settings_category", showcase.pk, category.pk) in html
    assert page("campaign_settings_awards", showcase.pk) in html
    url = page("campaign_settings_category", showcase.pk, category.pk)
    html = client.get(url).content.decode()
    recording = category.materials.get(code="classroom_recording")
    assert f'id="rules-{recording.pk}"' in html and "至少双机位录制" in html
    assert table_rows(html, "rubric-table")[0] == [
        "一级指标",
        "评价指标",
        "分值",
        "一票否决",
        "删除",
    ]
    data = {
        f"m{recording.pk}-name": "课堂实录",
        f"m{recording.pk}-allowed_extensions": "mp4,avi",
        f"m{recording.pk}-max_mb": "800",
        f"m{recording.pk}-required_from_level": "county",
    }
    edit = page("campaign_settings_material_edit", showcase.pk, recording.pk)
    response = client.post(edit, data)
    assert response.status_code == 200
    assert "“允许的文件类型”中的 avi 不受支持" in response.content.decode()
    data[f"m{recording.pk}-allowed_extensions"] = "mp4,mov"
    response = client.post(edit, data)
    assert response.status_code == 302 and response["Location"] == url
    recording.refresh_from_db()
    assert (recording.allowed_extensions, recording.max_bytes, recording.required_from_level) == (
        "mp4,mov",
        800 * MB,
        "county",
    )


def test_pages_add_preset_rule_and_rubric(client, showcase, province):
    client.force_login(province.city_admin)
    html = client.get(page("campaign_settings_category_add", showcase.pk)).content.decode()
    assert "人工智能教育" in html and "阅读" in html
    response = client.post(
        page("campaign_settings_category_add_preset", showcase.pk), {"preset-preset": "reading"}
    )
    reading = showcase.categories.get(code="reading")
    assert response["Location"] == page("campaign_settings_category", showcase.pk, reading.pk)
    video = reading.materials.get(code="micro_video")
    response = client.post(
        page("campaign_settings_rule_add", showcase.pk, video.pk),
        {
            f"m{video.pk}rule-rule": "frame_rate",
            f"m{video.pk}rule-value": "25",
            f"m{video.pk}rule-severity": "warns",
        },
    )
    assert "“微课视频”已有“帧率（帧/秒）”规则" in response.content.decode()
    criteria = list(reading.criteria.all())
    data = {
        "criteria-TOTAL_FORMS": str(len(criteria) + 1),
        "criteria-INITIAL_FORMS": str(len(criteria)),
    }
    for i, c in enumerate(criteria):
        data.update(
            {
                f"criteria-{i}-id": c.pk,
                f"criteria-{i}-group": c.group,
                f"criteria-{i}-name": c.name,
                f"criteria-{i}-points": c.points,
            }
        )
        if c.is_veto:
            data[f"criteria-{i}-is_veto"] = "on"
    data["criteria-0-points"] = 5  # 阅读目标 10 -> 5 …
    n = len(criteria)
    data.update(
        {
            f"criteria-{n}-group": "process",
            f"criteria-{n}-name": "阅读分享",
            f"criteria-{n}-points": 5,  # … and a new criterion takes the five points
        }
    )
    data["criteria-1-DELETE"] = "on"  # remove 书目与文本选择 (10 points): total 90
    rubric = page("campaign_settings_rubric", showcase.pk, reading.pk)
    response = client.post(rubric, data)
    assert response.status_code == 302
    names = list(reading.criteria.values_list("name", flat=True))
    assert "书目与文本选择" not in names and names[-1] == "阅读分享"
    html = client.get(page("campaign_settings_category", showcase.pk, reading.pk)).content.decode()
    assert "计分指标合计 90 分" in html


def test_awards_page(client, showcase, province):
    client.force_login(province.city_admin)
    url = page("campaign_settings_awards", showcase.pk)
    html = client.get(url).content.decode()
    assert [row[0] for row in table_rows(html, "hours-table")[1:]] == [
        "参与晒课",
        "获省级及以上优课",
    ]
    city = showcase.levels.get(key="city")
    response = client.post(
        page("campaign_settings_grade_add", showcase.pk),
        {"grade-level": city.pk, "grade-name": "优秀奖", "grade-proportion": "50"},
    )
    assert "“市级遴选”各奖项比例合计 110%，超过 100%。请调低比例。" in response.content.decode()
    response = client.post(
        page("campaign_settings_grade_add", showcase.pk),
        {"grade-level": city.pk, "grade-name": "优秀奖", "grade-proportion": "12.5"},
    )
    assert response.status_code == 302
    assert AwardGrade.objects.get(name="优秀奖").proportion == Decimal("0.125")
    response = client.post(url, {"nodes-award_level": "", "nodes-threshold": "0"})
    assert "“关闭节点的获奖数量”应为 1 至 999 之间的整数" in response.content.decode()
    client.post(
        page("campaign_settings_hours", showcase.pk),
        {"hours-event": "showcase", "hours-hours": "8"},
    )
    assert showcase.training_hours.get(event="showcase").hours == 8


def test_pages_show_refusals(client, showcase, province):
    publish(showcase, province)
    client.force_login(province.city_admin)
    category = showcase.categories.get()
    url = page("campaign_settings_category", showcase.pk, category.pk)
    response = client.post(
        url,
        {"name": "晒课", "description": "", "is_micro_lesson": "", "max_periods": "5"},
    )
    assert "“最多课时数”应为 1 至 3 之间的整数，请修改。" in response.content.decode()
    criteria = list(category.criteria.all())
    data = {
        "criteria-TOTAL_FORMS": str(len(criteria)),
        "criteria-INITIAL_FORMS": str(len(criteria)),
    }
    for i, c in enumerate(criteria):
        data.update(
            {
                f"criteria-{i}-id": c.pk,
                f"criteria-{i}-group": c.group,
                f"criteria-{i}-name": c.name,
                f"criteria-{i}-points": c.points,
            }
        )
        if c.is_veto:
            data[f"criteria-{i}-is_veto"] = "on"
    data["criteria-0-DELETE"] = "on"
    data["criteria-1-points"] = 50
    html = client.post(page("campaign_settings_rubric", showcase.pk, category.pk), data).content
    html = html.decode()
    assert "活动已发布，修改后的设置必须完整有效，本次修改未保存。" in html
    assert "类别“晒课”的评价指标合计" in html
    assert category.criteria.count() == len(criteria)
    response = client.post(page("campaign_settings_category_remove", showcase.pk, category.pk))
    assert response["Location"] == url  # the last category of a published campaign stays
    html = client.get(url).content.decode()
    assert "活动还没有类别，请至少添加一个类别。" in html
    response = client.post(
        page("campaign_settings_category_add_empty", showcase.pk),
        {"empty-name": "劳动", "empty-max_periods": "1"},
    )
    assert "类别“劳动”还没有材料，请至少添加一项材料。" in response.content.decode()
