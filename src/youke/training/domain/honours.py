"""The teacher's honours record (荣誉档案): awards, titles, certificates and training hours
across years and campaigns, on a page and as a PDF for 职称评聘.

Everything is read from the other apps' tables in a fixed number of queries (awards,
certificates, ledger totals, ledger lines); revoked awards are left out, revoked
certificates are shown as revoked so the record never claims more than stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.certificates.models import Certificate
from youke.orgs.models import Person
from youke.selection.models import Award
from youke.submissions.models import CoAuthor
from youke.training.domain.totals import YearTotal, year_totals
from youke.training.models import TrainingCredit


@dataclass
class AwardLine:
    year: int
    campaign: str
    level: str
    grade: str
    title: str
    node: str
    awarded_on: str
    role: str  # 主讲 (the submitting teacher) or 合作者 (a co-author)


@dataclass
class CertificateLine:
    serial: str
    level: str
    grade: str
    issued_on: str
    revoked: bool
    revoked_reason: str


@dataclass
class HonoursRecord:
    teacher: Person
    honour_title: str
    awards: list[AwardLine]
    certificates: list[CertificateLine]
    years: list[YearTotal]
    credits: list[TrainingCredit]

    @property
    def total_hours(self):
        return sum((y.hours.total for y in self.years), start=0)


def honours_record(teacher: Person) -> HonoursRecord:
    # Co-authored works are part of a teacher's record too (seed 001 lists up to 3 authors).
    coauthored = CoAuthor.objects.filter(person=teacher).values("submission_id")
    awards = (
        Award.objects.filter(
            Q(entry__submission__teacher=teacher) | Q(entry__submission_id__in=coauthored),
            revoked_at__isnull=True,
        )
        .select_related("grade", "level__campaign", "entry__submission__node")
        .order_by("-level__campaign__year", "-level__order", "-id")
    )
    certificates = Certificate.objects.filter(recipient=teacher).order_by("-issued_at", "-id")
    credits = TrainingCredit.objects.filter(teacher=teacher)
    return HonoursRecord(
        teacher=teacher,
        honour_title=teacher.get_title_display() if teacher.title else "",
        awards=[
            AwardLine(
                year=a.level.campaign.year,
                campaign=a.level.campaign.name,
                level=a.level.name,
                grade=a.grade.name,
                title=a.entry.submission.title,
                node=a.entry.submission.node.name,
                awarded_on=timezone.localdate(a.awarded_at).isoformat(),
                role=_("主讲") if a.entry.submission.teacher_id == teacher.pk else _("合作者"),
            )
            for a in awards
        ],
        certificates=[
            CertificateLine(
                serial=c.serial,
                level=str(c.fields.get("l", "")),
                grade=str(c.fields.get("a", "")),
                issued_on=str(c.fields.get("d", "")),
                revoked=c.is_revoked,
                revoked_reason=c.revoked_reason,
            )
            for c in certificates
        ],
        years=year_totals(credits),
        credits=list(credits.select_related("teacher", "unit", "campaign").order_by("-year", "id")),
    )


def write_pdf(handle: IO[bytes], record: HonoursRecord) -> None:
    """A4 portrait, drawn on the canvas in the embedded Chinese font (core.pdf_fonts)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    from youke.core.pdf_fonts import chinese_font

    font = chinese_font().name
    width, height = A4
    margin = 18 * mm
    size, leading = 9, 14
    canvas = Canvas(handle, pagesize=A4, pageCompression=1, initialFontName=font)
    teacher = record.teacher
    title = _("%(name)s 荣誉档案") % {"name": teacher.full_name}
    canvas.setTitle(title)
    page = 0
    y = 0.0

    def fit(text: str, limit: float) -> str:
        if stringWidth(text, font, size) <= limit:
            return text
        while text and stringWidth(text + "…", font, size) > limit:
            text = text[:-1]
        return text + "…"

    def new_page():
        nonlocal page, y
        if page:
            canvas.showPage()
        page += 1
        canvas.setFont(font, 8)
        canvas.drawRightString(width - margin, margin / 2, _("第 %(n)s 页") % {"n": page})
        y = height - margin

    def line_room(need: float = leading):
        if y - need < margin:
            new_page()

    def heading(text: str):
        nonlocal y
        line_room(leading * 3)
        y -= leading * 0.6
        canvas.setFont(font, 12)
        canvas.drawString(margin, y, text)
        y -= 4
        canvas.line(margin, y, width - margin, y)
        y -= leading

    def table(columns: list[tuple[str, float]], rows: list[list[str]], empty: str):
        nonlocal y
        xs, x = [], margin
        for _title, col_width in columns:
            xs.append((x, col_width * mm))
            x += col_width * mm
        canvas.setFont(font, size)
        for (col_x, _w), (col_title, _cw) in zip(xs, columns, strict=True):
            canvas.drawString(col_x, y, col_title)
        y -= leading
        if not rows:
            canvas.drawString(margin, y, empty)
            y -= leading
        for values in rows:
            line_room()
            canvas.setFont(font, size)
            for (col_x, col_width), value in zip(xs, values, strict=True):
                canvas.drawString(col_x, y, fit(value, col_width - 4))
            y -= leading

    new_page()
    canvas.setFont(font, 18)
    canvas.drawCentredString(width / 2, y - 6 * mm, _("教师荣誉档案"))
    y -= 18 * mm
    canvas.setFont(font, 10)
    facts = [
        _("姓名：%(v)s") % {"v": teacher.full_name},
        _("单位：%(v)s") % {"v": teacher.unit.name},
        _("荣誉称号：%(v)s") % {"v": record.honour_title or _("无")},
        _("累计培训学时：%(v)s") % {"v": record.total_hours},
    ]
    for fact in facts:
        canvas.drawString(margin, y, fact)
        y -= leading
    heading(_("一、获奖情况"))
    table(
        [
            (_("年度"), 14),
            (_("活动"), 44),
            (_("级别"), 22),
            (_("奖项"), 22),
            (_("作品"), 58),
            (_("角色"), 14),
        ],
        [[str(a.year), a.campaign, a.level, a.grade, a.title, a.role] for a in record.awards],
        _("暂无获奖记录。"),
    )
    heading(_("二、证书"))
    table(
        [
            (_("证书编号"), 44),
            (_("级别"), 30),
            (_("奖项"), 30),
            (_("发证日期"), 30),
            (_("状态"), 40),
        ],
        [
            [
                c.serial,
                c.level,
                c.grade,
                c.issued_on,
                _("已撤销") if c.revoked else _("有效"),
            ]
            for c in record.certificates
        ],
        _("暂无证书。"),
    )
    heading(_("三、培训学时"))
    table(
        [(_("年度"), 20), (_("晒课"), 30), (_("优课"), 30), (_("其他"), 30), (_("合计"), 30)],
        [
            [
                str(t.year),
                str(t.hours.showcase),
                str(t.hours.excellent),
                str(t.hours.other),
                str(t.hours.total),
            ]
            for t in record.years
        ],
        _("暂无学时记录。"),
    )
    heading(_("学时明细"))
    table(
        [(_("年度"), 16), (_("来源"), 134), (_("学时"), 24)],
        [[str(c.year), c.source, f"{c.hours:+}"] for c in record.credits],
        _("暂无学时记录。"),
    )
    line_room(leading * 2)
    y -= leading
    canvas.setFont(font, 8)
    canvas.drawString(
        margin,
        y,
        _("本档案由优课平台于 %(d)s 生成；证书真伪请扫描证书上的二维码核验。")
        % {"d": timezone.localdate().isoformat()},
    )
    canvas.save()
