"""A submission's path through the levels (issue 4 item 14).

Staff see one row per level the package reached, with who decided what and when, the
confirmation of the level's list and every logged change of the entry; teachers see one
plain sentence. Both are derived from ``LevelEntry``, ``LevelList`` and the audit log, never
stored, so they cannot drift from the decisions themselves.

Query budget (independent of the number of levels): entries with their lists' confirmation
1, audit 1, and only when experts confirmed checklist items: the confirmations 1, their items 1.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from youke.core.models import AuditEvent
from youke.orgs.models import Person
from youke.selection import rules
from youke.selection.domain import filming
from youke.selection.domain.checklist import ItemTally, entry_tallies
from youke.selection.enums import EntryState, ListState
from youke.selection.models import ChecklistConfirmation, LevelEntry, LevelList
from youke.submissions.enums import SubmissionState
from youke.submissions.models import Submission

ENTRY_TYPE = LevelEntry._meta.label_lower


@dataclass
class PathEvent:
    at: datetime.datetime
    actor_name: str
    state_label: str
    reason: str


@dataclass
class PathRow:
    entry: LevelEntry
    level_name: str
    unit_name: str
    state: str
    state_label: str
    decided_by: str
    decided_at: datetime.datetime | None
    reason: str
    override_reason: str
    list_confirmed_at: datetime.datetime | None
    history: list[PathEvent] = field(default_factory=list)
    # Expert confirmations of the checklist items (R3) at this level's review rounds.
    checklist: list[ItemTally] = field(default_factory=list)


def _entries(submission: Submission) -> list[LevelEntry]:
    """The package's entries, each with ``list_confirmed_at`` (its level list's confirmation),
    ``confirmations`` (experts confirmed checklist items for it) and its filming request
    (``entry.filming``, one-to-one): one query."""
    confirmed = LevelList.objects.filter(
        level_id=OuterRef("level_id"), unit_id=OuterRef("unit_id"), state=ListState.CONFIRMED
    ).values("confirmed_at")[:1]
    return list(
        LevelEntry.objects.filter(submission_id=submission.pk)
        .select_related("level", "unit", "decided_by", "filming")
        .annotate(
            list_confirmed_at=Subquery(confirmed),
            confirmations=Exists(
                ChecklistConfirmation.objects.filter(assignment__entry_id=OuterRef("pk"))
            ),
        )
        .order_by("level__order", "id")
    )


def _confirmed_lists(entries: list[LevelEntry]) -> dict[tuple[int, int], datetime.datetime]:
    if not entries:
        return {}
    if all(hasattr(e, "list_confirmed_at") for e in entries):  # loaded by ``_entries``
        return {
            (e.level_id, e.unit_id): e.list_confirmed_at for e in entries if e.list_confirmed_at
        }
    pairs = Q()
    for entry in entries:
        pairs |= Q(level_id=entry.level_id, unit_id=entry.unit_id)
    rows = LevelList.objects.filter(pairs, state=ListState.CONFIRMED).values_list(
        "level_id", "unit_id", "confirmed_at"
    )
    return {(level_id, unit_id): at for level_id, unit_id, at in rows}


def _state_label(value: str | None) -> str:
    if value in EntryState.values:
        return str(EntryState(value).label)
    return ""


def _history(entries: list[LevelEntry]) -> dict[str, list[PathEvent]]:
    if not entries:
        return {}
    events = AuditEvent.objects.filter(
        object_type=ENTRY_TYPE, object_id__in=[str(e.pk) for e in entries]
    ).order_by("at", "id")
    found: dict[str, list[PathEvent]] = {}
    for event in events:
        after = event.after or {}
        found.setdefault(event.object_id, []).append(
            PathEvent(
                at=event.at,
                # Objections and clock changes are logged without a person.
                actor_name=event.actor_name if event.actor_id else _("系统"),
                state_label=_state_label(after.get("state")),
                reason=event.reason,
            )
        )
    return found


def staff_path(submission: Submission, *, entries: list[LevelEntry] | None = None) -> list[PathRow]:
    """One row per level reached, lowest level first (three queries, plus the checklist
    confirmations when experts reviewed it)."""
    if entries is None:
        entries = _entries(submission)
    confirmed = _confirmed_lists(entries)
    history = _history(entries)
    # Entries loaded by ``_entries`` say whether any expert confirmed checklist items.
    tallied = [e.pk for e in entries if getattr(e, "confirmations", True)]
    tallies = entry_tallies(tallied) if tallied else {}
    return [
        PathRow(
            entry=entry,
            level_name=entry.level.name,
            unit_name=entry.unit.name,
            state=entry.state,
            state_label=entry.get_state_display(),
            decided_by=entry.decided_by.full_name if entry.decided_by else "",
            decided_at=entry.decided_at,
            reason=entry.reason,
            override_reason=entry.override_reason,
            list_confirmed_at=confirmed.get((entry.level_id, entry.unit_id)),
            history=history.get(str(entry.pk), []),
            checklist=tallies.get(entry.pk, []),
        )
        for entry in entries
    ]


def teacher_status(submission: Submission, *, entries: list[LevelEntry] | None = None) -> str:
    """One sentence for the teacher: where the package stands now (one or two queries)."""
    if entries is None:
        entries = _entries(submission)
    if not entries:
        if submission.state == SubmissionState.SUBMITTED:
            return _("已提交，等待学校审核")
        if submission.state == SubmissionState.WITHDRAWN:
            return _("已撤回")
        return _("尚未提交")
    last = entries[-1]
    names = {"level": last.level.name, "unit": last.unit.name, "reason": last.reason}
    if last.state == EntryState.RETURNED:
        return _("已被%(unit)s退回修改：%(reason)s") % names
    if last.state == EntryState.NOT_RECOMMENDED:
        return _("未获%(unit)s推荐：%(reason)s") % names
    if last.state == EntryState.PENDING:
        if len(entries) == 1:
            return _("已提交，等待%(unit)s审核") % names
        names["below"] = entries[-2].unit.name
        return _("%(below)s已推荐，等待%(level)s") % names
    if _confirmed_lists([last]):
        return _("已列入%(unit)s“%(level)s”推荐名单") % names
    return _("%(unit)s已推荐，等待名单确认") % names


def path_context(person: Person, submission: Submission) -> dict:
    """Template context for the package page's path section.

    Staff rows are limited to the entries the person could open in the selection inbox
    (``rules.can_view_entry``), so a school admin never reads the city's notes here.
    """
    entries = _entries(submission)
    visible = [e for e in entries if rules.can_view_entry(person, e)]
    return {
        "path_rows": staff_path(submission, entries=visible) if visible else [],
        "teacher_status": teacher_status(submission, entries=entries),
        "filming": filming.latest_request(submission, entries=entries),
    }
