"""The dashboard's xlsx: the unit's subtree figure and every child's, with targets."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from youke.monitoring.domain.reading import Report, format_value
from youke.monitoring.enums import Light


def report_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook

    from youke.core.tabular import safe_cell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("指标情况"))
    sheet.append([_("活动"), report.campaign.name, _("单位"), report.unit.name])
    sheet.append([_("数据时间"), report.refreshed_at.isoformat() if report.refreshed_at else ""])
    header = [
        _("单位"),
        _("代码"),
        _("教师数"),
        _("晒课教师"),
        _("作品数"),
        _("优课数"),
        _("按时提交"),
    ]
    for target in report.targets:
        header += [target.indicator.name, _("目标"), _("情况")]
    sheet.append(header)
    rows = ([report.total] if report.total else []) + report.children
    for row in rows:
        line = [
            row.name,
            row.code,
            row.teachers,
            row.showcased,
            row.lessons,
            row.excellent,
            row.on_time,
        ]
        for target, cell in zip(report.targets, row.cells, strict=True):
            measure = target.indicator.measure
            line += [
                format_value(cell.value, measure),
                format_value(cell.target, measure),
                str(Light(cell.light).label),
            ]
        sheet.append([safe_cell(value) for value in line])
    handle = io.BytesIO()
    workbook.save(handle)
    return handle.getvalue()
