"""Quotas (R7): allocated by the level above, by hand or by the proportional rule."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from youke.campaigns.enums import AwardLevel
from youke.campaigns.models import Campaign, Category, Level, PastAward
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import Unit
from youke.selection import rules
from youke.selection.domain.lists import deciding_unit, lock_list, next_level, refuse_if_confirmed
from youke.selection.enums import EntryState, QuotaBasis
from youke.selection.models import LevelEntry, Quota
from youke.submissions.enums import SubmissionState
from youke.submissions.models import Submission

STEP = 4  # treebeard steplen of orgs.Unit


def allocate_quota(
    actor: Actor,
    campaign: Campaign,
    level: Level,
    unit: Unit,
    allowed: int,
    category: Category | None = None,
    *,
    basis: str = QuotaBasis.HAND,
) -> Quota:
    """Set how many entries ``unit`` may recommend at ``level``; only the level above may."""
    if not rules.can_allocate_quota(actor.person, unit) or level.campaign_id != campaign.pk:
        raise PermissionDenied("quota")
    if category is not None and category.campaign_id != campaign.pk:
        raise PermissionDenied("category")
    if unit.kind != level.unit_kind:
        raise ValidationError(
            _("“%(level)s”由%(kind)s负责，不能给“%(unit)s”分配该级名额。")
            % {"level": level.name, "kind": level.get_unit_kind_display(), "unit": unit.name}
        )
    if allowed < 0:
        raise ValidationError({"allowed": _("名额不能为负数，请填写 0 或更大的整数。")})
    with transaction.atomic():
        # The parent's list row first (siblings serialise on it), then the unit's own: the
        # same order everywhere, so two allocations never wait on each other in a circle.
        parent = _parent_quota_holder(level, unit)
        if parent is not None:
            lock_list(campaign, parent[0], parent[1])
        # Same lock as decisions: a quota never changes under a running recommendation.
        refuse_if_confirmed(lock_list(campaign, level, unit))
        if parent is not None:
            _refuse_over_parent(level, unit, category, allowed, parent[0], parent[1])
        _refuse_under_children(level, unit, category, allowed)
        existing = Quota.objects.filter(level=level, unit=unit, category=category).first()
        before = {"allowed": existing.allowed, "basis": existing.basis} if existing else None
        if existing is None:
            quota = Quota(campaign=campaign, level=level, unit=unit, category=category)
        else:
            quota = existing
        quota.allowed = allowed
        quota.basis = basis
        quota.set_by = actor.person
        quota.save()
        record(
            actor,
            AuditAction.UPDATE if existing else AuditAction.CREATE,
            quota,
            unit=unit,
            before=before,
            after={
                "allowed": allowed,
                "basis": basis,
                "level": level.pk,
                "category": category.pk if category else None,
            },
        )
    return quota


def _parent_quota_holder(level: Level, unit: Unit) -> tuple[Level, Unit] | None:
    """The level above and the unit deciding there for ``unit`` (whose quota bounds it)."""
    upper = next_level(level)
    if upper is None or upper.unit_kind == unit.kind:
        return None
    try:
        return upper, deciding_unit(unit, upper.unit_kind)
    except ValidationError:
        return None


def _children_total(level: Level, parent: Unit, category: Category | None, *, but: Unit | None):
    given = Quota.objects.filter(
        level=level, unit__path__under=parent.path, unit__depth__gt=parent.depth
    )
    given = given.filter(category=category) if category else given.filter(category__isnull=True)
    if but is not None:
        given = given.exclude(unit=but)
    return sum(given.values_list("allowed", flat=True))


def _scope_label(category: Category | None) -> str:
    return _("“%(c)s”类别") % {"c": category.name} if category else _("总")


def _refuse_over_parent(
    level: Level, unit: Unit, category: Category | None, allowed: int, upper: Level, parent: Unit
) -> None:
    """Quotas given to the units below can never add up to more than the parent's own (R7)."""
    own = Quota.objects.filter(level=upper, unit=parent, category=category).first()
    if own is None:
        return  # the parent has no quota of its own (e.g. the campaign's owner): nothing bounds
    others = _children_total(level, parent, category, but=unit)
    if others + allowed > own.allowed:
        raise ValidationError(
            {
                "allowed": _(
                    "“%(parent)s”本身的%(scope)s名额为 %(own)s 件，已分给其他下级 %(given)s 件，"
                    "还剩 %(left)s 件，不能给“%(unit)s”分配 %(allowed)s 件。"
                    "请减少该单位或其他单位的名额，或请上级单位增加“%(parent)s”的名额。"
                )
                % {
                    "parent": parent.name,
                    "scope": _scope_label(category),
                    "own": own.allowed,
                    "given": others,
                    "left": max(own.allowed - others, 0),
                    "unit": unit.name,
                    "allowed": allowed,
                }
            }
        )


def _refuse_under_children(
    level: Level, unit: Unit, category: Category | None, allowed: int
) -> None:
    """A unit's own quota cannot drop below what it already gave to the units below it."""
    lower = (
        Level.objects.filter(campaign_id=level.campaign_id, order__lt=level.order)
        .order_by("-order")
        .first()
    )
    if lower is None:
        return
    given = _children_total(lower, unit, category, but=None)
    if given > allowed:
        raise ValidationError(
            {
                "allowed": _(
                    "“%(unit)s”已把%(scope)s名额 %(given)s 件分给下级单位，自身名额不能少于此数。"
                    "请先减少下级单位的名额，再调低为 %(allowed)s 件。"
                )
                % {
                    "unit": unit.name,
                    "scope": _scope_label(category),
                    "given": given,
                    "allowed": allowed,
                }
            }
        )


@dataclass(frozen=True)
class Usage:
    allowed: int | None  # None: no overall quota set
    used: int


def usage(level: Level, unit: Unit) -> Usage:
    """Recommended so far against the overall quota, for the page header (two queries)."""
    return usage_and_category_quotas(level, unit)[0]


def usage_and_category_quotas(level: Level, unit: Unit) -> tuple[Usage, list[Quota]]:
    """``usage`` and the unit's per-category quotas (with their category), in two queries."""
    quotas = list(Quota.objects.filter(level=level, unit=unit).select_related("category"))
    overall = next((q.allowed for q in quotas if q.category_id is None), None)
    used = LevelEntry.objects.filter(level=level, unit=unit, state=EntryState.RECOMMENDED).count()
    return Usage(overall, used), [q for q in quotas if q.category_id is not None]


@dataclass(frozen=True)
class ProportionalRow:
    unit: Unit
    nodes: int  # distinct course nodes with a submitted package in the unit's subtree
    base: int
    awards: int  # last year's provincial awards matched to the unit by name
    bonus: int

    @property
    def allowed(self) -> int:
        return self.base + self.bonus


def largest_remainder(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights``; the parts sum exactly to ``total``.

    Ties go to the larger weight, then to the earlier position (unit path order). With no
    weight at all, the split is even.
    """
    if not weights:
        return []
    if sum(weights) == 0:
        weights = [1] * len(weights)
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    order = sorted(
        range(len(weights)), key=lambda i: (-(total * weights[i] % whole), -weights[i], i)
    )
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _award_counts(campaign: Campaign, parent: Unit, children: list[Unit]) -> dict[int, int]:
    """Last year's provincial awards per child, matched by unit name.

    ``PastAward`` stores a unit *name*, not a unit: an award counts for the child whose subtree
    holds a unit of exactly that name; names found under two children count for neither.
    """
    owner: dict[str, int | None] = {}
    for path, name in Unit.objects.filter(
        path__under=parent.path, depth__gt=parent.depth
    ).values_list("path", "name"):
        child = next((c.pk for c in children if path.startswith(c.path)), None)
        owner[name] = child if owner.get(name, child) == child else None
    counts: dict[int, int] = {}
    for name, n in (
        PastAward.objects.filter(
            level=AwardLevel.PROVINCE, year=campaign.year - 1, unit_name__in=list(owner)
        )
        .values_list("unit_name")
        .annotate(n=Count("id"))
    ):
        if owner.get(name) is not None:
            counts[owner[name]] = counts.get(owner[name], 0) + n
    return counts


def proportional_quotas(
    campaign: Campaign, level: Level, parent_unit: Unit, total: int, *, bonus_per_award: int = 0
) -> list[ProportionalRow]:
    """R7 proportional rule for ``parent_unit``'s children deciding at ``level`` (preview)."""
    if total < 0 or bonus_per_award < 0:
        raise ValidationError(_("名额总数和奖励名额不能为负数。"))
    children = list(
        Unit.objects.filter(
            path__under=parent_unit.path,
            depth=parent_unit.depth + 1,
            kind=level.unit_kind,
            is_active=True,
        ).order_by("path")
    )
    width = len(parent_unit.path) + STEP
    nodes = dict(
        Submission.objects.filter(
            campaign=campaign, state=SubmissionState.SUBMITTED, unit__path__under=parent_unit.path
        )
        .annotate(prefix=Substr("unit__path", 1, width))
        .values_list("prefix")
        .annotate(n=Count("node", distinct=True))
        .order_by()
    )
    counts = [nodes.get(c.path, 0) for c in children]
    awards = _award_counts(campaign, parent_unit, children) if bonus_per_award else {}
    return [
        ProportionalRow(
            unit=child,
            nodes=n,
            base=base,
            awards=awards.get(child.pk, 0),
            bonus=awards.get(child.pk, 0) * bonus_per_award,
        )
        for child, n, base in zip(children, counts, largest_remainder(total, counts), strict=True)
    ]


def apply_proportional(
    actor: Actor,
    campaign: Campaign,
    level: Level,
    parent_unit: Unit,
    total: int,
    *,
    bonus_per_award: int = 0,
) -> list[ProportionalRow]:
    rows = proportional_quotas(campaign, level, parent_unit, total, bonus_per_award=bonus_per_award)
    current = dict(
        Quota.objects.filter(
            level=level, unit__in=[r.unit for r in rows], category__isnull=True
        ).values_list("unit_id", "allowed")
    )
    with transaction.atomic():
        # Lowered quotas first: every intermediate sum stays within the final one, so the
        # parent check in ``allocate_quota`` only refuses a total that really is too large.
        for row in sorted(rows, key=lambda r: r.allowed - current.get(r.unit.pk, 0)):
            allocate_quota(
                actor, campaign, level, row.unit, row.allowed, basis=QuotaBasis.PROPORTIONAL
            )
    return rows
