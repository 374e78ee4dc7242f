"""Library courses: a network course shared after both departments passed it (R17) enters the
library as a course of ordered lessons.

``publish_course`` (heard from ``classrooms.signals.network_course_shared``) copies the
course and one ``LibraryLesson`` per planned lesson, in the plan's order; a lesson whose
recording was uploaded plays in the shared player (its upload is the lesson's video file), a
lesson recorded elsewhere is listed with the address and no player. The lessons are searched
and browsed like every library lesson (search columns from ``domain.segment``; category
名校网络课堂). Sharing again (after a withdrawal) updates the same records.

``set_course_state`` is the only writer of the course's state, and moves its lessons with it
through ``publishing.set_lesson_state`` (the only writer of a lesson's state): a withdrawn
course, or one an admin of the publishing bureau takes down, leaves the library whole.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.library import rules
from youke.library.domain import cache_version
from youke.library.domain.publishing import (
    IllegalLessonTransition,
    search_columns,
    set_lesson_state,
    write_publication_state,
)
from youke.library.enums import LESSON_TRANSITIONS, FileKind, LessonState
from youke.library.models import LibraryCourse, LibraryFile, LibraryLesson


def category_name() -> str:
    """Stored like the categories of awarded lessons (in the site's language)."""
    return _("名校网络课堂")


def _lesson_fields(course, planned, order: int, shared_at, actor: Actor) -> dict:
    school = course.pilot.school
    trail = f"{course.subject} · {course.grade}"
    category = category_name()
    description = _("名校网络课堂《%(course)s》第 %(n)d 课（%(school)s）") % {
        "course": course.title,
        "n": order,
        "school": school.name,
    }
    teacher_name = planned.teacher.full_name
    return {
        "publishing_unit": course.pilot.registered_by,
        "school": school,
        "teacher": planned.teacher,
        "teacher_name": teacher_name,
        "school_name": school.name[:100],
        "title": planned.title[:120],
        "description": description,
        "node": None,
        "node_path": "",
        "node_trail": trail[:500],
        "category_name": category,
        "year": shared_at.year,
        "course_order": order,
        "external_url": "" if planned.recording_id else planned.recording_url,
        **search_columns(
            planned.title,
            f"{course.title} {description}",
            trail,
            category,
            teacher_name,
            school.name,
        ),
    }


def _sync_video(lesson: LibraryLesson, upload) -> None:
    """The lesson's one video file follows the planned lesson's uploaded recording."""
    files = list(lesson.files.filter(kind=FileKind.VIDEO))
    if upload is None:
        LibraryFile.objects.filter(pk__in=[f.pk for f in files]).delete()
        return
    if files:
        first, rest = files[0], files[1:]
        if first.upload_id != upload.pk:
            first.upload = upload
            first.label = lesson.title[:100]
            first.save(update_fields=["upload", "label"])
        LibraryFile.objects.filter(pk__in=[f.pk for f in rest]).delete()
        return
    LibraryFile.objects.create(
        lesson=lesson, kind=FileKind.VIDEO, label=lesson.title[:100], order=0, upload=upload
    )


def publish_course(actor: Actor, network_course_id: int) -> LibraryCourse | None:
    """Publish (or publish again) a shared network course with its lessons in order."""
    from youke.classrooms.enums import CourseState
    from youke.classrooms.models import NetworkCourse

    course = (
        NetworkCourse.objects.select_related("pilot__school", "pilot__registered_by")
        .filter(pk=network_course_id)
        .first()
    )
    if course is None or course.state != CourseState.SHARED:
        return None
    shared_at = course.shared_at or timezone.now()
    planned = list(course.lessons.select_related("teacher", "recording").order_by("order", "id"))
    # The copied texts are stored data: written in the site's language, not the reviewer's.
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        library_course = (
            LibraryCourse.objects.select_for_update().filter(network_course=course).first()
        )
        values = {
            "publishing_unit": course.pilot.registered_by,
            "school": course.pilot.school,
            "school_name": course.pilot.school.name[:100],
            "title": course.title,
            "subject": course.subject,
            "grade": course.grade,
            "node_trail": f"{course.subject} · {course.grade}"[:500],
        }
        created = library_course is None
        if created:
            library_course = LibraryCourse.objects.create(
                network_course=course,
                state=LessonState.PUBLISHED,
                published_at=timezone.now(),
                published_by=actor.person,
                **values,
            )
        else:
            for name, value in values.items():
                setattr(library_course, name, value)
            library_course.save(update_fields=[*values, "updated_at"])
        existing = {
            lesson.planned_lesson_id: lesson
            for lesson in LibraryLesson.objects.select_for_update().filter(course=library_course)
        }
        kept = set()
        for position, item in enumerate(planned, start=1):
            fields = _lesson_fields(course, item, position, shared_at, actor)
            lesson = existing.get(item.pk)
            if lesson is None:
                lesson = LibraryLesson.objects.create(
                    course=library_course,
                    planned_lesson=item,
                    state=LessonState.PUBLISHED,
                    published_at=timezone.now(),
                    published_by=actor.person,
                    **fields,
                )
            else:
                for name, value in fields.items():
                    setattr(lesson, name, value)
                lesson.save(update_fields=[*fields, "updated_at"])
            kept.add(lesson.pk)
            _sync_video(lesson, item.recording)
        # Lessons taken out of the plan since the last share leave the library.
        for lesson in existing.values():
            if lesson.pk not in kept and lesson.state == LessonState.PUBLISHED:
                set_lesson_state(
                    lesson,
                    LessonState.UNPUBLISHED,
                    actor=actor,
                    reason=_("已不在课程的录制计划中。"),
                )
        if not created:
            set_course_state(library_course, LessonState.PUBLISHED, actor=actor, strict=False)
        record(
            actor,
            AuditAction.CREATE if created else AuditAction.UPDATE,
            library_course,
            unit=library_course.publishing_unit,
            after={"title": library_course.title, "lessons": len(planned)},
        )
        transaction.on_commit(cache_version.bump)
    return library_course


def set_course_state(
    library_course: LibraryCourse,
    new_state: str,
    *,
    actor: Actor,
    reason: str = "",
    strict: bool = True,
) -> LibraryCourse:
    """Move the course and its lessons together (``strict=False``: already there is fine)."""
    with transaction.atomic():
        locked = LibraryCourse.objects.select_for_update().get(pk=library_course.pk)
        if locked.state == new_state and not strict:
            moved = False
        elif new_state not in LESSON_TRANSITIONS[locked.state]:
            raise IllegalLessonTransition(_("该课程当前状态不能这样变更，请刷新页面后再试。"))
        else:
            moved = True
        if moved:
            write_publication_state(locked, new_state, actor=actor, reason=reason)
        lessons = LibraryLesson.objects.filter(course=locked).exclude(state=new_state)
        if new_state == LessonState.PUBLISHED:
            # Only the lessons still in the plan come back.
            lessons = lessons.filter(planned_lesson__isnull=False)
        for lesson in lessons:
            set_lesson_state(lesson, new_state, actor=actor, reason=reason)
        transaction.on_commit(cache_version.bump)
    library_course.state = locked.state
    return locked


def unpublish_course(actor: Actor, library_course: LibraryCourse, reason: str) -> LibraryCourse:
    """An admin of the publishing bureau takes the course (and its lessons) down."""
    if not rules.can_manage_course(actor.person, library_course):
        raise PermissionDenied("course")
    if not (reason or "").strip():
        raise ValidationError(_("请填写下架理由，学校和上级单位会看到它。"))
    return set_course_state(
        library_course, LessonState.UNPUBLISHED, actor=actor, reason=reason.strip()
    )


def republish_course(actor: Actor, library_course: LibraryCourse) -> LibraryCourse:
    """Put a course an admin took down back up, if the network course is still shared."""
    from youke.classrooms.enums import CourseState

    if not rules.can_manage_course(actor.person, library_course):
        raise PermissionDenied("course")
    network_course = library_course.network_course
    if network_course is None or network_course.state != CourseState.SHARED:
        raise ValidationError(
            _("该课程已被学校或审核部门撤回共享：重新送审并通过后会自动回到资源库。")
        )
    return set_course_state(library_course, LessonState.PUBLISHED, actor=actor)


def republish_lesson(actor: Actor, lesson: LibraryLesson) -> LibraryLesson:
    """Put one lesson of a published course back up (an admin took it down alone)."""
    course = lesson.course
    if not rules.can_manage_course(actor.person, course):
        raise PermissionDenied("course")
    if course.state != LessonState.PUBLISHED or lesson.planned_lesson_id is None:
        raise ValidationError(
            _(
                "这节课所属的课程《%(title)s》已下架或已不含这节课：请先在“资源库课程”里重新发布课程。"
            )
            % {"title": course.title}
        )
    return set_lesson_state(lesson, LessonState.PUBLISHED, actor=actor)


def follow_course_withdrawn(actor: Actor, network_course_id: int, reason: str) -> None:
    library_course = LibraryCourse.objects.filter(network_course_id=network_course_id).first()
    if library_course is None:
        return
    set_course_state(
        library_course,
        LessonState.UNPUBLISHED,
        actor=actor,
        reason=_("课程已撤回共享：%(reason)s") % {"reason": reason},
        strict=False,
    )


def neighbours(lesson: LibraryLesson) -> dict:
    """The published lessons before and after ``lesson`` in its course."""
    if lesson.course_id is None:
        return {}
    siblings = LibraryLesson.objects.filter(
        course_id=lesson.course_id, state=LessonState.PUBLISHED
    ).only("pk", "title", "course_order")
    return {
        "previous": siblings.filter(course_order__lt=lesson.course_order)
        .order_by("-course_order")
        .first(),
        "next": siblings.filter(course_order__gt=lesson.course_order)
        .order_by("course_order")
        .first(),
    }
