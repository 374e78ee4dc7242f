"""Load library records: published ones for everyone, managed ones through the scope twin.

Missing, unpublished and not-yours all answer 404.
"""

from django.http import Http404

from youke.library import rules
from youke.library.domain.queries import published
from youke.library.models import LibraryFile, LibraryLesson


def access_public_lesson(lesson_id: int) -> LibraryLesson:
    lesson = published().filter(pk=lesson_id).first()
    if lesson is None:
        raise Http404("lesson")
    return lesson


def access_public_file(file_id: int) -> LibraryFile:
    item = (
        LibraryFile.objects.select_related("lesson", "upload", "upload__asset")
        .filter(pk=file_id, lesson__state="published")
        .first()
    )
    if item is None:
        raise Http404("file")
    return item


def access_managed_lesson(person, lesson_id: int) -> LibraryLesson:
    lesson = (
        rules.lessons_managed_by(person)
        .select_related("publishing_unit")
        .filter(pk=lesson_id)
        .first()
    )
    if lesson is None:
        raise Http404("lesson")
    return lesson


def access_managed_course(person, course_id: int):
    course = (
        rules.courses_managed_by(person)
        .select_related("publishing_unit", "network_course")
        .filter(pk=course_id)
        .first()
    )
    if course is None:
        raise Http404("course")
    return course


def access_publishable_award(person, award_id: int):
    award = (
        rules.awards_publishable_by(person)
        .select_related(
            "entry__unit",
            "entry__submission__unit",
            "entry__submission__node",
            "entry__submission__category",
            "entry__submission__campaign",
            "entry__submission__teacher",
            "level",
            "grade",
        )
        .filter(pk=award_id)
        .first()
    )
    if award is None:
        raise Http404("award")
    return award


def access_moderated_comment(person, comment_id: int):
    comment = (
        rules.comments_moderated_by(person)
        .select_related("lesson__publishing_unit", "author")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        raise Http404("comment")
    return comment


def access_own_comment(person, comment_id: int):
    from youke.library.models import LessonComment

    comment = (
        LessonComment.objects.select_related("lesson__publishing_unit")
        .filter(pk=comment_id, author_id=person.pk)
        .first()
    )
    if comment is None:
        raise Http404("comment")
    return comment


def access_handled_report(person, report_id: int):
    report = (
        rules.reports_handled_by(person)
        .select_related("lesson__publishing_unit", "reporter")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404("report")
    return report


def access_managed_word(person, word_id: int):
    word = rules.words_managed_by(person).select_related("unit").filter(pk=word_id).first()
    if word is None:
        raise Http404("word")
    return word
