"""The evidence page, the inbox badge, the teacher's notice and the API: scoped like the
package's files, the other party named only to whoever may see it, never in blind review
(issue 13 items 5–6 and the API)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.originality.conftest import attach, submitted
from tests.selection.test_review_domain import city_entry, city_round, expert, opened
from youke.core.actor import Actor
from youke.originality.models import OriginalityResult, OriginalitySettings
from youke.selection.domain.assignment import assign
from youke.submissions.models import Material
from youke.submissions.signals import material_checked

pytestmark = pytest.mark.django_db
API = "/api/v1/submissions"


@pytest.fixture
def flagged(province, campaign, lessons, catalog, videos, django_capture_on_commit_callbacks):
    """Teacher B's lesson (西岭县) and teacher A's copy (东湖区) at city level, with an expert
    of a blind city round assigned to the copy."""
    original = submitted(campaign, province.teacher_b, lessons[0], "圆的面积").submission
    entry = city_entry(campaign, province.teacher_a, lessons[1], "圆面积的推导")
    copy = entry.submission
    with django_capture_on_commit_callbacks(execute=True):
        for package, name, video in ((original, "b.mp4", "a"), (copy, "a.mp4", "cut")):
            material = attach(package, "micro_video", name, videos[video])
            material_checked.send(sender=Material, material_id=material.pk, state="passed")
    reviewer = expert(province.city, "盲评专家", catalog.primary)
    review_round = opened(province, city_round(province, campaign, blind=True), reviewer)
    assign(Actor(province.city_admin), review_round, entry, reviewer)
    return {"original": original, "copy": copy, "entry": entry, "expert": reviewer}


def client_page(client, person, name, *args) -> str:
    client.force_login(person)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def evidence(client, person, submission):
    client.force_login(person)
    return client.get(reverse("manage_originality:evidence", args=[submission.pk]))


def test_city_admin_sees_both_parties_and_both_segments(client, province, flagged):
    response = evidence(client, province.city_admin, flagged["copy"])
    page = response.content.decode()
    assert response.status_code == 200
    assert "疑似抄袭" in page
    assert f"{province.teacher_b.full_name}（{province.school_b.name}）《圆的面积》" in page
    # A cut copy: two aligned segments, 00:00–00:20 ≈ 00:00–00:20 and 00:20–00:45 ≈ 00:35–01:00.
    segments = response.context["chosen"].segments
    assert [(s["this_label"], s["other_label"]) for s in segments] == [
        ("00:00–00:20", "00:00–00:21"),
        ("00:20–00:45", "00:34–01:00"),
    ]


def test_school_admin_sees_the_match_but_not_who_made_the_other(client, province, flagged):
    page = evidence(client, province.school_a_admin, flagged["copy"]).content.decode()
    assert "另一份2026年的作品" in page
    assert province.teacher_b.full_name not in page
    assert province.school_b.name not in page
    assert "精品课测试" in page  # the other's campaign, level and date stay visible
    assert 'id="other-not-playable"' in page


def test_blind_expert_sees_no_names_at_all(client, province, flagged):
    assignment = flagged["entry"].assignments.get()
    review_page = client_page(client, flagged["expert"], "manage_reviews:assignment", assignment.pk)
    notice = reverse("manage_originality:notice", args=[flagged["copy"].pk])
    assert notice in review_page
    assert "疑似抄袭" in client.get(notice).content.decode()
    page = evidence(client, flagged["expert"], flagged["copy"]).content.decode()
    assert "另一份2026年的作品" in page
    for name in (province.teacher_a.full_name, province.teacher_b.full_name, "圆面积的推导"):
        assert name not in page
    assert 'id="clear-form"' not in page


@pytest.mark.parametrize("who", ["county_b_admin", "teacher_b"])
def test_outsiders_get_404(client, province, flagged, who):
    assert evidence(client, getattr(province, who), flagged["copy"]).status_code == 404
    client.force_login(getattr(province, who))
    assert client.get(f"{API}/{flagged['copy'].pk}/originality-result").status_code == 404


def test_teacher_sees_the_notice_and_explains(client, province, flagged):
    client.force_login(province.teacher_a)
    package_page = client.get(reverse("portal:submission_detail", args=[flagged["copy"].pk]))
    notice = reverse("manage_originality:notice", args=[flagged["copy"].pk])
    assert notice in package_page.content.decode()
    assert 'id="originality-notice"' in client.get(notice).content.decode()
    page = evidence(client, province.teacher_a, flagged["copy"]).content.decode()
    assert "另一份2026年的作品" in page and province.teacher_b.full_name not in page
    assert 'id="explain-form"' in page
    client.post(
        reverse("manage_originality:explain", args=[flagged["copy"].pk]),
        {"note": "另一份是我调动前的课"},
    )
    assert OriginalityResult.objects.get(submission=flagged["copy"]).teacher_note == (
        "另一份是我调动前的课"
    )


def test_inbox_shows_the_badge(client, province, campaign, flagged):
    client.force_login(province.city_admin)
    entry = flagged["entry"]
    response = client.get(
        reverse("manage_selection:inbox"),
        {"campaign": campaign.pk, "unit": entry.unit_id, "level": entry.level_id},
    )
    page = response.content.decode()
    assert 'data-originality="likely_copy"' in page
    assert reverse("manage_originality:evidence", args=[flagged["copy"].pk]) in page


def test_clear_page_records_the_reason(client, province, flagged):
    client.force_login(province.city_admin)
    url = reverse("manage_originality:clear", args=[flagged["copy"].pk])
    client.post(url, {"reason": ""})
    assert not OriginalityResult.objects.get(submission=flagged["copy"]).cleared
    client.post(url, {"reason": "已与两位教师核实，为同一教研组集体备课"})
    result = OriginalityResult.objects.get(submission=flagged["copy"])
    assert result.cleared_reason == "已与两位教师核实，为同一教研组集体备课"
    assert result.cleared_by == province.city_admin


def test_api_result_and_evidence_follow_scope(client, province, flagged):
    client.force_login(province.city_admin)
    body = client.get(f"{API}/{flagged['copy'].pk}/originality-result").json()
    assert body["verdict"] == "likely_copy"
    (match,) = body["matches"]
    assert match["other_submission_id"] == flagged["original"].pk
    assert [round(s["other_start"]) for s in match["segments"]] == [0, 34]
    client.force_login(flagged["expert"])
    blind = client.get(f"{API}/{flagged['copy'].pk}/originality-result").json()
    assert blind["matches"][0]["other"] == "另一份2026年的作品"
    assert blind["matches"][0]["other_submission_id"] is None


def test_api_clear_recheck_explain(client, province, flagged):
    copy = flagged["copy"].pk
    client.force_login(flagged["expert"])
    assert (
        client.post(
            f"{API}/{copy}/originality-result/clear",
            {"reason": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    client.force_login(province.city_admin)
    refused = client.post(
        f"{API}/{copy}/originality-result/clear", {"reason": " "}, content_type="application/json"
    )
    assert refused.status_code == 422
    cleared = client.post(
        f"{API}/{copy}/originality-result/clear",
        {"reason": "已核实"},
        content_type="application/json",
    )
    assert cleared.status_code == 200 and cleared.json()["cleared"] is True
    assert client.post(f"{API}/{copy}/originality-result/recheck").status_code == 202
    client.force_login(province.teacher_a)
    assert client.post(f"{API}/{copy}/originality-result/recheck").status_code == 404
    note = client.post(
        f"{API}/{copy}/originality-result/explain",
        {"note": "集体备课"},
        content_type="application/json",
    )
    assert note.status_code == 200 and note.json()["teacher_note"] == "集体备课"


def test_settings_page_saves_thresholds(client, province, campaign):
    client.force_login(province.province_admin)
    url = reverse("manage_originality:settings", args=[campaign.pk])
    form = client.get(url).context["form"]
    data = {**{k: v for k, v in form.initial.items() if k not in ("id", "campaign")}}
    data.update(block_likely_copy="on", video_copy_share="0.6", min_audio_seconds="30")
    data = {k: v for k, v in data.items() if v is not False}
    assert client.post(url, data).status_code == 302
    saved = OriginalitySettings.objects.get(campaign=campaign)
    assert saved.block_likely_copy and saved.video_copy_share == 0.6
    assert saved.min_audio_seconds == 30
    client.force_login(province.county_b_admin)
    assert client.get(url).status_code == 404


def test_school_admin_compares_with_the_others_blind_copy(client, province, flagged, videos):
    from decimal import Decimal

    from django.core.files.base import ContentFile

    from youke.media.models import MediaAsset

    material = Material.objects.get(submission=flagged["original"])
    asset, _ = MediaAsset.objects.get_or_create(upload=material.upload)
    asset.blind_rendition.save("blind.mp4", ContentFile(videos["a"].read_bytes()))
    asset.blind_cut_seconds = Decimal("5.00")
    asset.save()
    response = evidence(client, province.school_a_admin, flagged["copy"])
    page = response.content.decode()
    assert 'id="other-blind"' in page and province.teacher_b.full_name not in page
    (chapter,) = response.context["other_chapters"]
    # The blind copy starts 5 s in: the second segment (other side from 00:34) seeks to 29 s.
    assert [round(s["other_seek"]) for s in response.context["segments"]] == [0, 29]
    played = client.get(chapter["mp4"])
    assert played.status_code in (200, 206)
    assert b"".join(played.streaming_content)[:12] == videos["a"].read_bytes()[:12]
    for outsider in (province.county_b_admin, province.teacher_a):
        client.force_login(outsider)
        assert client.get(chapter["mp4"]).status_code == 404
