"""Review rounds: life cycle, scoring (R3b, R15), aggregation and the blind view of an entry.

Access for experts is by assignment only (``assignments_visible_to``/``access_assignment``);
admins reach a round through the unit it belongs to (``rounds_visible_to``/``access_round``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.campaigns.models import Campaign, Criterion, Level
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.media.models import MediaAsset
from youke.orgs import rules as org_rules
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import Person, Unit
from youke.selection.domain import checklist
from youke.selection.domain.blind import prepare_blind_copies
from youke.selection.domain.metadata import metadata_leaks
from youke.selection.domain.review_results import EntryResult, ExpertResult, round_results
from youke.selection.domain.review_summary import create_summaries, review_changed
from youke.selection.enums import (
    ROUND_TRANSITIONS,
    AssignmentState,
    EntryState,
    RoundState,
)
from youke.selection.models import Assignment, LevelEntry, ReviewRound, Score

__all__ = ["EntryResult", "ExpertResult", "round_results"]  # read from review_results
from youke.submissions.domain import blind_copies
from youke.submissions.domain.links import link_texts
from youke.submissions.domain.packages import package_materials
from youke.submissions.models import CoAuthor, Material, MaterialLink

ROUND_FIELDS = [
    "name",
    "reviews_per_entry",
    "deadline",
    "blind",
    "show_other_scores",
    "exclude_same_county",
    "exclude_same_city",
    "ranking_method",
    "disagreement_threshold",
]

# --- access --------------------------------------------------------------------------------


def rounds_visible_to(person: Person) -> QuerySet[ReviewRound]:
    if not org_rules.is_unit_admin(person):
        return ReviewRound.objects.none()
    return org_rules.scoped(ReviewRound.objects.all(), person, "unit__path")


def access_round(person: Person, round_id: int) -> ReviewRound:
    found = (
        rounds_visible_to(person)
        .select_related("campaign", "level", "unit", "node_scope")
        .filter(pk=round_id)
        .first()
    )
    if found is None:
        raise Http404("round")
    return found


def assignments_visible_to(person: Person) -> QuerySet[Assignment]:
    """An expert's own assignments in rounds that have started (never anyone else's)."""
    if not person.is_authenticated:
        return Assignment.objects.none()
    return Assignment.objects.filter(expert=person).exclude(round__state=RoundState.DRAFT)


def access_assignment(person: Person, assignment_id: int) -> Assignment:
    found = (
        assignments_visible_to(person)
        .select_related(
            "round",
            "entry__submission__category",
            "entry__submission__node",
            "entry__submission__teacher",
            "entry__submission__unit",
        )
        .filter(pk=assignment_id)
        .first()
    )
    if found is None:
        raise Http404("assignment")
    return found


def _require_admin(actor: Actor, unit: Unit) -> None:
    if actor.person is None or not org_rules.covers(actor.person, unit):
        raise PermissionDenied("review round")


# --- life cycle ----------------------------------------------------------------------------


def round_errors(campaign: Campaign, level: Level, unit: Unit, settings: dict) -> list[str]:
    """What is wrong with these round settings (empty when a round may be created)."""
    errors = []
    if level.campaign_id != campaign.pk:
        errors.append(_("所选级别不属于该活动：请重新选择级别。"))
    elif level.unit_kind != unit.kind:
        errors.append(
            _("“%(level)s”由%(kind)s负责，不能由“%(unit)s”组织评审：请选择对应的级别。")
            % {"level": level.name, "kind": level.get_unit_kind_display(), "unit": unit.name}
        )
    if settings.get("reviews_per_entry", 3) < 1:
        errors.append(_("每件作品至少需要 1 位评审专家：请修改评审专家数。"))
    deadline = settings.get("deadline")
    if deadline is None or deadline <= timezone.now():
        errors.append(_("评审截止时间已过：请设置一个将来的时间。"))
    return errors


def name_clashes(campaign: Campaign, unit: Unit, names: list[str]) -> list[str]:
    """Which of these names the unit already uses for a round of this campaign."""
    taken = set(
        ReviewRound.objects.filter(campaign=campaign, unit=unit, name__in=names).values_list(
            "name", flat=True
        )
    )
    return [name for name in names if name in taken]


def name_clash_error(names: list[str]) -> str:
    return _("评审轮次名称已被本单位在该活动中使用：%(names)s。请换一个名称（或名称前缀）。") % {
        "names": "、".join(f"“{n}”" for n in names)
    }


def create_round(
    actor: Actor, campaign: Campaign, level: Level, unit: Unit, **settings
) -> ReviewRound:
    _require_admin(actor, unit)
    errors = round_errors(campaign, level, unit, settings)
    settings["name"] = (settings.get("name") or "").strip()
    clashes = name_clashes(campaign, unit, [settings["name"]])
    if clashes:
        errors.append(name_clash_error(clashes))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        created = ReviewRound.objects.create(
            campaign=campaign, level=level, unit=unit, created_by=actor.person, **settings
        )
        record(actor, AuditAction.CREATE, created, unit=unit, after=round_snapshot(created))
    return created


def round_snapshot(review_round: ReviewRound) -> dict:
    after = {name: getattr(review_round, name) for name in ROUND_FIELDS}
    after["deadline"] = str(review_round.deadline)
    if review_round.node_scope_id:
        after["node_scope"] = review_round.node_scope_id
    return after


def level_entries(level: Level, unit: Unit) -> QuerySet[LevelEntry]:
    """Entries still in play at this level under this unit."""
    return LevelEntry.objects.filter(
        level=level,
        unit__path__under=unit.path,
        state__in=[EntryState.PENDING, EntryState.RECOMMENDED],
    ).order_by("id")


def candidate_entries(review_round: ReviewRound) -> QuerySet[LevelEntry]:
    """Entries the round would review if it opened now: still in play at its level and,
    for a round by subject, with their lesson under the round's stage/subject node."""
    entries = level_entries(review_round.level, review_round.unit)
    if review_round.node_scope_id:
        entries = entries.filter(submission__node__path__startswith=review_round.node_scope.path)
    return entries


def set_round_state(actor: Actor, review_round: ReviewRound, new_state: str) -> ReviewRound:
    """The only writer of ``ReviewRound.state``; opening fixes the round's entries."""
    _require_admin(actor, review_round.unit)
    with transaction.atomic():
        locked = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
        if new_state not in ROUND_TRANSITIONS[locked.state]:
            raise ValidationError(
                _("评审轮次当前状态“%(s)s”不能改为“%(t)s”。")
                % {"s": locked.get_state_display(), "t": RoundState(new_state).label}
            )
        before = locked.state
        if before == RoundState.DRAFT and new_state == RoundState.OPEN:
            entry_ids = list(candidate_entries(locked).values_list("id", flat=True))
            if not entry_ids:
                raise ValidationError(_("该级别还没有待评审的作品：请等下级推荐作品后再开始评审。"))
            locked.entries.set(entry_ids)
            create_summaries(locked, entry_ids)
            prepare_blind_copies(locked, entry_ids)
        locked.state = new_state
        locked.save(update_fields=["state"])
        record(
            actor,
            AuditAction.UPDATE,
            locked,
            unit=review_round.unit,
            before={"state": before},
            after={"state": new_state, "entries": locked.entries.count()},
        )
    review_round.state = new_state
    return review_round


# --- scoring -------------------------------------------------------------------------------


def criteria_for(assignment: Assignment) -> list[Criterion]:
    """The rubric of the assignment's category, each criterion with ``saved_points``: what
    this assignment has stored for it (None if nothing yet), in the same query."""
    saved = Score.objects.filter(assignment_id=assignment.pk, criterion_id=OuterRef("pk"))
    return list(
        Criterion.objects.filter(category_id=assignment.entry.submission.category_id).annotate(
            saved_points=Subquery(saved.values("points")[:1])
        )
    )


def save_scores(
    actor: Actor,
    assignment: Assignment,
    points: dict[int, int],
    comment: str = "",
    veto: bool = False,
    veto_reason: str = "",
    submit: bool = False,
    checklist_answers: checklist.Answers | None = None,
) -> Assignment:
    """Save a draft or submit; veto criteria (R15) take 1 (violated) or 0.

    ``checklist_answers`` ({item id: (confirmed or None, note)}) are saved with the scores;
    None leaves the saved confirmations as they are. Submitting needs every item answered.
    """
    if actor.person is None or actor.person.pk != assignment.expert_id:
        raise PermissionDenied("assignment")
    with transaction.atomic():
        locked = (
            Assignment.objects.select_for_update()
            .select_related("round", "entry__submission")
            .get(pk=assignment.pk)
        )
        review_round = locked.round
        if review_round.state != RoundState.OPEN:
            raise ValidationError(_("该评审轮次未在进行中：评分不能修改。如有疑问请联系组织单位。"))
        if timezone.now() > review_round.deadline:
            raise ValidationError(
                _("评审已于 %(d)s 截止：评分不能再修改。如需延期请联系组织单位。")
                % {"d": timezone.localtime(review_round.deadline).strftime("%Y-%m-%d %H:%M")}
            )
        if locked.state == AssignmentState.SUBMITTED:
            raise ValidationError(_("评分已提交，不能再修改：如需更正请联系组织单位。"))
        criteria = {c.pk: c for c in criteria_for(locked)}
        errors = []
        for criterion_id, value in points.items():
            criterion = criteria.get(criterion_id)
            if criterion is None:
                errors.append(_("评分项不属于该作品的评价指标：请刷新页面后重试。"))
                continue
            top = 1 if criterion.is_veto else criterion.points
            if value is None or not 0 <= value <= top:
                errors.append(
                    _("“%(name)s”的得分须在 0 到 %(top)s 之间：请修改。")
                    % {"name": criterion.name, "top": top}
                )
        if submit:
            missing = [
                c.name for c in criteria.values() if not c.is_veto and points.get(c.pk) is None
            ]
            if missing:
                errors.append(
                    _("还有评分项未打分：%(names)s。请全部打分后再提交。")
                    % {"names": "、".join(missing)}
                )
        veto = veto or any(
            criteria[cid].is_veto and v == 1 for cid, v in points.items() if cid in criteria
        )
        if veto and not veto_reason.strip():
            errors.append(_("一票否决须填写理由：请说明违反了哪一项要求。"))
        items = checklist.items_for(locked)
        answers = (
            checklist.saved_answers(locked) if checklist_answers is None else checklist_answers
        )
        errors += checklist.problems(items, answers, submit=submit)
        if errors:
            raise ValidationError(errors)
        before = {"state": locked.state, "total": locked.total, "veto": locked.veto}
        Score.objects.filter(assignment=locked).exclude(criterion_id__in=points).delete()
        for criterion_id, value in points.items():
            Score.objects.update_or_create(
                assignment=locked, criterion_id=criterion_id, defaults={"points": value}
            )
        locked.total = sum(v for cid, v in points.items() if not criteria[cid].is_veto)
        locked.comment = comment
        locked.veto = veto
        locked.veto_reason = veto_reason.strip() if veto else ""
        locked.state = AssignmentState.SUBMITTED if submit else AssignmentState.DRAFT
        locked.submitted_at = timezone.now() if submit else None
        locked.save(
            update_fields=[
                "total",
                "comment",
                "veto",
                "veto_reason",
                "state",
                "submitted_at",
                "updated_at",
            ]
        )
        confirmed = checklist.save(locked, items, answers)
        if submit:
            review_changed(review_round, locked)
        record(
            actor,
            AuditAction.UPDATE,
            locked,
            unit=review_round.unit,
            before=before,
            after={
                "state": locked.state,
                "total": locked.total,
                "veto": veto,
                "scores": {str(k): v for k, v in points.items()},
                "checklist": confirmed,
            },
            reason=locked.veto_reason,
        )
    return locked


def reopen_review(actor: Actor, assignment: Assignment, reason: str) -> Assignment:
    """The round's unit sends a submitted review back to its expert for correction; it
    leaves the results until it is submitted again."""
    with transaction.atomic():
        locked = (
            Assignment.objects.select_for_update().select_related("round").get(pk=assignment.pk)
        )
        review_round = locked.round
        _require_admin(actor, review_round.unit)
        errors = []
        if review_round.state != RoundState.OPEN:
            errors.append(_("评审轮次未在进行中，不能退回评分：请先重新开始评审。"))
        if locked.state != AssignmentState.SUBMITTED:
            errors.append(_("该评分尚未提交，无需退回：专家可直接修改。"))
        if not reason.strip():
            errors.append(_("请填写退回理由：说明需要专家更正什么。"))
        if errors:
            raise ValidationError(errors)
        locked.state = AssignmentState.DRAFT
        locked.submitted_at = None
        locked.save(update_fields=["state", "submitted_at", "updated_at"])
        review_changed(review_round, locked)
        record(
            actor,
            AuditAction.UPDATE,
            locked,
            unit=review_round.unit,
            before={"state": AssignmentState.SUBMITTED},
            after={"state": AssignmentState.DRAFT},
            reason=reason.strip(),
        )
    return locked


# --- what an expert may see ----------------------------------------------------------------


@dataclass
class MaterialView:
    material: Material
    label: str
    file_name: str
    check: str
    # False while a blind round's copy of this material is still being made: nothing is
    # served until it exists (never the original).
    ready: bool = True
    # False when no blind copy can ever be made of this file type (.doc, .ppt).
    copyable: bool = True


@dataclass
class EntryView:
    title: str
    description: str
    node: str
    category: str
    materials: list[MaterialView]
    blind: bool
    # Identity: None in blind mode, so a template cannot print it by mistake.
    teacher: str | None = None
    unit: str | None = None
    coauthors: list[str] | None = None


def neutral_name(material: Material) -> str:
    """A file name that says what the file is and nothing about who made it."""
    label = material.requirement.name
    if material.requirement.per_period:
        label = _("%(name)s-第%(n)s课时") % {"name": label, "n": material.period}
    suffix = PurePosixPath(material.upload.filename).suffix.lower()
    return f"{label}{suffix}"


def blind_name(material: Material) -> str:
    """The neutral name of the blind copy (a blind video copy is always MP4)."""
    name = neutral_name(material)
    if blind_copies.is_video(material):
        return name.rsplit(".", 1)[0] + ".mp4"
    return name


def expert_file(assignment: Assignment, material: Material) -> tuple[str, str] | None:
    """(storage name, download name) of what the assignment's expert may get for
    ``material``; None while a blind round's copy is missing. A blind round's expert is
    only ever given the blind copy, never the original."""
    if not assignment.round.blind:
        return material.upload.storage_name, material.upload.filename
    copy = blind_copies.blind_file(
        material, MediaAsset.objects.filter(upload=material.upload).first()
    )
    if copy is None:
        return None
    return copy.name, blind_name(material)


def entry_view_for(
    person: Person, entry: LevelEntry, review_round: ReviewRound, materials=None
) -> EntryView:
    """``materials``: ``packages.package_materials(submission)`` if the page has it."""
    submission = entry.submission
    blind = review_round.blind and not org_rules.covers(person, review_round.unit)
    rows = materials if materials is not None else package_materials(submission)
    materials = []
    for m in rows:
        asset = getattr(m.upload, "asset", None)
        materials.append(
            MaterialView(
                material=m,
                label=neutral_name(m).rsplit(".", 1)[0],
                file_name=blind_name(m) if blind else m.upload.filename,
                check=m.get_check_state_display(),
                ready=not review_round.blind or blind_copies.blind_file(m, asset) is not None,
                copyable=not review_round.blind or blind_copies.can_copy(m),
            )
        )
    view = EntryView(
        title=submission.title,
        description=submission.description,
        node=f"{submission.node.code} {submission.node.name}",
        category=submission.category.name,
        materials=materials,
        blind=blind,
    )
    if not blind:
        view.teacher = submission.teacher.full_name
        view.unit = submission.unit.name
        view.coauthors = list(
            CoAuthor.objects.filter(submission=submission).values_list(
                "person__full_name", flat=True
            )
        )
    return view


def identity_leaks(entry: LevelEntry) -> list[str]:
    """Names of the author or their school in file names, the title, or the author fields
    of Office/PDF documents (blind mode warnings)."""
    submission = entry.submission
    names = [submission.teacher.full_name]
    names += list(
        CoAuthor.objects.filter(submission=submission).values_list("person__full_name", flat=True)
    )
    unit_path = submission.unit.path
    prefixes = [unit_path[:i] for i in range(4, len(unit_path) + 1, 4)]
    schools = list(
        Unit.objects.filter(path__in=prefixes, kind__in=["school", "teaching_point"]).values_list(
            "name", flat=True
        )
    )
    found = []
    texts = [(_("作品标题"), submission.title)] + [
        (m.requirement.name, m.upload.filename)
        for m in Material.objects.filter(submission=submission).select_related(
            "requirement", "upload"
        )
    ]
    for where, text in texts:
        for name in [n for n in names if n] + schools:
            if name and name in text:
                found.append(
                    _(
                        "《%(title)s》的%(where)s“%(text)s”含有“%(name)s”，匿名评审会泄露身份："
                        "请让作者改名后重新上传，或关闭匿名评审。"
                    )
                    % {"title": submission.title, "where": where, "text": text, "name": name}
                )
    # Resource links are shown in blind rounds too: their titles and addresses may name.
    for link in MaterialLink.objects.filter(submission=submission).select_related("requirement"):
        for text in link_texts(link):
            for name in [n for n in names if n] + schools:
                if name and name in text:
                    found.append(
                        _(
                            "《%(title)s》的%(where)s链接“%(text)s”含有“%(name)s”，匿名评审会"
                            "泄露身份：请让作者改用不含姓名和学校的链接标题与网址，或关闭匿名评审。"
                        )
                        % {
                            "title": submission.title,
                            "where": link.requirement.name,
                            "text": text,
                            "name": name,
                        }
                    )
    found += metadata_leaks(entry)
    return found
