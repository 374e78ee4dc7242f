"""The library demo's comments, words, favourites, history and report (issue 10, Demo)."""

import random

from tests.library.conftest import make_lesson
from tests.library.engagement_helpers import video
from youke.library.demo import build_engagement
from youke.library.enums import CommentState
from youke.library.models import (
    LessonComment,
    LessonFavourite,
    LibraryLesson,
    ProblemReport,
    SensitiveWord,
    WatchHistory,
)
from youke.notifications.models import Notification


def test_demo_engagement_builds_consistent_rows(province, lessons):
    shelf = [make_lesson(lessons[0], f"课例{i}", unit=province.county_a) for i in range(10)]
    for lesson in shelf:
        video(lesson, province.teacher_a, 600)
    made = build_engagement(random.Random(7), teacher_username="teachera")
    assert made["library_reports"] == 1
    assert made["library_history"] == 6
    assert made["library_comments"] == LessonComment.objects.count()
    assert made["library_comments_pending"] == (
        LessonComment.objects.filter(state=CommentState.PENDING).count()
    )
    assert SensitiveWord.objects.filter(unit=province.province).count() == 5
    assert LessonFavourite.objects.filter(person=province.teacher_a).count() == 8
    for h in WatchHistory.objects.all():
        assert h.seconds_watched <= h.duration_seconds == 600
    for lesson in LibraryLesson.objects.all():
        assert lesson.favourites == LessonFavourite.objects.filter(lesson=lesson).count()
        assert lesson.comments == (
            LessonComment.objects.filter(lesson=lesson, state=CommentState.PUBLISHED).count()
        )
    report = ProblemReport.objects.get()
    assert report.reporter_id == province.teacher_a.pk
    assert set(Notification.objects.values_list("person_id", flat=True)) == {
        province.county_a_admin.pk
    }
