"""备案 lists: the teachers awarded at each level of a campaign, one sheet per level, as the
notices ask units to file them with the education bureau of the same level (seed 003).

Scope is the caller's: awards on entries at units in their subtrees (the same predicate as
the awards API). Certificate serials are joined in one query.
"""

from __future__ import annotations

from typing import IO

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from youke.campaigns.models import Campaign
from youke.certificates.enums import CertificateState
from youke.certificates.models import Certificate
from youke.orgs import rules as org_rules
from youke.orgs.models import Person
from youke.selection.models import Award

HEADERS = ("序号", "姓名", "学校（单位）", "作品名称", "课程节点", "奖项", "证书编号", "年度")


def filed_awards(person: Person, campaign: Campaign) -> QuerySet[Award]:
    if not org_rules.is_unit_admin(person):
        return Award.objects.none()
    return (
        org_rules.scoped(Award.objects.all(), person, "entry__unit__path")
        .filter(level__campaign=campaign, revoked_at__isnull=True)
        .select_related(
            "grade",
            "level",
            "entry__submission__teacher",
            "entry__submission__unit",
            "entry__submission__node",
        )
        .order_by("level__order", "grade__order", "entry__submission__unit__path", "id")
    )


def level_counts(person: Person, campaign: Campaign) -> list[tuple[str, int]]:
    rows = filed_awards(person, campaign).values_list("level__name", "level__order")
    counts: dict[tuple[int, str], int] = {}
    for name, order in rows:
        counts[(order, name)] = counts.get((order, name), 0) + 1
    return [(name, n) for (_order, name), n in sorted(counts.items())]


def write_filing(handle: IO[bytes], person: Person, campaign: Campaign) -> int:
    """One sheet per level; returns the number of teachers listed."""
    from openpyxl import Workbook

    from youke.core.tabular import safe_cell

    awards = list(filed_awards(person, campaign))
    serials = dict(
        Certificate.objects.filter(
            award__in=[a.pk for a in awards], state=CertificateState.VALID
        ).values_list("award_id", "serial")
    )
    workbook = Workbook(write_only=True)
    sheets: dict[int, tuple] = {}
    for award in awards:
        if award.level_id not in sheets:
            sheet = workbook.create_sheet(title=award.level.name[:31])
            sheet.append(
                [_("%(c)s 获奖教师备案表（%(l)s）") % {"c": campaign.name, "l": award.level.name}]
            )
            sheet.append([_(h) for h in HEADERS])
            sheets[award.level_id] = [sheet, 0]
        entry = sheets[award.level_id]
        entry[1] += 1
        submission = award.entry.submission
        entry[0].append(
            [
                safe_cell(value)
                for value in (
                    entry[1],
                    submission.teacher.full_name,
                    submission.unit.name,
                    submission.title,
                    submission.node.name,
                    award.grade.name,
                    serials.get(award.pk, ""),
                    campaign.year,
                )
            ]
        )
    if not sheets:
        sheet = workbook.create_sheet(title=_("获奖教师"))
        sheet.append([_(h) for h in HEADERS])
    workbook.save(handle)
    return len(awards)
