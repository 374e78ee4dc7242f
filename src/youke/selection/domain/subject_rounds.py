"""Rounds by subject (分学科评审): one round per stage × subject of a level's entries.

Each round is scoped to its subject node (``ReviewRound.node_scope``) and gets a panel of
the unit's experts whose areas cover that subject, who can review at least one of its
entries (not all conflicted) and whose load in open rounds leaves room. The work is a fixed
number of queries whatever the number of groups: one pass over entries, experts and
conflicts, then bulk inserts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from youke.campaigns.models import Campaign, Level
from youke.catalog.models import CourseNode
from youke.core.actor import Actor
from youke.core.domain.audit import record_many
from youke.core.enums import AuditAction
from youke.orgs.models import Person, Unit
from youke.selection.domain.assignment import STEP, _area_paths, _eligibility, unit_experts
from youke.selection.domain.picker import open_loads
from youke.selection.domain.review import (
    _require_admin,
    level_entries,
    name_clash_error,
    name_clashes,
    round_errors,
    round_snapshot,
)
from youke.selection.models import ReviewRound, RoundExpert


@dataclass
class SubjectGroup:
    stage: CourseNode
    subject: CourseNode
    name: str
    entry_ids: list[int]
    experts: list[Person] = field(default_factory=list)
    review_round: ReviewRound | None = None

    @property
    def label(self) -> str:
        return f"{self.stage.name}{self.subject.name}"

    def warning(self, reviews_per_entry: int) -> str:
        if not self.experts:
            return _(
                "“%(name)s”没有学段学科相符且无需回避的专家，专家名单为空：请为专家设置该学科后在轮次页面添加。"
            ) % {"name": self.name}
        if len(self.experts) < reviews_per_entry:
            return _(
                "“%(name)s”只有 %(n)s 位相符的专家，少于每件作品 %(need)s 位：请添加专家或减少评审专家数。"
            ) % {"name": self.name, "n": len(self.experts), "need": reviews_per_entry}
        return ""


def subject_groups(
    actor: Actor,
    campaign: Campaign,
    level: Level,
    unit: Unit,
    *,
    name_prefix: str,
    max_load: int = 20,
) -> list[SubjectGroup]:
    """The preview: groups of the level's entries by stage × subject with matching experts."""
    _require_admin(actor, unit)
    prefix = name_prefix.strip()
    rows = list(level_entries(level, unit).values_list("pk", "submission__node__path"))
    by_subject: dict[str, list[int]] = defaultdict(list)
    for pk, path in rows:
        # An entry filed on a stage node alone has no subject to group by; it stays out.
        if len(path) >= 2 * STEP:
            by_subject[path[: 2 * STEP]].append(pk)
    nodes = {
        n.path: n
        for n in CourseNode.objects.filter(
            path__in={p[:STEP] for p in by_subject} | set(by_subject)
        )
    }
    groups = [
        SubjectGroup(
            stage=nodes[path[:STEP]],
            subject=nodes[path],
            name=f"{prefix}·{nodes[path[:STEP]].name}{nodes[path].name}",
            entry_ids=ids,
        )
        for path, ids in sorted(by_subject.items())
    ]
    people = list(unit_experts(unit))
    ids = [p.pk for p in people]
    areas = _area_paths(ids)
    loads = open_loads(ids)
    # Rounds by subject start with the default avoidance (own school, authorship, declared).
    check = _eligibility(ReviewRound(unit=unit), ids, [pk for pk, _path in rows])
    for group in groups:
        subject_path = group.subject.path
        group.experts = [
            p
            for p in people
            if any(subject_path.startswith(a) for a in areas.get(p.pk, []))
            and loads.get(p.pk, 0) < max_load
            and any(not check.conflict_reason(p.pk, e) for e in group.entry_ids)
        ]
    return groups


def create_subject_rounds(
    actor: Actor,
    campaign: Campaign,
    level: Level,
    unit: Unit,
    *,
    name_prefix: str,
    deadline,
    blind: bool = True,
    reviews_per_entry: int = 3,
    max_load: int = 20,
) -> list[SubjectGroup]:
    """Create every group's round with its panel; refuse all of them if any name is taken."""
    _require_admin(actor, unit)
    settings = {"deadline": deadline, "blind": blind, "reviews_per_entry": reviews_per_entry}
    errors = round_errors(campaign, level, unit, settings)
    if not name_prefix.strip():
        errors.append(_("请填写评审轮次名称前缀，例如“市级评审”。"))
    if max_load < 1:
        errors.append(_("评审上限至少为 1：请修改。"))
    if errors:
        raise ValidationError(errors)
    groups = subject_groups(
        actor, campaign, level, unit, name_prefix=name_prefix, max_load=max_load
    )
    if not groups:
        raise ValidationError(
            _("该级别还没有待评审的作品：请等下级推荐作品后再按学科创建评审轮次。")
        )
    clashes = name_clashes(campaign, unit, [g.name for g in groups])
    if clashes:
        raise ValidationError(name_clash_error(clashes))
    too_long = [g.name for g in groups if len(g.name) > 100]
    if too_long:
        raise ValidationError(
            _("评审轮次名称过长（最多 100 字）：%(names)s。请缩短名称前缀。")
            % {"names": "、".join(too_long)}
        )
    with transaction.atomic():
        rounds = ReviewRound.objects.bulk_create(
            [
                ReviewRound(
                    campaign=campaign,
                    level=level,
                    unit=unit,
                    name=g.name,
                    node_scope=g.subject,
                    created_by=actor.person,
                    **settings,
                )
                for g in groups
            ]
        )
        members = []
        for group, created in zip(groups, rounds, strict=True):
            group.review_round = created
            members += [
                RoundExpert(round=created, expert=p, max_load=max_load) for p in group.experts
            ]
        RoundExpert.objects.bulk_create(members)
        record_many(
            actor,
            AuditAction.CREATE,
            [(r, unit, {**round_snapshot(r), "by_subject": True}) for r in rounds]
            + [(m, unit, {"expert": m.expert_id, "max_load": max_load}) for m in members],
        )
    return groups
