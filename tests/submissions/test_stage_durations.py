"""Video durations by stage (学段): 精品课 micro-lessons are 10–15 min in primary school and
15–20 min in secondary school. Real PyAV videos; the campaign's ranges are set in seconds."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.submissions.conftest import requirement, stored_upload
from youke.campaigns.domain import settings as settings_domain
from youke.campaigns.models import Campaign, VideoRule, rules_for_stage
from youke.catalog.domain.nodes import stage_id_of
from youke.core.actor import Actor
from youke.media.processing.samples import make_video
from youke.submissions.domain import packages
from youke.submissions.models import Material

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def two_seconds(tmp_path_factory):
    path = tmp_path_factory.mktemp("durations") / "two.mp4"
    return make_video(path, width=1280, height=720, bitrate=2_000_000, seconds=2)


def stage_rule(video, stage, rule: str) -> VideoRule:
    return VideoRule.objects.get(requirement=video, stage=stage, rule=rule)


@pytest.fixture
def seconds(province, campaign, catalog):
    """小学 1–3 s and 初中 3–5 s, refusing a video outside its range."""
    actor = Actor(province.province_admin)
    video = requirement(campaign, "subject", "micro_video")
    for stage, low, high in ((catalog.primary, "1", "3"), (catalog.junior, "3", "5")):
        for rule, value in (("min_duration_seconds", low), ("max_duration_seconds", high)):
            settings_domain.update_video_rule(
                actor, stage_rule(video, stage, rule), value=value, severity="blocks"
            )
    return video


def package(province, campaign, node, title):
    category = campaign.categories.get(code="subject")
    return packages.start_submission(
        Actor(province.teacher_a), campaign, category, node, title=title
    )


def attach_video(run_on_commit, submission, path) -> Material:
    video = requirement(submission.campaign, "subject", "micro_video")
    upload = stored_upload(submission.teacher, "v.mp4", path)
    material = run_on_commit(
        packages.attach_material, Actor(submission.teacher), submission, video, 1, upload
    )
    return Material.objects.select_related("upload__asset").get(pk=material.pk)


def duration_checks(material: Material) -> dict[str, str]:
    return {
        c["rule"]: c["outcome"]
        for c in material.upload.asset.checks
        if c["rule"] in ("min_duration_seconds", "max_duration_seconds")
    }


def test_stage_of_a_node_is_its_catalog_root(catalog):
    assert stage_id_of(catalog.period4) == catalog.primary.pk
    assert stage_id_of(catalog.lesson7) == catalog.junior.pk
    assert stage_id_of(catalog.primary) == catalog.primary.pk


def test_a_stage_rule_replaces_the_all_stage_rule(campaign, catalog):
    video = requirement(campaign, "subject", "micro_video")
    rules = list(video.video_rules.all())

    def durations(stage_id):
        return sorted(
            (r.rule, r.value) for r in rules_for_stage(rules, stage_id) if "duration" in r.rule
        )

    assert durations(catalog.primary.pk) == [
        ("max_duration_seconds", "900"),
        ("min_duration_seconds", "600"),
    ]
    assert durations(catalog.junior.pk) == [
        ("max_duration_seconds", "1200"),
        ("min_duration_seconds", "900"),
    ]
    # A stage without its own rules (or no stage known) keeps the rules for all stages.
    assert durations(None) == [("max_duration_seconds", "1200"), ("min_duration_seconds", "600")]
    assert len(rules_for_stage(rules, catalog.primary.pk)) == 12


def test_the_check_uses_the_package_stage(
    run_on_commit, province, campaign, catalog, seconds, two_seconds
):
    primary = package(province, campaign, catalog.lesson4, "亿以内数的认识")
    junior = package(province, campaign, catalog.lesson7, "长度和时间的测量")
    in_range = attach_video(run_on_commit, primary, two_seconds)
    too_short = attach_video(run_on_commit, junior, two_seconds)
    assert duration_checks(in_range) == {
        "min_duration_seconds": "pass",
        "max_duration_seconds": "pass",
    }
    assert in_range.check_state == "warned"  # 1280×720 and 2 Mbit/s only warn
    assert duration_checks(too_short) == {
        "min_duration_seconds": "fail",
        "max_duration_seconds": "pass",
    }
    assert too_short.check_state == "failed"
    [message] = [
        c["message"] for c in too_short.upload.asset.checks if c["rule"] == "min_duration_seconds"
    ]
    assert "3 秒" in message


def test_without_a_stage_rule_the_all_stage_range_applies(
    run_on_commit, province, campaign, catalog, seconds, two_seconds
):
    actor = Actor(province.province_admin)
    for rule in ("min_duration_seconds", "max_duration_seconds"):
        settings_domain.remove_video_rule(actor, stage_rule(seconds, catalog.junior, rule))
    all_stages = stage_rule(seconds, None, "min_duration_seconds")
    settings_domain.update_video_rule(actor, all_stages, value="1", severity="blocks")
    junior = package(province, campaign, catalog.lesson7, "长度和时间的测量")
    material = attach_video(run_on_commit, junior, two_seconds)
    # 1 s to 1200 s (warns) for all stages: the 2-second video passes both.
    assert duration_checks(material) == {
        "min_duration_seconds": "pass",
        "max_duration_seconds": "pass",
    }


def page_spec(client, submission) -> dict:
    client.force_login(submission.teacher)
    page = client.get(reverse("portal:submission_detail", args=[submission.pk])).content.decode()
    [spec] = [
        json.loads(html.unescape(s))
        for s in re.findall(r'data-spec="([^"]*)"', page)
        if "min_duration_seconds" in html.unescape(s)
    ]
    return spec


def test_browser_pre_check_gets_the_stage_range(client, province, campaign, catalog, seconds):
    Campaign.objects.filter(pk=campaign.pk).update(video_due="at_submission")
    campaign.refresh_from_db()
    primary = package(province, campaign, catalog.lesson4, "亿以内数的认识")
    junior = package(province, campaign, catalog.lesson7, "长度和时间的测量")
    found = page_spec(client, primary)
    assert (found["min_duration_seconds"], found["max_duration_seconds"]) == (1.0, 3.0)
    assert "min_duration_seconds" not in found["warn_only"]
    found = page_spec(client, junior)
    assert (found["min_duration_seconds"], found["max_duration_seconds"]) == (3.0, 5.0)


def test_stage_rules_are_validated(province, campaign, catalog):
    actor = Actor(province.province_admin)
    video = requirement(campaign, "subject", "micro_video")
    with pytest.raises(ValidationError) as info:
        settings_domain.add_video_rule(
            actor,
            video,
            rule="max_duration_seconds",
            value="1000",
            severity="warns",
            stage=catalog.primary,
        )
    assert info.value.message_dict == {
        "rule": ["“微课视频”已有小学的“最长时长（秒）”规则，请直接修改该规则的要求值。"]
    }
    with pytest.raises(ValidationError) as info:
        settings_domain.update_video_rule(
            actor,
            stage_rule(video, catalog.junior, "max_duration_seconds"),
            value="900",
            severity="warns",
        )
    assert info.value.message_dict == {
        "value": ["初中：“最短时长（秒）”（900）应小于“最长时长（秒）”（900），请修改。"]
    }
    with pytest.raises(ValidationError) as info:
        settings_domain.add_video_rule(
            actor, video, rule="frame_rate", value="30", severity="warns", stage=catalog.grade4
        )
    assert info.value.message_dict == {
        "stage": ["适用学段应是课程目录中的学段（如小学、初中），请从列表中选择。"]
    }
    # Without its own upper bound, a stage takes the all-stage one: 初中 900 s ≥ 800 s.
    settings_domain.remove_video_rule(
        actor, stage_rule(video, catalog.junior, "max_duration_seconds")
    )
    with pytest.raises(ValidationError) as info:
        settings_domain.update_video_rule(
            actor, stage_rule(video, None, "max_duration_seconds"), value="800", severity="warns"
        )
    assert info.value.message_dict == {
        "value": ["初中：“最短时长（秒）”（900）应小于“最长时长（秒）”（800），请修改。"]
    }
    rule = settings_domain.add_video_rule(
        actor,
        video,
        rule="max_duration_seconds",
        value=" 1100 ",
        severity="warns",
        stage=catalog.junior,
    )
    assert (rule.stage, rule.value) == (catalog.junior, "1100")
    assert video.video_rules.filter(rule="max_duration_seconds").count() == 3


def test_settings_page_adds_a_stage_rule(client, province, campaign, catalog):
    video = requirement(campaign, "subject", "micro_video")
    settings_domain.remove_video_rule(
        Actor(province.province_admin), stage_rule(video, catalog.junior, "min_duration_seconds")
    )
    client.force_login(province.province_admin)
    url = reverse("manage_campaigns:campaign_settings_rule_add", args=[campaign.pk, video.pk])
    prefix = f"m{video.pk}rule"
    response = client.post(
        url,
        {
            f"{prefix}-rule": "min_duration_seconds",
            f"{prefix}-stage": str(catalog.junior.pk),
            f"{prefix}-value": "950",
            f"{prefix}-severity": "warns",
        },
    )
    assert response.status_code == 302
    assert stage_rule(video, catalog.junior, "min_duration_seconds").value == "950"
    page = client.get(response.url).content.decode()
    assert f'<option value="{catalog.junior.pk}">初中</option>' in page
    assert "所有学段" in page
    # A range that ends before it starts is refused on the page, the entry kept.
    response = client.post(
        url,
        {
            f"{prefix}-rule": "min_duration_seconds",
            f"{prefix}-stage": str(catalog.junior.pk),
            f"{prefix}-value": "2000",
            f"{prefix}-severity": "warns",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "初中：“最短时长（秒）”（2000）应小于“最长时长（秒）”（1200），请修改。" in page
    assert f'name="{prefix}-value" value="2000"' in page


def test_campaign_edit_form_names_the_stage(client, province, campaign, catalog):
    video = requirement(campaign, "subject", "micro_video")
    rule = stage_rule(video, catalog.junior, "max_duration_seconds")
    client.force_login(province.province_admin)
    page = client.get(reverse("manage_campaigns:campaign_edit", args=[campaign.pk]))
    field = page.context["form"][f"rule_{rule.pk}"]
    assert field.label == "学科课程 · 微课视频 · 最长时长（秒） · 初中"
    assert field.value() == "1200"
