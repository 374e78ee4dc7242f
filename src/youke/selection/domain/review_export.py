"""The review-results workbook: every review of a round, one row each, entries in result
order, as a job like the summary sheet.

Streamed: the entries are read in rank order from the summaries, their reviews and points
fetched ``CHUNK`` entries at a time as ``.values()`` tuples and written to a write-only
workbook, so memory does not grow with the number of reviews.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.core.actor import Actor
from youke.core.domain import jobs
from youke.core.models import Job
from youke.orgs import rules as org_rules
from youke.orgs.domain.exports import save_output
from youke.orgs.domain.units import PermissionDenied
from youke.selection.domain.review_results import summaries
from youke.selection.domain.review_summary import ensure_current
from youke.selection.enums import AssignmentState, RoundState
from youke.selection.models import Assignment, ReviewRound, Score

JOB_KIND = "selection.review_results"
CHUNK = 500
STATES = dict(AssignmentState.choices)


def headers() -> list[str]:
    return [
        _("名次"),
        _("作品编号"),
        _("作品"),
        _("学校"),
        _("教师"),
        _("平均分"),
        _("去极值平均分"),
        _("标准分"),
        _("评审专家"),
        _("评审状态"),
        _("总分"),
        _("分项得分"),
        _("一票否决"),
        _("否决理由"),
        _("评语"),
        _("提交时间"),
    ]


def can_export(person, review_round: ReviewRound) -> bool:
    return org_rules.is_unit_admin(person) and org_rules.covers(person, review_round.unit)


def request_review_export(actor: Actor, review_round: ReviewRound) -> Job:
    if review_round.state == RoundState.DRAFT:
        raise ValidationError(_("评审轮次尚未开始，没有可导出的评分：请开始评审后再导出。"))
    if not can_export(actor.person, review_round):
        raise PermissionDenied("review round")
    return jobs.create_job(
        actor, JOB_KIND, unit=review_round.unit, params={"round": review_round.pk}
    )


def _figure(value: float | None, digits: int) -> float | str:
    return "" if value is None else round(value, digits)


def _reviews(entry_ids: list[int], round_id: int) -> tuple[dict, dict]:
    """The chunk's reviews by entry and their points as text by review (two queries)."""
    by_entry: dict[int, list[tuple]] = defaultdict(list)
    for row in (
        Assignment.objects.filter(round_id=round_id, entry_id__in=entry_ids)
        .order_by("entry_id", "expert__full_name", "id")
        .values_list(
            "id",
            "entry_id",
            "expert__full_name",
            "state",
            "total",
            "veto",
            "veto_reason",
            "comment",
            "submitted_at",
        )
    ):
        by_entry[row[1]].append(row)
    points: dict[int, list[str]] = defaultdict(list)
    for assignment_id, name, value in (
        Score.objects.filter(assignment__round_id=round_id, assignment__entry_id__in=entry_ids)
        .order_by("assignment_id", "criterion__order", "criterion_id")
        .values_list("assignment_id", "criterion__name", "points")
    ):
        points[assignment_id].append(f"{name} {value}")
    return by_entry, points


def rows(review_round: ReviewRound, progress: jobs.JobProgress | None = None) -> Iterator[list]:
    entries = summaries(review_round).values_list(
        "entry_id", "rank", "title", "school", "teacher", "mean", "trimmed_mean", "zscore"
    )
    # Translated once, not once per row (15,000 gettext calls were a tenth of the export).
    states = {value: str(label) for value, label in STATES.items()}
    vetoed = _("是")
    stamps: dict = {}
    done = 0
    chunk: list[tuple] = []

    def stamp(at) -> str:
        if at not in stamps:
            stamps[at] = timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
        return stamps[at]

    def flush() -> Iterator[list]:
        nonlocal done
        by_entry, points = _reviews([row[0] for row in chunk], review_round.pk)
        for entry_id, rank, title, school, teacher, mean, trimmed, zscore in chunk:
            figures = [
                "" if rank is None else rank,
                entry_id,
                title,
                school,
                teacher,
                _figure(mean, 2),
                _figure(trimmed, 2),
                _figure(zscore, 3),
            ]
            for pk, _entry, expert, state, total, veto, reason, comment, at in by_entry[entry_id]:
                done += 1
                yield [
                    *figures,
                    expert,
                    states.get(state, state),
                    "" if total is None else total,
                    "；".join(points[pk]),
                    vetoed if veto else "",
                    reason,
                    comment,
                    stamp(at) if at else "",
                ]
        if progress is not None:
            progress.advance(done)
        chunk.clear()
        stamps.clear()

    for row in entries.iterator(chunk_size=2000):
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield from flush()
    if chunk:
        yield from flush()


@jobs.register(JOB_KIND)
def build_review_export(job: Job, progress: jobs.JobProgress) -> dict:
    review_round = (
        ReviewRound.objects.select_related("unit").filter(pk=job.params.get("round")).first()
    )
    # Re-checked at run time: the requester may have lost the role since queuing.
    if (
        review_round is None
        or job.created_by is None
        or not can_export(job.created_by, review_round)
    ):
        raise jobs.JobError(_("评审轮次不存在或您已无权查看。请回到评审结果页面重新导出。"))
    ensure_current(review_round)
    progress.set_total(Assignment.objects.filter(round=review_round).count())
    save_output(job, headers(), rows(review_round, progress), "reviews", _("评审结果"))
    return {
        "rows": progress.job.done,
        "round": review_round.pk,
        "message": _("评审结果已导出，共 %(n)s 条评审。") % {"n": progress.job.done},
    }
