"""A copy whose picture was replaced but whose sound was kept is flagged through the audio
index, with segments labelled 音频 on the evidence page and in the API; distinct lessons and
silent videos are not flagged, and the campaign's minimum audio length holds (issue 13)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.originality.conftest import attach, submitted
from youke.originality.enums import MatchKind, Verdict
from youke.originality.models import (
    AudioFingerprint,
    AudioKey,
    OriginalityResult,
    OriginalitySettings,
)
from youke.submissions.models import Material
from youke.submissions.signals import material_checked

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload(province, campaign, lessons, sounds, django_capture_on_commit_callbacks):
    """Submit a package with one video and run its check's jobs inline."""
    count = iter(range(len(lessons)))

    def run(teacher, video):
        package = submitted(campaign, teacher, lessons[next(count)], f"课 {video}").submission
        with django_capture_on_commit_callbacks(execute=True):
            material = attach(package, "micro_video", f"{video}.mp4", sounds[video])
            material_checked.send(sender=Material, material_id=material.pk, state="passed")
        return package

    return run


def result(package):
    return OriginalityResult.objects.get(submission=package)


def test_copy_with_another_picture_is_found_by_its_sound(province, upload):
    original = upload(province.teacher_b, "voice")
    copy = upload(province.teacher_a, "overdub")
    found = result(copy)
    assert found.verdict == Verdict.LIKELY_COPY
    (match,) = found.matches.all()  # the picture (noise) matches nothing
    assert (match.kind, match.other_submission_id) == (MatchKind.AUDIO, original.pk)
    (segment,) = match.evidence
    assert segment["this_start"] == pytest.approx(0, abs=1)
    assert segment["this_end"] == pytest.approx(32, abs=1)
    assert segment["other_start"] == pytest.approx(8, abs=1)
    assert segment["other_end"] == pytest.approx(40, abs=1)
    # The index grew: the original was re-checked and holds the match from its side.
    (back,) = result(original).matches.all()
    assert back.kind == MatchKind.AUDIO and back.other_submission_id == copy.pk
    assert AudioKey.objects.filter(fingerprint__submission=copy).count() >= 10


def test_distinct_lesson_and_silent_videos_are_not_flagged(province, upload):
    upload(province.teacher_b, "voice")
    distinct = upload(province.teacher_a, "voice2")
    assert result(distinct).verdict == Verdict.NONE
    first = upload(province.teacher_b, "silent1")
    second = upload(province.teacher_a, "silent2")
    assert result(second).verdict == Verdict.NONE and result(first).verdict == Verdict.NONE
    # Silence is no fingerprint at all (not an error): the video fingerprint is still there.
    assert not AudioFingerprint.objects.filter(submission__in=[first, second]).exists()
    assert Material.objects.get(submission=second).video_fingerprint is not None


def test_campaign_minimum_audio_seconds_holds(province, campaign, upload):
    OriginalitySettings.objects.create(campaign=campaign, min_audio_seconds=35)
    upload(province.teacher_b, "voice")
    copy = upload(province.teacher_a, "overdub")  # 32 s of the same sound: under 35 s
    assert result(copy).verdict == Verdict.NONE


def test_evidence_page_and_api_label_sound_segments(client, province, upload):
    upload(province.teacher_b, "voice")
    copy = upload(province.teacher_a, "overdub")
    client.force_login(province.city_admin)
    response = client.get(reverse("manage_originality:evidence", args=[copy.pk]))
    page = response.content.decode()
    (segment,) = response.context["segments"]
    assert segment["channel_label"] == "音频" and segment["this_label"] == "00:00–00:32"
    assert 'class="badge text-bg-light border channel">音频' in page
    assert province.teacher_b.full_name in page
    # The copy's school admin may not see the other school's package: no name, still 音频.
    client.force_login(province.school_a_admin)
    page = client.get(reverse("manage_originality:evidence", args=[copy.pk])).content.decode()
    assert province.teacher_b.full_name not in page and "另一份" in page and "音频" in page
    body = client.get(f"/api/v1/submissions/{copy.pk}/originality-result").json()
    (match,) = body["matches"]
    assert match["kind"] == "audio" and match["segments"][0]["channel"] == "audio"


def test_backfill_command_fingerprints_the_sound_of_videos_indexed_before(province, upload):
    """An upgraded installation: videos indexed by picture only get their sound track
    fingerprinted by ``youke originality fingerprint``, and re-checked."""
    from io import StringIO

    from django.core.management import call_command

    original = upload(province.teacher_b, "voice")
    Material.objects.filter(submission=original).update(check_state="passed")
    AudioFingerprint.objects.filter(submission=original).delete()  # as before the upgrade
    out = StringIO()
    call_command("originality", "fingerprint", "--dry-run", stdout=out)
    assert "1 件" in out.getvalue()
    assert not AudioFingerprint.objects.filter(submission=original).exists()
    call_command("originality", "fingerprint", stdout=out)
    assert AudioFingerprint.objects.filter(submission=original).exists()
    out = StringIO()
    call_command("originality", "fingerprint", "--dry-run", stdout=out)
    assert "0 件" in out.getvalue()  # nothing left to do
