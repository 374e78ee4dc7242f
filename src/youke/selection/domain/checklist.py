"""Checklist items a reviewer confirms per entry (R3: opening title, camera positions …).

The items are campaign data (``campaigns.ChecklistItem`` on a material requirement); an entry
is asked about the items of the materials its package holds. Answers are
``ChecklistConfirmation`` records saved with the scores by ``review.save_scores``: a draft
may leave items open, a submission must answer every one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from youke.campaigns.models import ChecklistItem
from youke.selection.enums import AssignmentState
from youke.selection.models import Assignment, ChecklistConfirmation, ReviewRound
from youke.submissions.models import Material

# item id → (confirmed: True/False, or None while unanswered; note)
Answers = dict[int, tuple[bool | None, str]]
NOTE_MAX = 300


def items_for(assignment: Assignment) -> list[ChecklistItem]:
    """The items, each carrying this assignment's saved answer (``answers_of``): one query."""
    requirement_ids = Material.objects.filter(submission_id=assignment.entry.submission_id).values(
        "requirement_id"
    )
    saved = ChecklistConfirmation.objects.filter(assignment=assignment, item_id=OuterRef("pk"))
    return list(
        ChecklistItem.objects.filter(requirement_id__in=requirement_ids)
        .select_related("requirement")
        .annotate(
            saved_id=Subquery(saved.values("id")[:1]),
            saved_confirmed=Subquery(saved.values("confirmed")[:1]),
            saved_note=Subquery(saved.values("note")[:1]),
        )
        .order_by("requirement__order", "requirement_id", "id")
    )


def answers_of(items: list[ChecklistItem]) -> Answers:
    """The saved answers that ``items_for`` loaded with the items."""
    return {
        item.pk: (item.saved_confirmed, item.saved_note or "")
        for item in items
        if item.saved_id is not None
    }


def saved_answers(assignment: Assignment) -> Answers:
    return {
        c.item_id: (c.confirmed, c.note)
        for c in ChecklistConfirmation.objects.filter(assignment=assignment)
    }


def problems(items: list[ChecklistItem], answers: Answers, *, submit: bool) -> list[str]:
    known = {item.pk for item in items}
    errors = []
    if any(item_id not in known for item_id in answers):
        errors.append(_("检查项不属于该作品：请刷新页面后重试。"))
    for _confirmed, note in answers.values():
        if len(note) > NOTE_MAX:
            errors.append(_("检查项说明最多 %(n)s 个字：请精简。") % {"n": NOTE_MAX})
            break
    if submit:
        open_items = [item.text for item in items if answers.get(item.pk, (None, ""))[0] is None]
        if open_items:
            errors.append(
                _("还有检查项未确认：%(items)s。请逐项选择“符合”或“不符合”后再提交。")
                % {"items": "；".join(open_items)}
            )
    return errors


def save(assignment: Assignment, items: list[ChecklistItem], answers: Answers) -> dict[str, bool]:
    """Replace the assignment's confirmations by ``answers`` (unanswered items are removed);
    returns {item text: confirmed} for the audit log. Call inside the scoring transaction."""
    keep = {}
    for item in items:
        confirmed, note = answers.get(item.pk, (None, ""))
        if confirmed is None:
            continue
        ChecklistConfirmation.objects.update_or_create(
            assignment=assignment,
            item=item,
            defaults={"confirmed": confirmed, "note": note.strip()},
        )
        keep[item.pk] = item.text
    ChecklistConfirmation.objects.filter(assignment=assignment).exclude(item_id__in=keep).delete()
    return {text: answers[pk][0] for pk, text in keep.items()}


@dataclass
class ItemTally:
    item: ChecklistItem
    confirmed: int = 0
    refused: int = 0
    notes: list[str] | None = None


def round_tallies(review_round: ReviewRound) -> dict[int, list[ItemTally]]:
    """Per entry id: how many submitted reviews of the round confirmed / refused each item."""
    return _tallies(Q(assignment__round=review_round))


def round_entry_tallies(review_round: ReviewRound, entry_ids) -> dict[int, list[ItemTally]]:
    """``round_tallies`` for a few entries of the round (one page of results)."""
    return _tallies(Q(assignment__round=review_round, assignment__entry_id__in=list(entry_ids)))


def entry_tallies(entry_ids) -> dict[int, list[ItemTally]]:
    """The same per entry over every round that reviewed it (for the package's path)."""
    return _tallies(Q(assignment__entry_id__in=list(entry_ids)))


def _tallies(where: Q) -> dict[int, list[ItemTally]]:
    """Two queries: the confirmations, then their items."""
    rows = (
        ChecklistConfirmation.objects.filter(where, assignment__state=AssignmentState.SUBMITTED)
        .order_by("item__requirement__order", "item__requirement_id", "item_id", "id")
        .values_list("assignment__entry_id", "item_id", "confirmed", "note")
    )
    tallies: dict[int, dict[int, ItemTally]] = defaultdict(dict)
    for entry_id, item_id, confirmed, note in rows:
        tally = tallies[entry_id].setdefault(item_id, ItemTally(item=item_id, notes=[]))
        if confirmed:
            tally.confirmed += 1
        else:
            tally.refused += 1
        if note:
            tally.notes.append(note)
    item_ids = {item_id for by_item in tallies.values() for item_id in by_item}
    items = ChecklistItem.objects.in_bulk(item_ids) if item_ids else {}
    out = {}
    for entry_id, by_item in tallies.items():
        for tally in by_item.values():
            tally.item = items[tally.item]
        out[entry_id] = list(by_item.values())
    return out
