"""Load 三个课堂 objects through the scope twins: 404 for missing and not yours alike."""

from django.http import Http404

from youke.classrooms import rules
from youke.classrooms.models import ClassSession, DeliveryGroup, DemoLesson, NetworkCourse


def access_group(person, group_id: int) -> DeliveryGroup:
    group = (
        rules.groups_visible_to(person)
        .select_related("unit", "term", "host_school")
        .filter(pk=group_id)
        .first()
    )
    if group is None:
        raise Http404("group")
    return group


def access_session(person, session_id: int) -> ClassSession:
    session = (
        ClassSession.objects.filter(
            pk=session_id, group__in=rules.groups_visible_to(person).values("pk")
        )
        .select_related(
            "period",
            "group__host_school",
            "group__unit",
            "host_teacher",
            "substituted_for",
            "replay",
        )
        .first()
    )
    if session is None:
        raise Http404("session")
    return session


def access_lesson(person, lesson_id: int) -> DemoLesson:
    lesson = (
        rules.lessons_visible_to(person)
        .select_related("master__person", "unit", "studio", "replay")
        .filter(pk=lesson_id)
        .first()
    )
    if lesson is None:
        raise Http404("lesson")
    return lesson


def access_course(person, course_id: int) -> NetworkCourse:
    course = (
        rules.courses_visible_to(person)
        .select_related("pilot__school", "pilot__registered_by")
        .filter(pk=course_id)
        .first()
    )
    if course is None:
        raise Http404("course")
    return course


def access_prep(person, prep_id: int):
    prep = (
        rules.preps_visible_to(person)
        .select_related("studio__host__person", "studio__unit", "host")
        .filter(pk=prep_id)
        .first()
    )
    if prep is None:
        raise Http404("prep")
    return prep
