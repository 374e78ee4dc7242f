"""Catalog import (xlsx or CSV) and export jobs.

Columns: 节点编号, 名称, 层级, 上级节点编号. A row whose code exists updates the name; a new
code is added under its parent (which may appear earlier in the same file). The level must
be the one below the parent's level.
"""

from __future__ import annotations

import io
import tempfile

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.catalog.domain import nodes as nodes_domain
from youke.catalog.enums import NodeLevel, child_level
from youke.catalog.models import CourseNode
from youke.core.actor import Actor
from youke.core.domain import jobs
from youke.core.domain.imports import import_each_row
from youke.core.models import Job
from youke.core.tabular import Column, write_csv, write_xlsx
from youke.orgs.domain.units import PermissionDenied

NODE_COLUMNS = [
    Column("code", "节点编号"),
    Column("name", "名称"),
    Column("level", "层级"),
    Column("parent_code", "上级节点编号"),
]
_HEADER = {c.key: c.header for c in NODE_COLUMNS}
_LEVEL_BY_LABEL = {str(label): value for value, label in NodeLevel.choices}


def _import_row(actor: Actor, row: dict) -> bool:
    level = _LEVEL_BY_LABEL.get(row["level"], row["level"])
    if level not in NodeLevel.values:
        raise ValidationError(
            {
                "level": _("层级“%(v)s”无效，应为：%(a)s。")
                % {"v": row["level"], "a": "、".join(_LEVEL_BY_LABEL)}
            }
        )
    existing = CourseNode.objects.filter(code=row["code"]).first()
    if existing is not None:
        if existing.level != level:
            raise ValidationError(
                {
                    "level": _("节点 %(c)s 已存在且层级为“%(l)s”，层级不能通过导入修改。")
                    % {"c": row["code"], "l": existing.get_level_display()}
                }
            )
        nodes_domain.update_node(actor, existing, name=row["name"])
        return False
    if level == NodeLevel.STAGE:
        parent = None
    else:
        parent = CourseNode.objects.filter(code=row["parent_code"]).first()
        if parent is None:
            raise ValidationError(
                {
                    "parent_code": _("上级节点编号 %(v)s 不存在。请先导入上级节点，或核对编号。")
                    % {"v": row["parent_code"] or _("（空）")}
                }
            )
        if child_level(parent.level) != level:
            raise ValidationError(
                {
                    "level": _("“%(p)s”（%(pl)s）的下级应为“%(want)s”，而不是“%(got)s”。")
                    % {
                        "p": parent.name,
                        "pl": parent.get_level_display(),
                        "want": NodeLevel(child_level(parent.level)).label
                        if child_level(parent.level)
                        else "—",
                        "got": NodeLevel(level).label,
                    }
                }
            )
    nodes_domain.create_node(actor, parent, code=row["code"], name=row["name"])
    return True


@jobs.register("catalog.import_nodes")
def import_nodes(job: Job, progress: jobs.JobProgress) -> dict:
    actor = Actor(person=job.created_by, ip=job.params.get("ip"))

    def import_row(row: dict) -> bool:
        try:
            return _import_row(actor, row)
        except PermissionDenied as exc:
            raise jobs.JobError(_("只有平台管理员或教育部管理员可以修改课程目录。")) from exc

    counts = import_each_row(job, progress, NODE_COLUMNS, import_row, allow_csv=True)
    return counts.as_result(
        _("导入完成：新增 %(c)s 个节点，更新 %(u)s 个，%(f)s 行有错误未导入。")
        % {"c": counts.created, "u": counts.updated, "f": len(counts.errors)}
    )


def _node_rows(progress: jobs.JobProgress):
    codes: dict[str, str] = {}
    nodes = CourseNode.objects.order_by("path")
    progress.set_total(nodes.count())
    for index, node in enumerate(nodes.iterator(chunk_size=5000), start=1):
        codes[node.path] = node.code
        progress.advance(index)
        yield [
            node.code,
            node.name,
            node.get_level_display(),
            codes.get(node.path[: -CourseNode.steplen], ""),
        ]


@jobs.register("catalog.export_nodes")
def export_nodes(job: Job, progress: jobs.JobProgress) -> dict:
    fmt = job.params.get("format", "xlsx")
    headers = [c.header for c in NODE_COLUMNS]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    with tempfile.TemporaryFile() as handle:
        if fmt == "csv":
            text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
            write_csv(text, headers, _node_rows(progress))
            text.flush()
            text.detach()
        else:
            write_xlsx(handle, headers, _node_rows(progress), title=_("课程目录"))
        handle.seek(0)
        job.output_file.save(f"catalog-{stamp}.{fmt}", File(handle), save=False)
    Job.objects.filter(pk=job.pk).update(output_file=job.output_file.name)
    return {
        "rows": progress.job.done,
        "message": _("导出完成，共 %(n)s 个节点。") % {"n": progress.job.done},
    }
