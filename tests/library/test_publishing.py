"""Publishing follows awards and the teacher's consent; revocation and objections unpublish."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.library.conftest import consent_to, publish
from youke.core.actor import Actor
from youke.library.domain import consent, publishing
from youke.library.enums import LessonState
from youke.library.models import LibraryFile, LibraryLesson
from youke.selection import signals


def test_publishing_needs_the_teachers_consent(province, awarded):
    with pytest.raises(ValidationError) as refused:
        publishing.publish_award(Actor(province.city_admin), awarded[0])
    assert "尚未同意发布许可" in refused.value.messages[0]
    assert not LibraryLesson.objects.exists()


def test_published_lesson_is_a_snapshot_that_survives_edits(province, awarded):
    lesson = publish(province, awarded[0])
    submission = awarded[0].entry.submission
    assert lesson.state == LessonState.PUBLISHED
    assert lesson.title == "圆周率的认识"
    assert lesson.teacher_name == province.teacher_a.full_name
    assert lesson.school_name == submission.unit.name
    assert lesson.awards == [{"level": awarded[0].level.name, "grade": "一等奖"}]
    assert lesson.award_level == "city"
    assert lesson.publishing_unit == province.city
    assert list(
        LibraryFile.objects.filter(lesson=lesson).values_list("upload_id", flat=True)
    ) == list(
        submission.materials.order_by("requirement__order", "period").values_list(
            "upload_id", flat=True
        )
    )
    submission.title = "后来改过的标题"
    submission.save(update_fields=["title"])
    lesson.refresh_from_db()
    assert lesson.title == "圆周率的认识"


def test_teacher_may_hide_name_and_school(province, awarded):
    consent_to(awarded[0], show_author=False)
    lesson = publishing.publish_award(Actor(province.city_admin), awarded[0])
    assert (lesson.teacher_name, lesson.school_name) == ("", "")


def test_publishing_twice_keeps_one_record(province, awarded):
    first = publish(province, awarded[0])
    again = publishing.publish_award(Actor(province.city_admin), awarded[0])
    assert again.pk == first.pk
    assert LibraryLesson.objects.count() == 1


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("city_admin", True),
        ("province_admin", True),
        ("county_a_admin", False),
        ("school_a_admin", False),
        ("teacher_a", False),
    ],
)
def test_only_admins_of_the_awarding_level_or_above_publish(province, awarded, who, allowed):
    consent_to(awarded[0])
    person = getattr(province, who)
    if allowed:
        assert publishing.publish_award(Actor(person), awarded[0]).is_published
    else:
        with pytest.raises(PermissionDenied):
            publishing.publish_award(Actor(person), awarded[0])


def test_revoking_the_award_unpublishes_at_once(province, awarded):
    lesson = publish(province, awarded[0])
    signals.award_revoked.send(
        sender=None, award_id=awarded[0].pk, actor=Actor(province.city_admin), reason="抄袭"
    )
    # While an active award remains (here the signal came for a still active one), it stays.
    lesson.refresh_from_db()
    assert lesson.state == LessonState.PUBLISHED
    awarded[0].revoked_at = awarded[0].awarded_at
    awarded[0].save(update_fields=["revoked_at"])
    signals.award_revoked.send(
        sender=None, award_id=awarded[0].pk, actor=Actor(province.city_admin), reason="抄袭"
    )
    lesson.refresh_from_db()
    assert lesson.state == LessonState.UNPUBLISHED
    assert "抄袭" in lesson.unpublish_reason
    assert lesson.awards == []


def test_revoke_award_through_selection_unpublishes(
    province, awarded, django_capture_on_commit_callbacks
):
    from youke.selection.domain.awards import revoke_award

    lesson = publish(province, awarded[0])
    with django_capture_on_commit_callbacks(execute=True):
        revoke_award(Actor(province.city_admin), awarded[0], "经核查存在抄袭")
    lesson.refresh_from_db()
    assert lesson.state == LessonState.UNPUBLISHED


def test_upheld_objection_unpublishes(province, awarded):
    lesson = publish(province, awarded[0])
    signals.objection_upheld.send(
        sender=None,
        entry_id=awarded[0].entry_id,
        actor=Actor(province.city_admin),
        reason="异议成立",
    )
    lesson.refresh_from_db()
    assert lesson.state == LessonState.UNPUBLISHED


def test_consent_can_be_withdrawn_only_before_an_award(province, awarded, campaign, lessons):
    from tests.selection.test_proposal import city_entry

    entry = city_entry(campaign, province.teacher_a, lessons[5], "未获奖作品")
    submission = entry.submission
    consent.accept(Actor(province.teacher_a), submission)
    consent.withdraw(Actor(province.teacher_a), submission)
    assert consent.current_consent(submission) is None

    consent_to(awarded[0])
    with pytest.raises(ValidationError) as refused:
        consent.withdraw(Actor(province.teacher_a), awarded[0].entry.submission)
    assert "已获奖" in refused.value.messages[0]


def test_someone_else_cannot_consent_for_the_teacher(province, awarded):
    with pytest.raises(PermissionDenied):
        consent.accept(Actor(province.teacher_b), awarded[0].entry.submission)


def test_campaign_licence_text_is_what_the_teacher_accepts(province, awarded, campaign):
    consent.save_settings(
        Actor(province.province_admin),
        campaign,
        licence_title="CC BY-NC-ND",
        licence_text="署名-非商业性使用-禁止演绎",
        downloads_open=False,
    )
    accepted = consent_to(awarded[0])
    assert (accepted.licence_title, accepted.licence_text) == (
        "CC BY-NC-ND",
        "署名-非商业性使用-禁止演绎",
    )


def test_batch_job_publishes_every_consented_award(province, awarded):
    from youke.core.domain import jobs
    from youke.core.enums import JobState

    consent_to(awarded[0])
    consent_to(awarded[1])
    job = publishing.start_batch(Actor(province.city_admin), campaign_id=None)
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert (job.total, job.done, job.result["published"], job.result["failed"]) == (2, 2, 2, 0)
    assert LibraryLesson.objects.filter(state=LessonState.PUBLISHED).count() == 2
    # Nothing left: a second batch is refused with the reason.
    with pytest.raises(ValidationError):
        publishing.start_batch(Actor(province.city_admin), campaign_id=None)
