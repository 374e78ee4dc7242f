"""Quotas by xlsx import (R7): one row per subordinate unit (and category), good rows land.

Columns: 单位代码, 类别 (optional, the category's name; empty for the overall quota), 名额.
Each row goes through ``allocate_quota`` with basis "import", so the same scope, unit kind,
non-negative and locked-list checks apply as by hand; bad rows are listed with their reason.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from youke.campaigns.models import Campaign, Level
from youke.core.actor import Actor
from youke.core.domain import jobs
from youke.core.domain.imports import RowRefused, import_each_row
from youke.core.models import Job
from youke.core.tabular import Column
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import Unit
from youke.selection import rules
from youke.selection.domain.quotas import allocate_quota
from youke.selection.enums import QuotaBasis
from youke.selection.models import Quota

JOB_KIND = "selection.import_quotas"
QUOTA_COLUMNS = [
    Column("unit_code", "单位代码"),
    Column("category", "类别", required=False),
    Column("allowed", "名额"),
]
NAME_HEADER = "单位名称（仅供核对，不导入）"


def _allowed(raw: str) -> int:
    text = raw.strip()
    digits = text[1:] if text.startswith("-") else text
    if not digits.isdigit():
        raise ValidationError(
            {"allowed": _("名额“%(v)s”不是整数：请填写 0 或更大的整数。") % {"v": raw}}
        )
    return int(text)


@jobs.register(JOB_KIND)
def import_quotas(job: Job, progress: jobs.JobProgress) -> dict[str, Any]:
    actor = Actor(person=job.created_by, ip=job.params.get("ip"))
    campaign = Campaign.objects.filter(pk=job.params.get("campaign")).first()
    level = Level.objects.filter(pk=job.params.get("level"), campaign=campaign).first()
    if campaign is None or level is None:
        raise jobs.JobError(_("活动或级别已不存在：请回到名额页面重新导入。"))
    categories = {c.name: c for c in campaign.categories.all()}
    scope = job.unit

    def import_row(row: dict[str, Any]) -> bool:
        code = row["unit_code"]
        unit = Unit.objects.filter(code=code).first() if code else None
        in_scope = unit is not None and (
            scope is None or (unit.path.startswith(scope.path) and unit.pk != scope.pk)
        )
        if not in_scope or not rules.can_allocate_quota(actor.person, unit):
            raise RowRefused(
                "unit_code",
                _("单位代码 %(c)s 不存在或不在您的管理范围内：请核对。")
                % {"c": code or _("（空）")},
            )
        category = None
        if row.get("category"):
            category = categories.get(row["category"])
            if category is None:
                raise RowRefused(
                    "category",
                    _("类别“%(v)s”不是本活动的类别，应为：%(a)s；总名额请留空。")
                    % {"v": row["category"], "a": "、".join(categories)},
                )
        allowed = _allowed(row["allowed"])
        existed = Quota.objects.filter(level=level, unit=unit, category=category).exists()
        try:
            allocate_quota(actor, campaign, level, unit, allowed, category, basis=QuotaBasis.IMPORT)
        except PermissionDenied as exc:
            raise RowRefused(
                "unit_code", _("无权给单位代码 %(c)s 分配名额：请核对。") % {"c": code}
            ) from exc
        return not existed

    counts = import_each_row(job, progress, QUOTA_COLUMNS, import_row, allow_csv=True)
    return counts.as_result(
        _("导入完成：新设 %(c)s 个名额，更新 %(u)s 个，%(f)s 行有错误未导入。")
        % {"c": counts.created, "u": counts.updated, "f": len(counts.errors)}
    )
