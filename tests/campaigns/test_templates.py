"""Templates are data: creating a campaign copies categories, materials, rules and levels."""

import datetime
import json

import pytest
from django.db.models import Sum
from django.utils import timezone

from youke.campaigns.domain import campaigns as campaigns_domain
from youke.campaigns.domain import templates
from youke.campaigns.domain.deadlines import teacher_deadline
from youke.campaigns.models import (
    AwardGrade,
    Category,
    ChecklistItem,
    Criterion,
    MaterialRequirement,
    TrainingHourRule,
    UploadWindow,
    VideoRule,
)
from youke.core.actor import Actor
from youke.core.models import AuditEvent
from youke.orgs.domain.units import PermissionDenied

pytestmark = pytest.mark.django_db


def counts(campaign) -> dict:
    return {
        "categories": Category.objects.filter(campaign=campaign).count(),
        "materials": MaterialRequirement.objects.filter(category__campaign=campaign).count(),
        "video_rules": VideoRule.objects.filter(requirement__category__campaign=campaign).count(),
        "checklist": ChecklistItem.objects.filter(requirement__category__campaign=campaign).count(),
        "criteria": Criterion.objects.filter(category__campaign=campaign).count(),
        "vetoes": Criterion.objects.filter(category__campaign=campaign, is_veto=True).count(),
        "levels": campaign.levels.count(),
        "windows": UploadWindow.objects.filter(campaign=campaign).count(),
        "grades": AwardGrade.objects.filter(campaign=campaign).count(),
        "hours": TrainingHourRule.objects.filter(campaign=campaign).count(),
    }


def test_quality_course_template(quality):
    assert counts(quality) == {
        "categories": 3,
        "materials": 14,
        "video_rules": 37,
        "checklist": 7,
        "criteria": 40,
        "vetoes": 12,
        "levels": 5,  # the province runs it: no ministry level, publicity is its own
        "windows": 0,
        "grades": 2,
        "hours": 0,
    }
    assert list(quality.categories.values_list("name", flat=True)) == [
        "学科课程",
        "特殊教育",
        "实验教学",
    ]
    subject = quality.categories.get(code="subject")
    assert list(subject.materials.values_list("name", "required")) == [
        ("微课视频", True),
        ("教学设计", True),
        ("学习任务单", True),
        ("课件", True),
        ("作业练习", True),
    ]
    # R1: special education may omit exercises.
    assert (
        not quality.categories.get(code="special_education")
        .materials.get(code="exercises")
        .required
    )
    video = subject.materials.get(code="micro_video")
    assert video.per_period and video.extensions == ["mp4"] and video.max_bytes == 1024**3
    assert dict(video.video_rules.filter(stage=None).values_list("rule", "value")) == {
        "container": "mp4",
        "aspect_ratio": "16:9",
        "exact_width": "1920",
        "exact_height": "1080",
        "video_codec": "h264",
        "frame_rate": "25",
        "min_video_bitrate": "6000",
        "max_video_bitrate": "10000",
        "audio_codec": "aac",
        "min_audio_bitrate": "128",
        "min_duration_seconds": "600",
        "max_duration_seconds": "1200",
    }
    # R3a: the catalog's 小学 and 初中 get their own duration ranges; 高中 is not in it.
    assert list(
        video.video_rules.exclude(stage=None)
        .order_by("stage__path", "rule")
        .values_list("stage__name", "rule", "value", "severity")
    ) == [
        ("小学", "max_duration_seconds", "900", "warns"),
        ("小学", "min_duration_seconds", "600", "warns"),
        ("初中", "max_duration_seconds", "1200", "warns"),
        ("初中", "min_duration_seconds", "900", "warns"),
    ]
    assert video.video_rules.get(rule="aspect_ratio").severity == "blocks"
    assert video.video_rules.get(rule="frame_rate").severity == "warns"
    # R3b: the 2025 学科课程 indicators, 100 points.
    assert list(subject.criteria.filter(is_veto=False).values_list("group", "name", "points")) == [
        ("goals_content", "教学目标", 10),
        ("goals_content", "内容组织", 10),
        ("process", "教学环节", 15),
        ("process", "方法策略", 15),
        ("process", "信息技术有效应用", 10),
        ("resources", "教学设计", 15),
        ("resources", "作业练习", 10),
        ("resources", "资源完整性", 5),
        ("technical", "制作质量", 10),
    ]
    for category in quality.categories.all():
        assert category.criteria.aggregate(s=Sum("points"))["s"] == 100
    assert (
        quality.categories.get(code="special_education").criteria.filter(name="学情分析").exists()
    )
    assert list(quality.levels.values_list("key", "unit_kind", "has_trial_lecture")) == [
        ("school", "school", False),
        ("county", "county", True),
        ("city", "city", False),
        ("province", "province", False),
        ("publicity", "province", False),
    ]
    assert timezone.localtime(teacher_deadline(quality)) == timezone.make_aware(
        datetime.datetime(2026, 9, 15, 18, 0)
    )
    assert quality.node_close_award_level == "ministry"
    assert quality.node_close_award_threshold == 1
    assert quality.state == "draft"
    assert quality.name == "2026年基础教育精品课"
    campaigns_domain.validate_campaign(quality)  # a fresh campaign is publishable


def test_one_teacher_one_lesson_template(showcase, catalog):
    assert counts(showcase) == {
        "categories": 1,
        "materials": 4,
        "video_rules": 5,
        "checklist": 3,
        "criteria": 12,
        "vetoes": 4,
        "levels": 4,
        "windows": 5,
        "grades": 3,
        "hours": 2,
    }
    recording = MaterialRequirement.objects.get(
        category__campaign=showcase, code="classroom_recording"
    )
    # R2: optional for showcasing, required from city level on.
    assert (recording.required, recording.required_from_level) == (False, "city")
    assert dict(recording.video_rules.values_list("rule", "value")) == {
        "container": "mp4",
        "min_width": "720",
        "min_height": "576",
        "min_video_bitrate": "320",
        "min_duration_seconds": "1800",
    }
    windows = {
        w.label: (w.opens_on, w.closes_on, sorted(n.name for n in w.nodes.all()))
        for w in showcase.windows.all()
    }
    assert windows == {
        "小学四至六年级": (datetime.date(2026, 3, 16), datetime.date(2026, 4, 30), ["四年级上册"]),
        "小学一至三年级": (datetime.date(2026, 3, 16), datetime.date(2026, 5, 31), ["一年级上册"]),
        "初中": (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30), ["初中"]),
        "高中": (datetime.date(2026, 6, 1), datetime.date(2026, 8, 25), []),
        "学前教育、职业教育": (datetime.date(2026, 4, 1), datetime.date(2026, 8, 25), []),
    }
    assert dict(showcase.training_hours.values_list("event", "hours")) == {
        "showcase": 10,
        "provincial_excellent": 50,
    }
    assert (showcase.node_close_award_level, showcase.node_close_award_threshold) == ("province", 6)
    assert showcase.promote_unawarded_nodes
    event = AuditEvent.objects.get(object_type="campaigns.campaign", object_id=str(showcase.pk))
    assert (event.action, event.actor_id) == ("create", showcase.created_by_id)


def test_templates_name_no_category_in_code():
    """R1a: every category comes from the JSON files (adding one needs no code)."""
    for key in ("quality_course", "one_teacher_one_lesson"):
        data = json.loads((templates.DATA_DIR / f"{key}.json").read_text(encoding="utf-8"))
        for category in data["categories"]:
            points = sum(points for _g, _n, points in category["criteria"])
            assert points == 100, category["name"]


def test_added_category_needs_no_code(province, catalog, monkeypatch):
    data = json.loads(json.dumps(templates.load_template("quality_course")))
    reading = dict(data["categories"][0], code="reading", name="阅读")
    reading["materials"] = [dict(m) for m in reading["materials"]]
    reading["materials"][-1]["required"] = False
    data["categories"].append(reading)
    monkeypatch.setattr(templates, "load_template", lambda key: data)
    campaign = templates.create_campaign_from_template(
        Actor(province.province_admin), province.province, "quality_course", name="", year=2025
    )
    assert campaign.categories.get(code="reading").materials.count() == 5


def test_only_admins_of_the_owner_create(province, catalog):
    with pytest.raises(PermissionDenied):
        templates.create_campaign_from_template(
            Actor(province.county_a_admin), province.city, "quality_course", name="", year=2026
        )
    with pytest.raises(PermissionDenied):  # a school cannot own a campaign
        templates.create_campaign_from_template(
            Actor(province.school_a_admin), province.school_a, "quality_course", name="", year=2026
        )
