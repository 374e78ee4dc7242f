"""Submitting puts a package in the school's inbox; taking it back or a school return
removes or reopens it (submissions ↔ selection wiring)."""

import pytest

from tests.submissions.conftest import PDF, requirement, stored_upload
from youke.core.actor import Actor
from youke.media.processing.samples import make_video
from youke.selection.domain.entries import decide
from youke.selection.models import LevelEntry
from youke.submissions.domain import packages

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(province, campaign, catalog, run_on_commit, tmp_path):
    draft = packages.start_submission(
        Actor(province.teacher_a),
        campaign,
        campaign.categories.get(code="subject"),
        catalog.lesson4,
        title="亿以内数的认识",
    )
    video = tmp_path / "v.mp4"
    make_video(video, width=1280, height=720, bitrate=2_000_000, seconds=1)
    slots = [("micro_video", "v.mp4", video)] + [
        (code, f"{code}.pdf", PDF)
        for code in ("teaching_design", "task_sheet", "courseware", "exercises")
    ]
    for code, name, content in slots:
        run_on_commit(
            packages.attach_material,
            Actor(draft.teacher),
            draft,
            requirement(campaign, "subject", code),
            1,
            stored_upload(draft.teacher, name, content),
        )
    packages.confirm_originality(Actor(draft.teacher), draft)
    return draft


def test_submit_puts_the_package_in_the_school_inbox(province, ready):
    packages.submit(Actor(ready.teacher), ready)
    entry = LevelEntry.objects.get(submission=ready)
    assert (entry.state, entry.unit) == ("pending", province.school_a)


def test_withdrawing_before_the_school_decides_removes_it(ready):
    packages.submit(Actor(ready.teacher), ready)
    packages.withdraw(Actor(ready.teacher), ready, reason="重新录制")
    assert not LevelEntry.objects.filter(submission=ready).exists()


def test_school_return_gives_the_teacher_a_draft_again(province, ready):
    packages.submit(Actor(ready.teacher), ready)
    entry = LevelEntry.objects.get(submission=ready)
    decide(Actor(province.school_a_admin), entry, "returned", reason="片头缺少教师姓名")
    ready.refresh_from_db()
    assert (ready.state, ready.school_acted_at) == ("draft", None)
    assert ready.events.last().note == "学校退回修改：片头缺少教师姓名"
    packages.update_submission(Actor(ready.teacher), ready, title="亿以内数的认识（修改）")
    packages.submit(Actor(ready.teacher), ready)
    assert LevelEntry.objects.get(submission=ready).state == "pending"


def test_recommending_ends_teacher_editing(province, ready):
    packages.submit(Actor(ready.teacher), ready)
    decide(Actor(province.school_a_admin), LevelEntry.objects.get(submission=ready), "recommended")
    ready.refresh_from_db()
    assert ready.school_acted_at is not None
    with pytest.raises(packages.PermissionDenied):
        packages.update_submission(Actor(ready.teacher), ready, title="再改")
