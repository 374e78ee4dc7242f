"""Importing past awards (earlier years, other systems) so R4 works from day one.

Columns: 节点编号, 获奖级别 (市级/省级/部级), 年度, 课题, 教师, 单位, 来源. Good rows are kept,
bad rows are listed (row, column, reason); a row already imported is skipped, not doubled.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from youke.campaigns.enums import AwardLevel
from youke.campaigns.models import PastAward
from youke.catalog.models import CourseNode
from youke.core.actor import Actor
from youke.core.domain import jobs
from youke.core.domain.audit import record_many
from youke.core.domain.imports import open_rows
from youke.core.enums import AuditAction
from youke.core.models import Job
from youke.core.tabular import Column, RowError

JOB_KIND = "campaigns.import_past_awards"
AWARD_COLUMNS = [
    Column("node_code", "节点编号"),
    Column("level", "获奖级别"),
    Column("year", "年度"),
    Column("title", "课题"),
    Column("teacher_name", "教师", required=False),
    Column("unit_name", "单位", required=False),
    Column("source", "来源", required=False),
]
TEMPLATE_EXAMPLE = [
    ["T00000006", "部级", "2023", "秒的认识", "王小明", "东湖区实验小学", "国家平台"]
]
_HEADER = {c.key: c.header for c in AWARD_COLUMNS}
_LEVEL_BY_LABEL = {str(label): value for value, label in AwardLevel.choices}


def _clean_row(row: dict, nodes: dict[str, CourseNode]) -> dict:
    errors = {}
    node = nodes.get(row["node_code"])
    if node is None:
        errors["node_code"] = _("节点编号 %(c)s 不存在。请核对课程目录中的节点编号。") % {
            "c": row["node_code"] or _("（空）")
        }
    level = _LEVEL_BY_LABEL.get(row["level"], row["level"])
    if level not in AwardLevel.values:
        errors["level"] = _("获奖级别“%(v)s”无效，应为：%(a)s。") % {
            "v": row["level"],
            "a": "、".join(_LEVEL_BY_LABEL),
        }
    year = row["year"]
    if not (year.isdigit() and 2000 <= int(year) <= 2100):
        errors["year"] = _("年度“%(v)s”无效，请填写四位年份，例如 2023。") % {"v": year}
    if not row["title"]:
        errors["title"] = _("课题不能为空，请填写获奖课例的课题。")
    if errors:
        raise ValidationError(errors)
    return {
        "node": node,
        "level": level,
        "year": int(year),
        "title": row["title"][:200],
        "teacher_name": row.get("teacher_name", "")[:64],
        "unit_name": row.get("unit_name", "")[:100],
        "source": row.get("source", "")[:100],
    }


@jobs.register(JOB_KIND)
def import_past_awards(job: Job, progress: jobs.JobProgress) -> dict:
    actor = Actor(person=job.created_by, ip=job.params.get("ip"))
    total, rows = open_rows(job, AWARD_COLUMNS, allow_csv=True)
    try:
        rows = list(rows)
    finally:
        job.input_file.close()
    progress.set_total(total)
    codes = {row["node_code"] for _number, row in rows}
    nodes = {n.code: n for n in CourseNode.objects.filter(code__in=codes)}
    errors: list[RowError] = []
    created: list[PastAward] = []
    skipped = failed = 0
    for index, (number, row) in enumerate(rows, start=1):
        try:
            values = _clean_row(row, nodes)
        except ValidationError as exc:
            failed += 1
            for field, messages in exc.message_dict.items():
                errors.append(RowError(number, _HEADER.get(field, field), messages[0]))
        else:
            keys = {k: values.pop(k) for k in ("node", "level", "year", "title", "teacher_name")}
            award, is_new = PastAward.objects.get_or_create(
                **keys, defaults={**values, "imported_by": actor.person}
            )
            if is_new:
                created.append(award)
            else:
                skipped += 1
        progress.advance(index)
    record_many(
        actor,
        AuditAction.IMPORT,
        [(a, None, {"node": a.node.code, "level": a.level, "year": a.year}) for a in created],
    )
    return {
        "created": len(created),
        "skipped": skipped,
        "failed": failed,
        "errors": [e.as_dict() for e in errors[:5000]],
        "message": _(
            "导入完成：新增 %(c)s 条获奖记录，%(s)s 条已存在未重复导入，%(f)s 行有错误未导入。"
        )
        % {"c": len(created), "s": skipped, "f": failed},
    }
