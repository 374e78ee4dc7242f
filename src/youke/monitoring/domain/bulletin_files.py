"""The bulletin's PDF (Chinese font embedded, ``core.pdf_fonts``; a bar chart per indicator
under each ranked table, ``bulletin_charts``) and xlsx, drawn from its snapshot only, so the
files always say what the record says."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.monitoring.domain import bulletin_charts
from youke.monitoring.domain.reading import format_value
from youke.monitoring.enums import Light
from youke.monitoring.models import Bulletin


def table_rows(snapshot: dict, table: dict) -> tuple[list[str], list[list[str]]]:
    """Header and text rows of one ranked table, shared by the PDF, the xlsx and the page."""
    indicators = snapshot["indicators"]
    header = [_("名次"), _("单位"), _("教师数"), _("晒课教师"), _("作品数"), _("优课数")]
    for indicator in indicators:
        header += [indicator["name"], _("目标"), _("情况")]
    rows = []
    for index, row in enumerate(table["rows"], start=1):
        line = [
            str(index),
            row["name"],
            str(row["teachers"]),
            str(row["showcased"]),
            str(row["lessons"]),
            str(row["excellent"]),
        ]
        for indicator, cell in zip(indicators, row["cells"], strict=True):
            line += [
                format_value(cell["value"], indicator["measure"]),
                format_value(cell["target"], indicator["measure"]),
                str(Light(cell["light"]).label),
            ]
        rows.append(line)
    return header, rows


def page_tables(snapshot: dict) -> list[dict]:
    """The snapshot's tables as the bulletin pages show them (admin and public)."""
    tables = []
    for table in snapshot.get("tables", []):
        header, rows = table_rows(snapshot, table)
        tables.append({"title": table["title"], "header": header, "rows": rows})
    return tables


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def render_pdf(bulletin: Bulletin) -> bytes:
    # ReportLab on use: web workers only serve the stored file.
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from youke.core.pdf_fonts import chinese_font

    font = chinese_font().name
    snapshot = bulletin.snapshot
    pagesize = landscape(A4) if len(snapshot["indicators"]) > 2 else A4
    page_width = pagesize[0] - 30 * mm
    body = ParagraphStyle(
        "body", fontName=font, fontSize=10.5, leading=17, wordWrap="CJK", firstLineIndent=21
    )
    title = ParagraphStyle(
        "title", fontName=font, fontSize=18, leading=26, alignment=1, wordWrap="CJK"
    )
    centre = ParagraphStyle("centre", fontName=font, fontSize=10.5, leading=16, alignment=1)
    heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=20, wordWrap="CJK")
    right = ParagraphStyle("right", fontName=font, fontSize=10.5, leading=16, alignment=2)
    cell = ParagraphStyle("cell", fontName=font, fontSize=7.5, leading=9.5, wordWrap="CJK")
    story = [
        Paragraph(bulletin.issuing_unit.name, title),
        Paragraph(bulletin.doc_number or _("（草稿，未编号）"), centre),
        Spacer(1, 4 * mm),
        Paragraph(bulletin.title, title),
        Spacer(1, 3 * mm),
    ]
    figures_at = timezone.localtime(bulletin.figures_at) if bulletin.figures_at else None
    story.append(
        Paragraph(
            _("通报期间：%(start)s 至 %(end)s；数据时间：%(at)s；活动：%(campaign)s")
            % {
                "start": bulletin.period_start.isoformat(),
                "end": bulletin.period_end.isoformat(),
                "at": figures_at.strftime("%Y-%m-%d %H:%M") if figures_at else "—",
                "campaign": snapshot["campaign"],
            },
            body,
        )
    )
    story += [Paragraph(text, body) for text in _paragraphs(bulletin.intro)]
    total = snapshot["total"]
    summary = [
        _("全域教师 %(t)s 人，晒课教师 %(s)s 人，已提交作品 %(l)s 件，优课 %(e)s 件")
        % {
            "t": total["teachers"],
            "s": total["showcased"],
            "l": total["lessons"],
            "e": total["excellent"],
        }
    ]
    for indicator, cell_data in zip(snapshot["indicators"], total["cells"], strict=True):
        summary.append(
            _("%(name)s %(value)s（目标 %(target)s，%(light)s）")
            % {
                "name": indicator["name"],
                "value": format_value(cell_data["value"], indicator["measure"]),
                "target": format_value(cell_data["target"], indicator["measure"]),
                "light": Light(cell_data["light"]).label,
            }
        )
    story.append(Paragraph(_("一、总体情况"), heading))
    story.append(Paragraph("；".join(summary) + "。", body))
    for number, table in enumerate(snapshot["tables"], start=2):
        story.append(
            Paragraph(
                _("%(n)s、%(title)s指标排名")
                % {"n": _chinese_number(number), "title": table["title"]},
                heading,
            )
        )
        header, rows = table_rows(snapshot, table)
        data = [[Paragraph(text, cell) for text in header]]
        data += [[Paragraph(text, cell) for text in row] for row in rows]
        grid = Table(data, repeatRows=1)
        style = [
            ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
        grid.setStyle(TableStyle(style))
        story.append(grid)
        if bulletin_charts.chartable(snapshot, table):
            for position in range(len(snapshot["indicators"])):
                story.append(Spacer(1, 3 * mm))
                story.append(
                    bulletin_charts.indicator_chart(snapshot, table, position, page_width, font)
                )
    next_number = len(snapshot["tables"]) + 2
    story.append(Paragraph(_("%(n)s、表扬与提醒") % {"n": _chinese_number(next_number)}, heading))
    commended = "、".join(snapshot["commended"]) or _("无")
    story.append(
        Paragraph(_("全部指标达标、予以表扬的单位：%(names)s。") % {"names": commended}, body)
    )
    behind = "；".join(
        f"{item['name']}（{'、'.join(item['indicators'])}）" for item in snapshot["behind"]
    ) or _("无")
    story.append(
        Paragraph(_("尚未达到目标、请加快进度的单位：%(names)s。") % {"names": behind}, body)
    )
    if bulletin.closing.strip():
        story.append(
            Paragraph(_("%(n)s、工作要求") % {"n": _chinese_number(next_number + 1)}, heading)
        )
        story += [Paragraph(text, body) for text in _paragraphs(bulletin.closing)]
    story.append(Spacer(1, 8 * mm))
    story.append(Paragraph(bulletin.issuing_unit.name, right))
    when = timezone.localtime(bulletin.published_at) if bulletin.published_at else None
    story.append(Paragraph(when.strftime("%Y年%m月%d日") if when else _("（未发布）"), right))
    handle = io.BytesIO()
    document = SimpleDocTemplate(
        handle,
        pagesize=pagesize,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=bulletin.title,
        author=bulletin.issuing_unit.name,
    )
    document.build(story)
    return handle.getvalue()


def _chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九十"
    return digits[n] if n <= 10 else str(n)


def render_xlsx(bulletin: Bulletin) -> bytes:
    from openpyxl import Workbook

    from youke.core.tabular import safe_cell

    snapshot = bulletin.snapshot
    workbook = Workbook(write_only=True)
    info = workbook.create_sheet(_("通报")[:31])
    info.append([_("文号"), bulletin.doc_number])
    info.append([_("标题"), bulletin.title])
    info.append([_("发文单位"), bulletin.issuing_unit.name])
    info.append([_("活动"), snapshot["campaign"]])
    info.append([_("通报期间"), f"{bulletin.period_start} — {bulletin.period_end}"])
    info.append([_("数据时间"), snapshot["figures_at"]])
    info.append([_("表扬单位"), "、".join(snapshot["commended"])])
    info.append([_("未达标单位"), "；".join(item["name"] for item in snapshot["behind"])])
    for table in snapshot["tables"]:
        sheet = workbook.create_sheet(table["title"][:31])
        header, rows = table_rows(snapshot, table)
        sheet.append(header)
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
    handle = io.BytesIO()
    workbook.save(handle)
    return handle.getvalue()


def write_files(bulletin: Bulletin) -> None:
    """Store both files on the bulletin (the caller saves the row)."""
    stem = f"bulletin-{bulletin.pk}"
    bulletin.pdf.save(f"{stem}.pdf", ContentFile(render_pdf(bulletin)), save=False)
    bulletin.xlsx.save(f"{stem}.xlsx", ContentFile(render_xlsx(bulletin)), save=False)
