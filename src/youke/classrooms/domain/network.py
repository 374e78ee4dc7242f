"""名校网络课堂: pilot schools, recording plans and the two-department review (R17).

A course is shared only when the research office (content) and the e-learning centre
(technical) both pass the same review round; either may return it with comments, which
ends the round. ``set_course_state`` is the only writer of the state (``COURSE_TRANSITIONS``);
after the commit that shares a course it sends ``signals.network_course_shared`` (the library
publishes it as a course of ordered lessons), and after a withdrawal
``signals.network_course_withdrawn`` (the library takes it down).

Every lesson needs a recording before the course is sent for review: an uploaded video
(``domain.replays``, the resumable upload; it plays in the shared player and in the library)
or, for older plans, the address of a recording kept elsewhere.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.classrooms import rules, signals
from youke.classrooms.enums import COURSE_TRANSITIONS, CourseState, Department, Verdict
from youke.classrooms.models import CourseReview, NetworkCourse, PilotSchool, PlannedLesson
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.notifications.enums import NotificationKind
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.enums import UnitKind

EDITABLE = (CourseState.DRAFT, CourseState.RETURNED, CourseState.WITHDRAWN)


def _check_url(url: str) -> None:
    if url and not url.startswith(("https://", "http://")):
        raise ValidationError({"recording_url": [_("录像地址须是 http 或 https 开头的网址。")]})


def register_pilot(actor: Actor, unit, school, *, kind: str) -> PilotSchool:
    if not rules.can_register_pilots(actor.person, unit):
        raise PermissionDenied
    if school.kind != UnitKind.SCHOOL or not school.path.startswith(unit.path):
        raise ValidationError({"school": [_("试点校须是本辖区内的学校。")]})
    if PilotSchool.objects.filter(school=school).exists():
        raise ValidationError({"school": [_("该校已登记为试点校或实验校。")]})
    pilot = PilotSchool.objects.create(school=school, registered_by=unit, kind=kind)
    record(actor, AuditAction.CREATE, pilot, unit=unit, after={"kind": kind})
    return pilot


def create_course(actor: Actor, pilot: PilotSchool, *, title, subject, grade) -> NetworkCourse:
    course = NetworkCourse(pilot=pilot, title=title, subject=subject, grade=grade)
    if not rules.can_edit_course(actor.person, course):
        raise PermissionDenied
    course.save()
    record(actor, AuditAction.CREATE, course, unit=pilot.school, after={"title": title})
    return course


def add_planned_lesson(
    actor: Actor, course: NetworkCourse, *, title, teacher, planned_on, recording_url=""
) -> PlannedLesson:
    if not rules.can_edit_course(actor.person, course):
        raise PermissionDenied
    if course.state not in EDITABLE:
        raise ValidationError(_("课程在审核中或已共享，不能修改录制计划。"))
    _check_url(recording_url)
    if not teacher.unit.path.startswith(course.pilot.school.path):
        raise ValidationError({"teacher": [_("授课教师须是试点校的教师。")]})
    order = (course.lessons.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    return PlannedLesson.objects.create(
        course=course,
        order=order,
        title=title,
        teacher=teacher,
        planned_on=planned_on,
        recording_url=recording_url,
    )


def set_recording(actor: Actor, lesson: PlannedLesson, recording_url: str) -> PlannedLesson:
    if not rules.can_edit_course(actor.person, lesson.course):
        raise PermissionDenied
    if lesson.course.state not in EDITABLE:
        raise ValidationError(_("课程在审核中或已共享，不能修改录像。"))
    _check_url(recording_url)
    lesson.recording_url = recording_url
    lesson.save(update_fields=["recording_url"])
    return lesson


def set_course_state(actor: Actor, course: NetworkCourse, new_state: str, *, reason="") -> None:
    """Called under the course's row lock by ``submit_course`` and ``review_course``."""
    if new_state not in COURSE_TRANSITIONS[course.state]:
        raise ValidationError(
            _("课程当前为“%(state)s”，不能改为“%(new)s”。")
            % {"state": course.get_state_display(), "new": CourseState(new_state).label}
        )
    before = course.state
    course.state = new_state
    fields = ["state"]
    if new_state == CourseState.IN_REVIEW:
        course.review_round += 1
        fields.append("review_round")
    if new_state == CourseState.SHARED:
        course.shared_at = timezone.now()
        fields.append("shared_at")
    course.save(update_fields=fields)
    course_id = course.pk
    if new_state == CourseState.SHARED:
        transaction.on_commit(
            lambda: signals.network_course_shared.send(
                sender=NetworkCourse, course_id=course_id, actor=actor
            ),
            robust=True,  # the decision is committed; a failing listener is logged
        )
    elif new_state == CourseState.WITHDRAWN:
        transaction.on_commit(
            lambda: signals.network_course_withdrawn.send(
                sender=NetworkCourse, course_id=course_id, actor=actor, reason=reason
            ),
            robust=True,
        )
    record(
        actor,
        AuditAction.UPDATE,
        course,
        unit=course.pilot.school,
        before={"state": before},
        after={"state": new_state},
        reason=reason,
    )


def submit_course(actor: Actor, course: NetworkCourse) -> NetworkCourse:
    with transaction.atomic():
        course = (
            NetworkCourse.objects.select_for_update()
            .select_related("pilot__school")
            .get(pk=course.pk)
        )
        if not rules.can_edit_course(actor.person, course):
            raise PermissionDenied
        lessons = list(course.lessons.all())
        if not lessons:
            raise ValidationError(_("录制计划里还没有课：请先添加至少一节课。"))
        unrecorded = [
            lesson.title for lesson in lessons if not (lesson.recording_id or lesson.recording_url)
        ]
        if unrecorded:
            raise ValidationError(
                _("以下课还没有录像，录完再送审：%(titles)s。") % {"titles": "、".join(unrecorded)}
            )
        set_course_state(actor, course, CourseState.IN_REVIEW)
    return course


def review_course(actor: Actor, course: NetworkCourse, *, verdict: str, comment: str = ""):
    with transaction.atomic():
        course = (
            NetworkCourse.objects.select_for_update()
            .select_related("pilot__school", "pilot__registered_by")
            .get(pk=course.pk)
        )
        department = rules.review_department(actor.person, course)
        if department is None:
            raise PermissionDenied
        if course.state != CourseState.IN_REVIEW:
            raise ValidationError(_("课程不在审核中，无需审核。"))
        if verdict == Verdict.RETURN and not comment.strip():
            raise ValidationError({"comment": [_("退回时请写明需要修改的地方。")]})
        if CourseReview.objects.filter(
            course=course, round=course.review_round, department=department
        ).exists():
            raise ValidationError(
                _("本部门已审核过这一轮（%(department)s）。")
                % {"department": Department(department).label}
            )
        review = CourseReview.objects.create(
            course=course,
            round=course.review_round,
            department=department,
            verdict=verdict,
            comment=comment.strip(),
            reviewer=actor.person,
        )
        if verdict == Verdict.RETURN:
            set_course_state(actor, course, CourseState.RETURNED, reason=comment)
        else:
            passed = set(
                CourseReview.objects.filter(
                    course=course, round=course.review_round, verdict=Verdict.PASS
                ).values_list("department", flat=True)
            )
            if passed == set(Department.values):
                set_course_state(actor, course, CourseState.SHARED)
        if course.state in (CourseState.RETURNED, CourseState.SHARED):
            transaction.on_commit(lambda: _tell_school(course.pk, review.pk))
    return review


def withdraw_course(actor: Actor, course: NetworkCourse, *, reason: str) -> NetworkCourse:
    """Take a shared course back (the pilot school's admin, or a reviewer at the registering
    bureau); it leaves the library and may be edited and sent for review again."""
    with transaction.atomic():
        course = (
            NetworkCourse.objects.select_for_update()
            .select_related("pilot__school", "pilot__registered_by")
            .get(pk=course.pk)
        )
        if not (
            rules.can_edit_course(actor.person, course)
            or rules.review_department(actor.person, course) is not None
        ):
            raise PermissionDenied
        if not (reason or "").strip():
            raise ValidationError({"reason": [_("请写明撤回共享的原因，学校和资源库都会看到它。")]})
        set_course_state(actor, course, CourseState.WITHDRAWN, reason=reason.strip())
        course_id, actor_id, why = course.pk, actor.person.pk, reason.strip()
        transaction.on_commit(lambda: _tell_withdrawn(course_id, actor_id, why))
    return course


def attach_recording(actor: Actor, lesson: PlannedLesson, upload_id) -> PlannedLesson:
    """Attach a finished video upload of the actor's (e.g. uploaded before the lesson was
    chosen) as the lesson's recording; processing is queued as for any replay."""
    from youke.classrooms.domain import replays
    from youke.media.enums import UploadState
    from youke.media.models import Upload

    upload = Upload.objects.filter(pk=upload_id, owner=actor.person).first()
    if upload is None:
        raise ValidationError({"upload_id": [_("找不到这个上传，请在“我的上传”里核对。")]})
    if upload.state != UploadState.COMPLETE:
        raise ValidationError({"upload_id": [_("上传还没有完成：请继续上传完成后再选用。")]})
    if upload.content_type not in replays.VIDEO_TYPES:
        raise ValidationError(
            {"upload_id": [_("录像须是 MP4 或 MOV 视频，请导出为 MP4 后重新上传。")]}
        )
    return replays.attach_replay(actor, lesson, upload)


def _tell_school(course_id: int, review_id: int) -> None:
    """The pilot school's admins learn that their course was returned or shared."""
    from django.urls import reverse

    from youke.notifications.domain.notify import notify

    course = NetworkCourse.objects.select_related("pilot__school").get(pk=course_id)
    review = CourseReview.objects.get(pk=review_id)
    if course.state == CourseState.SHARED:
        title = _("网络课程已通过审核并共享：%(title)s") % {"title": course.title}
        body = _("教研室和电教馆均已审核通过，课程已共享。")
    else:
        title = _("网络课程被退回：%(title)s") % {"title": course.title}
        body = _("%(department)s退回了课程，意见：%(comment)s。修改后请重新送审。") % {
            "department": Department(review.department).label,
            "comment": review.comment,
        }
    for person in _school_admins(course):
        notify(
            person,
            NotificationKind.COURSE_REVIEW,
            title=title,
            body=body,
            url=reverse("manage_classrooms:course", args=[course.pk]),
            dedupe_key=f"classrooms-course:{course.pk}:{review.pk}:{person.pk}",
        )


def _school_admins(course: NetworkCourse) -> list:
    from youke.orgs.enums import Role
    from youke.orgs.models import RoleGrant

    grants = RoleGrant.objects.filter(unit=course.pilot.school, role=Role.UNIT_ADMIN)
    return [grant.person for grant in grants.select_related("person")]


def _tell_withdrawn(course_id: int, actor_id: int, reason: str) -> None:
    """The pilot school's admins and the course's teachers learn that it left the library,
    and why (whoever withdrew it is not told of their own act)."""
    from django.urls import reverse

    from youke.notifications.domain.notify import notify

    course = NetworkCourse.objects.select_related("pilot__school").get(pk=course_id)
    admin_page = reverse("manage_classrooms:course", args=[course.pk])
    teacher_page = reverse("portal_classrooms:recordings")
    people = {lesson.teacher.pk: (lesson.teacher, teacher_page) for lesson in course.lessons.all()}
    people.update({admin.pk: (admin, admin_page) for admin in _school_admins(course)})
    people.pop(actor_id, None)
    names = {"title": course.title, "reason": reason}
    for person, url in people.values():
        notify(
            person,
            NotificationKind.COURSE_REVIEW,
            title=_("网络课程已撤回共享：%(title)s") % names,
            body=_("课程已从资源库撤下，原因：%(reason)s。修改后可重新送审。") % names,
            url=url,
            dedupe_key=f"classrooms-withdrawn:{course.pk}:{course.review_round}:{person.pk}",
        )


def waiting_on(course: NetworkCourse) -> list[str]:
    """Departments that have not decided this round (for pages and the API)."""
    if course.state != CourseState.IN_REVIEW:
        return []
    decided = {r.department for r in course.reviews.all() if r.round == course.review_round}
    return [str(Department(d).label) for d in Department.values if d not in decided]
