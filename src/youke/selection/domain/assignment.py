"""Who reviews what: the expert pool, conflicts of interest and (automatic) assignment.

An expert may review an entry when one of their areas (a catalog stage or subject node) lies
above the entry's lesson node and no conflict applies: own school always, own county/city
when the round says so, authorship, and conflicts declared by the expert or an admin.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from youke.core.actor import Actor
from youke.core.domain.audit import record, record_many
from youke.core.enums import AuditAction
from youke.orgs import rules as org_rules
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.enums import Role, UnitKind
from youke.orgs.models import Person, RoleGrant, Unit
from youke.selection.domain import notices
from youke.selection.domain.blind import prepare_blind_copies
from youke.selection.domain.review import _require_admin, candidate_entries
from youke.selection.enums import AssignmentState, RoundState
from youke.selection.models import Assignment, Conflict, LevelEntry, ReviewRound, RoundExpert
from youke.submissions.models import CoAuthor

STEP = 4  # treebeard path characters per level


def _prefixes(path: str) -> list[str]:
    return [path[:i] for i in range(STEP, len(path) + 1, STEP)]


def _area_paths(expert_ids) -> dict[int, list[str]]:
    areas: dict[int, list[str]] = defaultdict(list)
    rows = Person.objects.filter(pk__in=expert_ids).values_list("pk", "expert_profile__areas__path")
    for pk, path in rows:
        if path:
            areas[pk].append(path)
    return areas


def unit_experts(unit: Unit) -> QuerySet[Person]:
    """Active experts granted on the unit, above it or under it: who a round there may use."""
    grants = RoleGrant.objects.filter(role=Role.EXPERT, person__is_active=True).filter(
        Q(unit__path__in=_prefixes(unit.path)) | Q(unit__path__under=unit.path)
    )
    return Person.objects.filter(pk__in=grants.values("person_id")).order_by("full_name", "pk")


def round_entries(review_round: ReviewRound) -> QuerySet[LevelEntry]:
    """The round's entries once open, the entries it would take while still a draft."""
    if review_round.state != RoundState.DRAFT:
        return review_round.entries.all()
    return candidate_entries(review_round)


def expert_pool(review_round: ReviewRound) -> list[Person]:
    """Experts granted on the round's unit, above it or under it, whose areas fit its entries."""
    people = list(unit_experts(review_round.unit))
    node_paths = set(round_entries(review_round).values_list("submission__node__path", flat=True))
    areas = _area_paths([p.pk for p in people])
    return [
        p for p in people if any(n.startswith(a) for a in areas.get(p.pk, []) for n in node_paths)
    ]


def add_expert(
    actor: Actor,
    review_round: ReviewRound,
    expert: Person,
    max_load: int = 20,
    *,
    confirm_mismatch: bool = False,
) -> RoundExpert:
    """Put an expert on the panel; one whose areas fit none of the round's entries only when
    the admin confirms it (an expert from outside the unit's scope never)."""
    _require_admin(actor, review_round.unit)
    if review_round.state == RoundState.CLOSED:
        raise ValidationError(_("评审轮次已结束：请先重新开启再添加专家。"))
    mismatched = expert not in expert_pool(review_round)
    if mismatched:
        if not unit_experts(review_round.unit).filter(pk=expert.pk).exists():
            raise ValidationError(
                _(
                    "“%(name)s”不在本轮的专家库中（范围或学段学科不符）：请先为其授予专家角色并设置学段学科。"
                )
                % {"name": expert.full_name}
            )
        if not confirm_mismatch:
            raise ValidationError(
                _(
                    "“%(name)s”的学段学科与本轮作品不符，不在本轮的专家库中：如确需添加，请勾选“学段学科不符仍添加”。"
                )
                % {"name": expert.full_name}
            )
    if max_load < 1:
        raise ValidationError(_("评审上限至少为 1：请修改。"))
    with transaction.atomic():
        member, created = RoundExpert.objects.get_or_create(
            round=review_round, expert=expert, defaults={"max_load": max_load}
        )
        if not created:
            member.max_load = max_load
            member.save(update_fields=["max_load"])
        after = {"expert": expert.pk, "max_load": max_load}
        if mismatched:
            after["mismatch_confirmed"] = True
        record(
            actor,
            AuditAction.CREATE if created else AuditAction.UPDATE,
            member,
            unit=review_round.unit,
            after=after,
        )
    return member


@dataclass
class _Eligibility:
    """Everything needed to judge expert × entry pairs without a query per pair."""

    review_round: ReviewRound
    areas: dict[int, list[str]]
    expert_units: dict[int, dict[str, str]]  # expert → unit kind → path of their own unit chain
    entry_info: dict[int, tuple[str, str, set[int]]]  # entry → node path, unit path, authors
    conflicts: dict[int, list[Conflict]] = field(default_factory=dict)

    def reason(self, expert_id: int, entry_id: int) -> str:
        return self.conflict_reason(expert_id, entry_id) or self.area_reason(expert_id, entry_id)

    def area_reason(self, expert_id: int, entry_id: int) -> str:
        node_path = self.entry_info[entry_id][0]
        if not any(node_path.startswith(a) for a in self.areas.get(expert_id, [])):
            return _("学段学科不符")
        return ""

    def conflict_reason(self, expert_id: int, entry_id: int) -> str:
        """Authorship, own school, county/city when the round says so, declared conflicts."""
        _node_path, unit_path, authors = self.entry_info[entry_id]
        if expert_id in authors:
            return _("本人作品")
        own = self.expert_units.get(expert_id, {})
        school = own.get(UnitKind.SCHOOL)
        if school and unit_path.startswith(school):
            return _("本校作品")
        county = own.get(UnitKind.COUNTY)
        if self.review_round.exclude_same_county and county and unit_path.startswith(county):
            return _("本县(区)作品")
        city = own.get(UnitKind.CITY)
        if self.review_round.exclude_same_city and city and unit_path.startswith(city):
            return _("本市作品")
        for conflict in self.conflicts.get(expert_id, []):
            if conflict.entry_id == entry_id or (
                conflict.unit_id and unit_path.startswith(conflict.unit.path)
            ):
                return _("已申报回避")
        return ""


def _eligibility(review_round: ReviewRound, expert_ids: list[int], entry_ids) -> _Eligibility:
    experts = list(Person.objects.filter(pk__in=expert_ids).select_related("unit"))
    wanted = {p for e in experts for p in _prefixes(e.unit.path)}
    kinds = dict(Unit.objects.filter(path__in=wanted).values_list("path", "kind"))
    expert_units = {
        e.pk: {kinds[p]: p for p in _prefixes(e.unit.path) if p in kinds} for e in experts
    }
    entry_info: dict[int, tuple[str, str, set[int]]] = {}
    rows = LevelEntry.objects.filter(pk__in=entry_ids).values_list(
        "pk",
        "submission_id",
        "submission__node__path",
        "submission__unit__path",
        "submission__teacher_id",
    )
    by_submission = {}
    for pk, sub_id, node_path, unit_path, teacher_id in rows:
        entry_info[pk] = (node_path, unit_path, {teacher_id})
        by_submission[sub_id] = pk
    for sub_id, person_id in CoAuthor.objects.filter(submission_id__in=by_submission).values_list(
        "submission_id", "person_id"
    ):
        entry_info[by_submission[sub_id]][2].add(person_id)
    conflicts: dict[int, list[Conflict]] = defaultdict(list)
    # A round not yet saved (rounds by subject, before they exist) has only global conflicts.
    which = Q(round__isnull=True)
    if review_round.pk:
        which |= Q(round=review_round)
    for conflict in Conflict.objects.filter(which, expert_id__in=expert_ids).select_related("unit"):
        conflicts[conflict.expert_id].append(conflict)
    return _Eligibility(
        review_round, _area_paths(expert_ids), expert_units, entry_info, dict(conflicts)
    )


def _lock_open_round(review_round: ReviewRound) -> ReviewRound:
    locked = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
    if locked.state != RoundState.OPEN:
        raise ValidationError(_("只有评审中的轮次才能分配作品：请先开始评审。"))
    return locked


def assign(
    actor: Actor, review_round: ReviewRound, entry: LevelEntry, expert: Person
) -> Assignment:
    """Assign by hand; the same conflicts and caps as automatic assignment apply."""
    _require_admin(actor, review_round.unit)
    with transaction.atomic():
        locked = _lock_open_round(review_round)
        member = RoundExpert.objects.filter(round=locked, expert=expert).first()
        if member is None:
            raise ValidationError(_("该专家不在本轮评审专家名单中：请先添加专家。"))
        if not locked.entries.filter(pk=entry.pk).exists():
            raise ValidationError(_("该作品不在本轮评审范围内。"))
        reason = _eligibility(locked, [expert.pk], [entry.pk]).reason(expert.pk, entry.pk)
        if reason:
            raise ValidationError(
                _("不能分配给“%(name)s”：%(reason)s。请选择其他专家。")
                % {"name": expert.full_name, "reason": reason}
            )
        if Assignment.objects.filter(round=locked, entry=entry, expert=expert).exists():
            raise ValidationError(_("该专家已分配到这件作品。"))
        load = Assignment.objects.filter(round=locked, expert=expert).count()
        if load >= member.max_load:
            raise ValidationError(
                _("“%(name)s”已达评审上限 %(cap)s 件：请提高上限或选择其他专家。")
                % {"name": expert.full_name, "cap": member.max_load}
            )
        created = Assignment.objects.create(round=locked, entry=entry, expert=expert)
        record(
            actor,
            AuditAction.CREATE,
            created,
            unit=locked.unit,
            after={"entry": entry.pk, "expert": expert.pk},
        )
        notices.on_assignments_created([created], actor)
        prepare_blind_copies(locked, [entry.pk])
    return created


def unassign(actor: Actor, assignment: Assignment) -> None:
    review_round = assignment.round
    _require_admin(actor, review_round.unit)
    if assignment.state != AssignmentState.ASSIGNED:
        raise ValidationError(_("专家已开始评分，不能撤回分配：请联系专家。"))
    with transaction.atomic():
        record(
            actor,
            AuditAction.DELETE,
            assignment,
            unit=review_round.unit,
            before={"entry": assignment.entry_id, "expert": assignment.expert_id},
        )
        assignment.delete()


@dataclass
class AutoAssignReport:
    created: int
    problems: list[str]


def auto_assign(actor: Actor, review_round: ReviewRound) -> AutoAssignReport:
    """Fill every entry up to N reviews; deterministic (ties broken by id).

    Each entry goes to its least-loaded eligible experts, scarcest entries first, so loads
    differ by at most one unless caps or eligibility (school, county, areas, conflicts) say
    otherwise. Cost: one eligibility pass over experts × entries, then a sort per entry.
    """
    _require_admin(actor, review_round.unit)
    with transaction.atomic():
        locked = _lock_open_round(review_round)
        panel = list(RoundExpert.objects.filter(round=locked).select_related("expert"))
        panel.sort(key=lambda m: m.expert_id)
        entries = list(locked.entries.select_related("submission").order_by("id"))
        cap = {m.expert_id: m.max_load for m in panel}
        check = _eligibility(locked, list(cap), [e.pk for e in entries])
        existing = list(
            Assignment.objects.filter(round=locked).values_list("entry_id", "expert_id")
        )
        load = Counter(expert for _entry, expert in existing)
        have: dict[int, set[int]] = defaultdict(set)
        for entry_id, expert_id in existing:
            have[entry_id].add(expert_id)
        need = locked.reviews_per_entry
        expert_ids = sorted(cap)
        eligible = {e.pk: [x for x in expert_ids if not check.reason(x, e.pk)] for e in entries}
        new: list[Assignment] = []
        # Scarcest entries first (fewest reviews, then fewest experts able to take them), each
        # to its least-loaded eligible experts: loads stay within one of each other where
        # eligibility allows, and the work is entries × experts, not entries² × experts.
        for entry in sorted(entries, key=lambda e: (len(have[e.pk]), len(eligible[e.pk]), e.pk)):
            missing = need - len(have[entry.pk])
            if missing <= 0:
                continue
            taken = have[entry.pk]
            candidates = [x for x in eligible[entry.pk] if x not in taken and load[x] < cap[x]]
            candidates.sort(key=lambda x: (load[x], x))
            for expert_id in candidates[:missing]:
                load[expert_id] += 1
                taken.add(expert_id)
                new.append(Assignment(round=locked, entry=entry, expert_id=expert_id))
        Assignment.objects.bulk_create(new)
        record_many(
            actor,
            AuditAction.CREATE,
            [
                (a, locked.unit, {"entry": a.entry_id, "expert": a.expert_id, "auto": True})
                for a in new
            ],
        )
        notices.on_assignments_created(new, actor)
        prepare_blind_copies(locked, {a.entry_id for a in new})
        problems = []
        for entry in entries:
            missing = locked.reviews_per_entry - len(have[entry.pk])
            if missing <= 0:
                continue
            why = []
            for m in panel:
                if m.expert_id in have[entry.pk]:
                    continue
                reason = check.reason(m.expert_id, entry.pk) or (
                    _("已达评审上限") if load[m.expert_id] >= cap[m.expert_id] else ""
                )
                if reason:
                    why.append(f"{m.expert.full_name}：{reason}")
            problems.append(
                _("《%(title)s》还差 %(n)s 位专家（%(why)s）：请添加符合条件的专家或提高评审上限。")
                % {
                    "title": entry.submission.title,
                    "n": missing,
                    "why": "；".join(why) or _("专家名单为空"),
                }
            )
    return AutoAssignReport(created=len(new), problems=problems)


def declare_conflict(
    actor: Actor,
    expert: Person,
    reason: str,
    *,
    entry: LevelEntry | None = None,
    unit: Unit | None = None,
    review_round: ReviewRound | None = None,
) -> Conflict:
    """The expert themselves or an admin of the round records a conflict.

    An unstarted assignment it hits is withdrawn at once; started ones stay for the admin.
    """
    person = actor.person
    is_self = person is not None and person.pk == expert.pk
    if not is_self and (
        review_round is None or person is None or not org_rules.covers(person, review_round.unit)
    ):
        raise PermissionDenied("conflict")
    if entry is None and unit is None:
        raise ValidationError(_("请选择需要回避的作品或单位。"))
    if not reason.strip():
        raise ValidationError(_("请填写回避理由。"))
    with transaction.atomic():
        conflict = Conflict.objects.create(
            round=review_round,
            expert=expert,
            entry=entry,
            unit=unit,
            reason=reason.strip(),
            declared_by=person,
        )
        record(
            actor,
            AuditAction.CREATE,
            conflict,
            unit=review_round.unit if review_round else None,
            after={"expert": expert.pk, "entry": entry and entry.pk, "unit": unit and unit.pk},
            reason=conflict.reason,
        )
        if entry is not None:
            withdrawn = Assignment.objects.filter(
                expert=expert, entry=entry, state=AssignmentState.ASSIGNED
            )
            if review_round is not None:
                withdrawn = withdrawn.filter(round=review_round)
            withdrawn.delete()
    return conflict
