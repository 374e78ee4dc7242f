"""Blind rounds: make sure every entry under review has its blind copies.

Copies are made when a material is checked; packages checked before blind review existed
(or before the campaign's cut changed) get theirs queued when a blind round opens or when
entries are assigned. The job itself is idempotent, so queuing twice costs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from youke.selection.models import LevelEntry, ReviewRound
from youke.submissions.domain import blind_copies
from youke.submissions.models import Material


def prepare_blind_copies(review_round: ReviewRound, entry_ids: Iterable[int] | None = None) -> int:
    """Queue the blind-copy job for what the round's entries miss; returns how many."""
    if not review_round.blind:
        return 0
    entries = (
        LevelEntry.objects.filter(pk__in=list(entry_ids))
        if entry_ids is not None
        else review_round.entries.all()
    )
    return blind_copies.queue_missing(entries.values_list("submission_id", flat=True))


@dataclass
class StrippedField:
    material: str
    field: str
    value: str


@dataclass
class BlindReport:
    """What the organiser of a blind round sees per entry: identity found, what was removed
    from the experts' copies, and how many of those copies exist yet."""

    entry: LevelEntry
    warnings: list[str] = field(default_factory=list)
    stripped: list[StrippedField] = field(default_factory=list)
    ready: int = 0
    total: int = 0
    unavailable: list[str] = field(default_factory=list)


def blind_report(review_round: ReviewRound, entries: list[LevelEntry]) -> list[BlindReport]:
    from youke.selection.domain.review import identity_leaks, neutral_name  # review imports us

    reports = {e.submission_id: BlindReport(entry=e) for e in entries}
    materials = (
        Material.objects.filter(submission_id__in=list(reports))
        .select_related("requirement", "upload__asset")
        .order_by("submission_id", "requirement__order", "period")
    )
    for material in materials:
        report = reports[material.submission_id]
        asset = getattr(material.upload, "asset", None)
        report.total += 1
        if blind_copies.blind_file(material, asset) is not None:
            report.ready += 1
        elif not blind_copies.can_copy(material):
            report.unavailable.append(
                _(
                    "%(where)s“%(file)s”的格式无法去除作者信息，匿名评审不会提供给专家："
                    "请让作者另存为 docx、pptx 或 PDF 后重新上传。"
                )
                % {"where": material.requirement.name, "file": material.upload.filename}
            )
        label = neutral_name(material).rsplit(".", 1)[0]
        for row in (asset.stripped_metadata if asset is not None else []) or []:
            report.stripped.append(StrippedField(label, row.get("field", ""), row.get("value", "")))
    for report in reports.values():
        report.warnings = report.unavailable + identity_leaks(report.entry)
    return list(reports.values())
