"""名师课堂: the master-teacher registry, studios, demonstration lessons, 评课 and discussion.

``set_lesson_state`` is the only writer of a lesson's state (``LESSON_TRANSITIONS``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.classrooms import rules
from youke.classrooms.enums import (
    DUTY_TITLES,
    LESSON_TRANSITIONS,
    LessonState,
    StudioRole,
)
from youke.classrooms.models import (
    DemoLesson,
    DiscussionPost,
    Evaluation,
    LessonRegistration,
    MasterTeacher,
    Studio,
    StudioMember,
)
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.orgs.domain.units import PermissionDenied


def register_master(actor: Actor, unit, person, *, title: str, subject: str) -> MasterTeacher:
    if not rules.can_register_masters(actor.person, unit):
        raise PermissionDenied
    if title not in DUTY_TITLES:
        raise ValidationError(
            {"title": [_("名师课堂登记的称号须是特级教师、省市学科带头人或市级名师。")]}
        )
    if not person.unit.path.startswith(unit.path):
        raise ValidationError({"person": [_("该教师不在本单位辖区内，请由其所在地登记。")]})
    if MasterTeacher.objects.filter(person=person).exists():
        raise ValidationError({"person": [_("该教师已在名师库中。")]})
    master = MasterTeacher.objects.create(person=person, unit=unit, title=title, subject=subject)
    record(actor, AuditAction.CREATE, master, unit=unit, after={"title": title})
    return master


def create_studio(actor: Actor, master: MasterTeacher, *, name: str, subject: str) -> Studio:
    if not rules.can_register_masters(actor.person, master.unit):
        raise PermissionDenied
    studio = Studio.objects.create(name=name, host=master, unit=master.unit, subject=subject)
    record(actor, AuditAction.CREATE, studio, unit=master.unit, after={"name": name})
    return studio


def add_studio_member(actor: Actor, studio: Studio, person, *, role: str) -> StudioMember:
    allowed = studio.host.person_id == actor.person.pk or rules.can_register_masters(
        actor.person, studio.unit
    )
    if not allowed:
        raise PermissionDenied
    if role not in StudioRole.values:
        raise ValidationError({"role": [_("身份须是成员或培育对象。")]})
    if person.pk == studio.host.person_id:
        raise ValidationError({"person": [_("主持人不需要再加入自己的工作室。")]})
    member, _created = StudioMember.objects.update_or_create(
        studio=studio, person=person, defaults={"role": role}
    )
    return member


def schedule_lesson(
    actor: Actor,
    master: MasterTeacher,
    *,
    title: str,
    kind: str,
    mode: str,
    starts_at,
    ends_at,
    live_url: str = "",
    studio: Studio | None = None,
) -> DemoLesson:
    if master.person_id != actor.person.pk and not rules.can_register_masters(
        actor.person, master.unit
    ):
        raise PermissionDenied
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": [_("结束时间须晚于开始时间。")]})
    if studio is not None and studio.host_id != master.pk:
        raise ValidationError({"studio": [_("只能选择该名师主持的工作室。")]})
    lesson = DemoLesson.objects.create(
        master=master,
        studio=studio,
        unit=master.unit,
        title=title,
        kind=kind,
        mode=mode,
        starts_at=starts_at,
        ends_at=ends_at,
        live_url=live_url,
    )
    record(actor, AuditAction.CREATE, lesson, unit=master.unit, after={"title": title})
    return lesson


def set_lesson_state(actor: Actor, lesson: DemoLesson, new_state: str, *, reason="") -> DemoLesson:
    with transaction.atomic():
        lesson = DemoLesson.objects.select_for_update().select_related("master").get(pk=lesson.pk)
        if not rules.can_manage_lesson(actor.person, lesson):
            raise PermissionDenied
        if new_state not in LESSON_TRANSITIONS[lesson.state]:
            raise ValidationError(
                _("这节课当前为“%(state)s”，不能改为“%(new)s”。")
                % {"state": lesson.get_state_display(), "new": LessonState(new_state).label}
            )
        if new_state == LessonState.HELD and lesson.starts_at > timezone.now():
            raise ValidationError(_("还没到上课时间，不能标记为已开课。"))
        before = lesson.state
        lesson.state = new_state
        lesson.save(update_fields=["state"])
        record(
            actor,
            AuditAction.UPDATE,
            lesson,
            unit=lesson.unit,
            before={"state": before},
            after={"state": new_state},
            reason=reason,
        )
    return lesson


def register_for_lesson(actor: Actor, lesson: DemoLesson) -> LessonRegistration:
    if lesson.state == LessonState.CANCELLED:
        raise ValidationError(_("这节课已取消，不能报名。"))
    registration, _created = LessonRegistration.objects.get_or_create(
        lesson=lesson, person=actor.person
    )
    return registration


def _may_review(person, lesson: DemoLesson) -> bool:
    return (
        LessonRegistration.objects.filter(lesson=lesson, person=person).exists()
        or StudioMember.objects.filter(studio__host=lesson.master, person=person).exists()
        or rules.can_manage_lesson(person, lesson)
    )


def evaluate_lesson(actor: Actor, lesson: DemoLesson, **fields) -> Evaluation:
    person = actor.person
    if person.pk == lesson.master.person_id:
        raise ValidationError(_("授课名师不评自己的课：请在讨论区回复，或写主持人总结。"))
    if lesson.state == LessonState.CANCELLED or lesson.starts_at > timezone.now():
        raise ValidationError(_("课还没有开始，开课后才能评课。"))
    if not _may_review(person, lesson):
        raise ValidationError(_("请先报名这节课，再提交评课。"))
    missing = [k for k in ("goals", "process", "engagement", "technology") if not fields[k].strip()]
    if missing:
        raise ValidationError({k: [_("请填写这一项的观察意见。")] for k in missing})
    if not 1 <= fields["rating"] <= 5:
        raise ValidationError({"rating": [_("总体评价须为 1 到 5。")]})
    evaluation, _created = Evaluation.objects.update_or_create(
        lesson=lesson, author=person, defaults=fields
    )
    return evaluation


def post_discussion(actor: Actor, lesson: DemoLesson, body: str, reply_to=None) -> DiscussionPost:
    if not body.strip():
        raise ValidationError({"body": [_("请写下讨论内容。")]})
    if reply_to is not None and reply_to.lesson_id != lesson.pk:
        raise ValidationError({"reply_to": [_("回复的帖子不在这节课下。")]})
    if not _may_review(actor.person, lesson) and actor.person.pk != lesson.master.person_id:
        raise ValidationError(_("请先报名这节课，再参加讨论。"))
    try:
        return DiscussionPost.objects.create(
            lesson=lesson, author=actor.person, body=body.strip(), reply_to=reply_to
        )
    except IntegrityError as exc:  # pragma: no cover - FK races only
        raise ValidationError(_("保存失败，请重试。")) from exc


def summarise_lesson(actor: Actor, lesson: DemoLesson, summary: str) -> DemoLesson:
    if not rules.can_manage_lesson(actor.person, lesson):
        raise PermissionDenied
    if not summary.strip():
        raise ValidationError({"summary": [_("请写下总结。")]})
    if lesson.state == LessonState.SCHEDULED:
        lesson = set_lesson_state(actor, lesson, LessonState.HELD)
    if lesson.state != LessonState.HELD:
        raise ValidationError(_("已取消的课不能写总结。"))
    lesson.summary = summary.strip()
    lesson.summarised_at = timezone.now()
    lesson.save(update_fields=["summary", "summarised_at"])
    return lesson
