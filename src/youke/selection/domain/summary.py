"""The summary sheet (推荐汇总表): a streamed xlsx of one confirmed list, and its confirmation.

The sending unit's admins and every admin above them may generate the sheet (``covers``);
only admins of the sending unit itself confirm it, because the confirmation is that unit's
signature on what it sent up. 评分 and 排名 come from the latest closed review round of the
list's level and unit (by the round's ranking method); 奖项 from the entry's active award.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.catalog.enums import NodeLevel
from youke.catalog.models import CourseNode
from youke.core.actor import Actor
from youke.core.domain import jobs
from youke.core.domain.audit import record
from youke.core.enums import AuditAction, JobState
from youke.core.models import Job
from youke.orgs import rules as org_rules
from youke.orgs.domain.exports import save_output
from youke.orgs.domain.units import PermissionDenied
from youke.selection.enums import EntryState, ListState
from youke.selection.models import LevelEntry, LevelList, SummarySheetConfirmation

JOB_KIND = "selection.summary_sheet"
CHUNK = 2000
# Catalog levels shown as their own columns, in column order.
NODE_COLUMNS = (NodeLevel.STAGE, NodeLevel.SUBJECT, NodeLevel.EDITION, NodeLevel.VOLUME)


def headers() -> list[str]:
    return [
        _("序号"),
        _("推荐单位"),
        _("学校"),
        _("课程节点编号"),
        _("学段"),
        _("学科"),
        _("教材版本"),
        _("年级/册次"),
        _("课题"),
        _("类别"),
        _("教师"),
        _("手机号"),
        _("状态"),
        _("评分"),
        _("排名"),
        _("奖项"),
    ]


def lists_visible_to(person) -> QuerySet[LevelList]:
    """Confirmed lists of the person's units and every unit under them."""
    if not org_rules.is_unit_admin(person):
        return LevelList.objects.none()
    confirmed = LevelList.objects.filter(state=ListState.CONFIRMED)
    return org_rules.scoped(confirmed, person, "unit__path")


def can_view_sheet(person, level_list: LevelList) -> bool:
    return (
        org_rules.is_unit_admin(person)
        and level_list.state == ListState.CONFIRMED
        and org_rules.covers(person, level_list.unit)
    )


def can_confirm_sheet(person, level_list: LevelList) -> bool:
    """Only the sending unit's own admins: an admin above would be signing for someone else."""
    return org_rules.covers(person, level_list.unit) and not org_rules.can_restructure_unit(
        person, level_list.unit
    )


def access_list(person, list_id: int) -> LevelList:
    found = (
        lists_visible_to(person)
        .select_related("unit", "level", "campaign")
        .filter(pk=list_id)
        .first()
    )
    if found is None:
        raise Http404("list")
    return found


def recommended_entries(level_list: LevelList) -> QuerySet[LevelEntry]:
    return (
        LevelEntry.objects.filter(
            level_id=level_list.level_id, unit_id=level_list.unit_id, state=EntryState.RECOMMENDED
        )
        .select_related(
            "submission",
            "submission__unit",
            "submission__node",
            "submission__category",
            "submission__teacher",
        )
        .order_by("submission__unit__path", "submission__node__path", "id")
    )


def request_summary_sheet(actor: Actor, level_list: LevelList) -> Job:
    if not can_view_sheet(actor.person, level_list):
        if level_list.state != ListState.CONFIRMED and org_rules.covers(
            actor.person, level_list.unit
        ):
            raise ValidationError(_("推荐名单尚未确认，不能生成汇总表。请先在推荐页确认名单。"))
        raise PermissionDenied("list")
    return jobs.create_job(
        actor, JOB_KIND, unit=level_list.unit, params={"level_list": level_list.pk}
    )


def _ancestor_names(nodes: list[CourseNode], known: dict[str, tuple[str, str]]) -> None:
    """Fill ``known`` (path → (level, name)) with the ancestors of ``nodes`` in one query.

    ``known`` only grows with distinct catalog ancestors (a few thousand at most), so it
    stays small however many rows the sheet has.
    """
    step = CourseNode.steplen
    wanted = {n.path[:i] for n in nodes for i in range(step, len(n.path) + 1, step)} - known.keys()
    if wanted:
        for path, level, name in CourseNode.objects.filter(path__in=wanted).values_list(
            "path", "level", "name"
        ):
            known[path] = (level, name)


def _scores_and_ranks(level_list: LevelList) -> dict[int, tuple[str, str]]:
    """Score and rank from the latest closed review round of this list's level and unit."""
    from youke.selection.domain.proposal import SCORE_FIELD
    from youke.selection.domain.review import round_results
    from youke.selection.enums import RoundState
    from youke.selection.models import ReviewRound

    review_round = (
        ReviewRound.objects.filter(
            campaign_id=level_list.campaign_id,
            level_id=level_list.level_id,
            unit_id=level_list.unit_id,
            state=RoundState.CLOSED,
        )
        .order_by("-id")
        .first()
    )
    if review_round is None:
        return {}
    attr = SCORE_FIELD[review_round.ranking_method]
    results, _experts = round_results(review_round)
    table = {}
    for result in results:
        value = getattr(result, attr)
        shown = "" if value is None else f"{value:.2f}"
        table[result.entry.pk] = (shown, "" if result.rank is None else str(result.rank))
    return table


def _awards(entry_ids: list[int]) -> dict[int, str]:
    from youke.selection.models import Award

    rows = Award.objects.filter(entry_id__in=entry_ids, revoked_at__isnull=True).select_related(
        "grade"
    )
    return {a.entry_id: a.grade.name for a in rows}


def _rows(level_list: LevelList, progress: jobs.JobProgress) -> Iterator[list]:
    sender = level_list.unit.name
    ranked = _scores_and_ranks(level_list)
    known: dict[str, tuple[str, str]] = {}
    batch: list[LevelEntry] = []
    number = 0

    def flush():
        nonlocal number
        _ancestor_names([e.submission.node for e in batch], known)
        awards = _awards([e.pk for e in batch])
        step = CourseNode.steplen
        for entry in batch:
            sub = entry.submission
            names = {}
            for i in range(step, len(sub.node.path) + 1, step):
                level, name = known.get(sub.node.path[:i], ("", ""))
                names.setdefault(level, name)
            number += 1
            progress.advance(number)
            yield [
                number,
                sender,
                sub.unit.name,
                sub.node.code,
                *[names.get(level, "") for level in NODE_COLUMNS],
                sub.title,
                sub.category.name,
                sub.teacher.full_name,
                sub.teacher.masked_mobile,
                str(EntryState(entry.state).label),
                *ranked.get(entry.pk, ("", "")),
                awards.get(entry.pk, ""),
            ]
        batch.clear()

    for entry in recommended_entries(level_list).iterator(chunk_size=CHUNK):
        batch.append(entry)
        if len(batch) >= CHUNK:
            yield from flush()
    if batch:
        yield from flush()


@jobs.register(JOB_KIND)
def build_summary_sheet(job: Job, progress: jobs.JobProgress) -> dict:
    level_list = (
        LevelList.objects.select_related("unit", "level", "campaign")
        .filter(pk=job.params.get("level_list"))
        .first()
    )
    # Re-checked at run time: the requester may have lost the role since queuing.
    if (
        level_list is None
        or job.created_by is None
        or not can_view_sheet(job.created_by, level_list)
    ):
        raise jobs.JobError(_("推荐名单不存在或您已无权查看。请回到汇总表页面重新生成。"))
    progress.set_total(recommended_entries(level_list).count())
    title = _("推荐汇总表")
    save_output(job, headers(), _rows(level_list, progress), "summary", title)
    return {
        "rows": progress.job.done,
        "level_list": level_list.pk,
        "message": _("汇总表已生成，共 %(n)s 件作品。") % {"n": progress.job.done},
    }


def file_sha256(job: Job) -> str:
    digest = hashlib.sha256()
    with job.output_file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def confirm_summary_sheet(
    actor: Actor, level_list: LevelList, job: Job
) -> SummarySheetConfirmation:
    """The sending unit confirms the very file it generated (row count and hash recorded)."""
    if not can_view_sheet(actor.person, level_list) or not can_confirm_sheet(
        actor.person, level_list
    ):
        raise PermissionDenied("list")
    if (
        job.kind != JOB_KIND
        or job.created_by_id != actor.person.pk
        or job.params.get("level_list") != level_list.pk
    ):
        raise PermissionDenied("job")
    if job.state != JobState.SUCCEEDED or not job.output_file:
        raise ValidationError(_("汇总表还没有生成完成，请等生成结束后再确认。"))
    with transaction.atomic():
        confirmation = SummarySheetConfirmation.objects.create(
            level_list=level_list,
            job=job,
            confirmed_by=actor.person,
            confirmed_at=timezone.now(),
            row_count=int(job.result.get("rows", 0)),
            sha256=file_sha256(job),
        )
        record(
            actor,
            AuditAction.UPDATE,
            confirmation,
            unit=level_list.unit,
            after={
                "level_list": level_list.pk,
                "job": job.pk,
                "row_count": confirmation.row_count,
                "sha256": confirmation.sha256,
            },
        )
    return confirmation
