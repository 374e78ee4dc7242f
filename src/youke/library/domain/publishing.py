"""Publishing awarded packages into the library, and taking lessons down.

``publish_award`` copies what the public sees (texts, node trail, category, awards, names as
the teacher allows, file references) into a ``LibraryLesson`` — a record that later edits
of the package do not touch. It needs an active award, the teacher's active consent and an
admin of the awarding unit (or above). ``set_lesson_state`` is the only writer of the
lesson's state. Revoking an award or upholding an objection unpublishes at once
(``receivers``). Many awards at once are the job ``library.publish_batch``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.catalog.enums import NodeLevel
from youke.catalog.models import CourseNode
from youke.core.actor import Actor
from youke.core.domain import jobs
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.library import rules
from youke.library.domain import cache_version, segment
from youke.library.domain.consent import current_consent
from youke.library.enums import LESSON_TRANSITIONS, FileKind, LessonState
from youke.library.models import LibraryFile, LibraryLesson
from youke.selection.models import Award

BATCH_JOB = "library.publish_batch"


class IllegalLessonTransition(ValidationError):
    pass


def node_columns(node: CourseNode) -> dict:
    """Trail text and the stage/subject/edition/volume ancestors of a catalog node."""
    chain = [*node.get_ancestors(), node]
    by_level = {n.level: n for n in chain}
    return {
        "node": node,
        "node_path": node.path,
        "node_trail": " · ".join(n.name for n in chain)[:500],
        "stage": by_level.get(NodeLevel.STAGE),
        "subject": by_level.get(NodeLevel.SUBJECT),
        "edition": by_level.get(NodeLevel.EDITION),
        "volume": by_level.get(NodeLevel.VOLUME),
    }


def search_columns(
    title: str, description: str, trail: str, category: str, teacher: str, school: str
) -> dict:
    segment.ensure_dictionary()
    segment.load_terms([title])
    return segment.index_columns(
        title=title, body_parts=[description, trail, category, teacher, school]
    )


def awards_snapshot(submission_id: int) -> tuple[list[dict], str, int]:
    """Active awards of the package as names, and its highest level (key, order)."""
    awards = list(
        Award.objects.filter(entry__submission_id=submission_id, revoked_at__isnull=True)
        .select_related("level", "grade")
        .order_by("-level__order", "grade__order")
    )
    names = [{"level": a.level.name, "grade": a.grade.name} for a in awards]
    if not awards:
        return names, "", 0
    return names, awards[0].level.key, awards[0].level.order


def _files(submission) -> list[LibraryFile]:
    from youke.campaigns.enums import MaterialKind

    files = []
    for order, material in enumerate(
        submission.materials.select_related("requirement", "upload").order_by(
            "requirement__order", "period"
        )
    ):
        requirement = material.requirement
        is_video = requirement.kind == MaterialKind.VIDEO
        label = requirement.name
        if requirement.per_period and submission.periods > 1:
            label = _("%(name)s（第%(n)d课时）") % {"name": requirement.name, "n": material.period}
        files.append(
            LibraryFile(
                kind=FileKind.VIDEO if is_video else FileKind.DOCUMENT,
                label=label[:100],
                period=material.period,
                order=order,
                upload=material.upload,
            )
        )
    return files


def publish_award(actor: Actor, award: Award) -> LibraryLesson:
    """Publish (or re-publish) the package of ``award``; refuses with the reason and the fix."""
    if not rules.can_publish(actor.person, award):
        raise PermissionDenied("award")
    entry = award.entry
    submission = entry.submission
    consent = current_consent(submission)
    if consent is None:
        raise ValidationError(
            _("《%(title)s》的教师尚未同意发布许可：请通知教师在作品页面同意后再发布。")
            % {"title": submission.title}
        )
    with transaction.atomic():
        existing = LibraryLesson.objects.select_for_update().filter(submission=submission).first()
        awards, level_key, level_order = awards_snapshot(submission.pk)
        if existing is not None:
            existing.awards, existing.award_level, existing.award_order = (
                awards,
                level_key,
                level_order,
            )
            existing.save(update_fields=["awards", "award_level", "award_order", "updated_at"])
            if existing.state != LessonState.PUBLISHED:
                set_lesson_state(existing, LessonState.PUBLISHED, actor=actor)
            return existing
        teacher = submission.teacher
        show = consent.show_author
        teacher_name = teacher.full_name if show else ""
        school_name = submission.unit.name if show else ""
        columns = node_columns(submission.node)
        lesson = LibraryLesson.objects.create(
            submission=submission,
            campaign=submission.campaign,
            publishing_unit=entry.unit,
            school=submission.unit,
            teacher=teacher,
            teacher_name=teacher_name,
            school_name=school_name,
            title=submission.title,
            description=submission.description,
            category_name=submission.category.name,
            year=submission.campaign.year,
            awards=awards,
            award_level=level_key,
            award_order=level_order,
            state=LessonState.PUBLISHED,
            published_at=timezone.now(),
            published_by=actor.person,
            **columns,
            **search_columns(
                submission.title,
                submission.description,
                columns["node_trail"],
                submission.category.name,
                teacher_name,
                school_name,
            ),
        )
        files = _files(submission)
        for item in files:
            item.lesson = lesson
        LibraryFile.objects.bulk_create(files)
        record(
            actor,
            AuditAction.CREATE,
            lesson,
            unit=entry.unit,
            after={"title": lesson.title, "award": award.pk},
        )
        transaction.on_commit(cache_version.bump)
    return lesson


def write_publication_state(record_, new_state: str, *, actor: Actor, reason: str = "") -> None:
    """Move a locked, checked lesson or course to ``new_state`` with its dates and reason,
    audited (the caller holds the row lock and has checked the transition)."""
    before = record_.state
    record_.state = new_state
    fields = ["state", "updated_at"]
    if new_state == LessonState.UNPUBLISHED:
        record_.unpublished_at = timezone.now()
        record_.unpublish_reason = (reason or "")[:300]
        fields += ["unpublished_at", "unpublish_reason"]
    else:
        record_.published_at = timezone.now()
        record_.published_by = actor.person
        record_.unpublish_reason = ""
        fields += ["published_at", "published_by", "unpublish_reason"]
    record_.save(update_fields=fields)
    record(
        actor,
        AuditAction.UPDATE,
        record_,
        unit=record_.publishing_unit,
        before={"state": before},
        after={"state": new_state},
        reason=reason,
    )


def set_lesson_state(
    lesson: LibraryLesson, new_state: str, *, actor: Actor, reason: str = ""
) -> LibraryLesson:
    with transaction.atomic():
        locked = LibraryLesson.objects.select_for_update().get(pk=lesson.pk)
        if new_state not in LESSON_TRANSITIONS[locked.state]:
            raise IllegalLessonTransition(_("该课例当前状态不能这样变更，请刷新页面后再试。"))
        write_publication_state(locked, new_state, actor=actor, reason=reason)
        transaction.on_commit(cache_version.bump)
    lesson.state = locked.state
    return locked


def unpublish(actor: Actor, lesson: LibraryLesson, reason: str) -> LibraryLesson:
    if not rules.can_unpublish(actor.person, lesson):
        raise PermissionDenied("lesson")
    if not (reason or "").strip():
        raise ValidationError(_("请填写下架理由，教师和上级单位会看到它。"))
    return set_lesson_state(lesson, LessonState.UNPUBLISHED, actor=actor, reason=reason.strip())


def republish(actor: Actor, lesson: LibraryLesson) -> LibraryLesson:
    """Put an unpublished lesson back: a course lesson with its course's consent, an awarded
    one again from its highest award the actor may publish (none left: refused)."""
    if lesson.course_id:  # a lesson of a library course (名校网络课堂) has no award
        from youke.library.domain import courses

        return courses.republish_lesson(actor, lesson)
    award = (
        rules.awards_publishable_by(actor.person)
        .filter(entry__submission_id=lesson.submission_id)
        .order_by("-level__order")
        .first()
        if lesson.submission_id
        else None
    )
    if award is None:
        raise ValidationError(_("该作品已没有有效奖项，不能重新发布。"))
    return publish_award(actor, award)


def follow_award_revoked(actor: Actor, award_id: int, reason: str) -> None:
    """Unpublish when no active award is left; otherwise drop the revoked one from the record."""
    award = Award.objects.select_related("entry").filter(pk=award_id).first()
    if award is None:
        return
    lesson = LibraryLesson.objects.filter(submission_id=award.entry.submission_id).first()
    if lesson is None:
        return
    awards, level_key, level_order = awards_snapshot(award.entry.submission_id)
    LibraryLesson.objects.filter(pk=lesson.pk).update(
        awards=awards, award_level=level_key, award_order=level_order
    )
    if not awards and lesson.state == LessonState.PUBLISHED:
        set_lesson_state(
            lesson,
            LessonState.UNPUBLISHED,
            actor=actor,
            reason=_("奖项已撤销：%(reason)s") % {"reason": reason},
        )
    else:
        cache_version.bump()


def follow_objection_upheld(actor: Actor, entry_id: int, reason: str) -> None:
    from youke.selection.models import LevelEntry

    entry = LevelEntry.objects.filter(pk=entry_id).first()
    if entry is None:
        return
    lesson = LibraryLesson.objects.filter(
        submission_id=entry.submission_id, state=LessonState.PUBLISHED
    ).first()
    if lesson is not None:
        set_lesson_state(
            lesson,
            LessonState.UNPUBLISHED,
            actor=actor,
            reason=_("公示异议成立：%(reason)s") % {"reason": reason},
        )


# --- batches ----------------------------------------------------------------------------------


def batch_candidates(person, *, campaign_id: int | None = None):
    """Active awards in the person's scope not yet published, with the teacher's consent."""
    qs = (
        rules.awards_publishable_by(person)
        .filter(
            entry__submission__publication_consent__withdrawn_at__isnull=True,
            entry__submission__publication_consent__isnull=False,
        )
        .exclude(entry__submission__library_lessons__state=LessonState.PUBLISHED)
    )
    if campaign_id:
        qs = qs.filter(level__campaign_id=campaign_id)
    return qs


def start_batch(actor: Actor, *, campaign_id: int | None, award_ids: list[int] | None = None):
    """Queue the batch job; the job re-checks every award as the person who started it."""
    qs = batch_candidates(actor.person, campaign_id=campaign_id)
    if award_ids:
        qs = qs.filter(pk__in=award_ids)
    ids = list(qs.order_by("pk").values_list("pk", flat=True).distinct())
    if not ids:
        raise ValidationError(_("没有可发布的获奖作品：已全部发布，或教师尚未同意发布许可。"))
    return jobs.create_job(actor, BATCH_JOB, params={"award_ids": ids, "ip": actor.ip})


@jobs.register(BATCH_JOB)
def _run_batch(job, progress) -> dict:
    actor = Actor(person=job.created_by, ip=job.params.get("ip"))
    ids = job.params.get("award_ids", [])
    progress.set_total(len(ids))
    progress.every = 50
    errors, published = [], 0
    awards = Award.objects.select_related(
        "entry__unit",
        "entry__submission__unit",
        "entry__submission__node",
        "entry__submission__category",
        "entry__submission__campaign",
        "entry__submission__teacher",
    )
    for done, award_id in enumerate(ids, start=1):
        award = awards.filter(pk=award_id).first()
        try:
            if award is None:
                raise ValidationError(_("奖项已不存在。"))
            publish_award(actor, award)
            published += 1
        except PermissionDenied:
            errors.append({"row": award_id, "column": "", "reason": _("不在您的管理范围内。")})
        except ValidationError as exc:
            errors.append(
                {
                    "row": award_id,
                    "column": award.entry.submission.title if award else "",
                    "reason": " ".join(exc.messages),
                }
            )
        progress.advance(done, _("已发布 %(n)d 个") % {"n": published})
    return {"published": published, "failed": len(errors), "errors": errors}
