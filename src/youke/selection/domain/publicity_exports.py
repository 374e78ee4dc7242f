"""List versions of a 公示 window and the whole-list downloads built for each version.

A published list changes during its window only through the domain: an entry leaving the
list (an upheld objection, any decision through ``entries._write_state``) or an objection
being filed or found unfounded (the page shows it). Each such change calls
``record_change``, which bumps ``Publicity.version`` and ``changed_at`` under the row lock
and queues the downloads of the new version. The public page's cache, its ETag and the
download links are all keyed by the version, so nothing has to be deleted on change.

The downloads (xlsx with write-only openpyxl, PDF with ReportLab in the embedded Chinese
font) are built by a job after commit, never in a request, and kept per version in the
default storage. A job whose version has been overtaken before it runs stops early.
"""

from __future__ import annotations

import tempfile

from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.core.actor import Actor
from youke.core.domain import jobs
from youke.core.enums import JobState
from youke.core.models import Job
from youke.core.tabular import write_xlsx
from youke.selection.domain import publicity_list
from youke.selection.models import LevelEntry, Publicity, PublicityExport

JOB_KIND = "selection.publicity_export"


# --- versions -------------------------------------------------------------------------------


def record_change(publicity_id: int) -> int:
    """Bump the list version (call inside the changing transaction); returns the new one."""
    with transaction.atomic():
        Publicity.objects.filter(pk=publicity_id).update(
            version=F("version") + 1, changed_at=timezone.now()
        )
        publicity = Publicity.objects.select_for_update().get(pk=publicity_id)
        queue_export(publicity)
    return publicity.version


def entry_changed(entry: LevelEntry) -> None:
    """An entry's state changed: the list it sits on, if published, has a new version."""
    found = (
        Publicity.objects.filter(level_id=entry.level_id, unit_id=entry.unit_id)
        .values_list("pk", flat=True)
        .first()
    )
    if found is not None:
        record_change(found)


def queue_export(publicity: Publicity) -> PublicityExport:
    """The export row of the current version, with a job queued after commit to build it."""
    export, created = PublicityExport.objects.get_or_create(
        publicity=publicity, version=publicity.version
    )
    if created or export.job_id is None:
        job = jobs.create_job(
            Actor.system(), JOB_KIND, unit=publicity.unit, params={"export": export.pk}
        )
        PublicityExport.objects.filter(pk=export.pk).update(job=job)
        export.job = job
    return export


def current_export(publicity: Publicity) -> PublicityExport | None:
    return (
        PublicityExport.objects.filter(publicity_id=publicity.pk, version=publicity.version)
        .select_related("job")
        .first()
    )


def export_status(export: PublicityExport | None) -> str:
    """ready | building | failed, for the page's download line."""
    if export is not None and export.is_ready:
        return "ready"
    if export is not None and export.job is not None and export.job.state == JobState.FAILED:
        return "failed"
    return "building"


# --- building -------------------------------------------------------------------------------


def _cells(rows: list[dict]):
    for index, row in enumerate(rows, start=1):
        yield publicity_list.as_cells(index, row)


PDF_COLUMNS = (  # (title, width in mm, row key); 0 takes the rest of the line
    ("序号", 12, "index"),
    ("课题", 70, "title"),
    ("学校", 50, "school"),
    ("教师", 38, "teachers"),
    ("课程节点", 58, "node"),
    ("类别", 25, "category"),
    ("异议情况", 0, "objection"),
)


def write_pdf(handle, publicity: Publicity, rows: list[dict]) -> None:
    """A landscape A4 table drawn straight on the canvas (flowables cost seconds at 5,000).

    One text object per page and no width measuring for text that fits anyway keep the
    pure-Python ReportLab at a few seconds for 5,000 rows. The level is the same for every
    row and stands in the subtitle.
    """
    # ReportLab is imported on use: web workers serve the file, a job draws it.
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    from youke.core.pdf_fonts import chinese_font

    font = chinese_font().name
    width, height = landscape(A4)
    margin = 12 * mm
    size, leading = 8, 11
    x_positions, widths, x = [], [], margin
    for _title, col_width, _key in PDF_COLUMNS:
        x_positions.append(x)
        widths.append(col_width * mm if col_width else width - margin - x)
        x += col_width * mm
    title = publicity.title
    subtitle = _("%(unit)s · %(level)s · 共 %(n)s 件 · 名单版本 %(v)s") % {
        "unit": publicity.unit.name,
        "level": publicity.level.name,
        "n": len(rows),
        "v": publicity.version,
    }

    def fit(text: str, limit: float) -> str:
        # A glyph is at most one em wide: short text needs no measuring.
        if len(text) * size <= limit or stringWidth(text, font, size) <= limit:
            return text
        while text and stringWidth(text + "…", font, size) > limit:
            text = text[:-1]
        return text + "…"

    canvas = Canvas(handle, pagesize=(width, height), pageCompression=1)
    canvas.setTitle(title)
    page_number = 0

    def start_page():
        nonlocal page_number
        page_number += 1
        canvas.setFont(font, 14)
        canvas.drawString(margin, height - margin - 4 * mm, title)
        canvas.setFont(font, 8)
        canvas.drawString(margin, height - margin - 10 * mm, subtitle)
        canvas.drawRightString(width - margin, margin / 2, _("第 %(n)s 页") % {"n": page_number})
        y = height - margin - 18 * mm
        canvas.line(margin, y - 3, width - margin, y - 3)
        text = canvas.beginText()
        text.setFont(font, size)
        for col, (heading, _w, _k) in enumerate(PDF_COLUMNS):
            text.setTextOrigin(x_positions[col], y)
            text.textOut(_(heading))
        return text, y - leading

    text, y = start_page()
    for index, row in enumerate(rows, start=1):
        if y < margin:
            canvas.drawText(text)
            canvas.showPage()
            text, y = start_page()
        for col, (_heading, _w, key) in enumerate(PDF_COLUMNS):
            value = str(index) if key == "index" else row[key]
            if value:
                text.setTextOrigin(x_positions[col], y)
                text.textOut(fit(value, widths[col] - 2))
        y -= leading
    canvas.drawText(text)
    canvas.save()


def build(export: PublicityExport) -> int:
    """Write both files of ``export`` into storage; returns the row count."""
    publicity = Publicity.objects.select_related("unit", "level").get(pk=export.publicity_id)
    rows = publicity_list.all_rows(publicity)
    stem = f"publicity-{publicity.pk}-v{export.version}"
    with tempfile.TemporaryFile() as handle:
        write_xlsx(handle, publicity_list.headers(), _cells(rows), title=_("公示名单"))
        handle.seek(0)
        export.xlsx.save(f"{stem}.xlsx", File(handle), save=False)
    with tempfile.TemporaryFile() as handle:
        write_pdf(handle, publicity, rows)
        handle.seek(0)
        export.pdf.save(f"{stem}.pdf", File(handle), save=False)
    export.row_count = len(rows)
    export.built_at = timezone.now()
    export.save(update_fields=["xlsx", "pdf", "row_count", "built_at"])
    return len(rows)


@jobs.register(JOB_KIND)
def build_export(job: Job, progress: jobs.JobProgress) -> dict:
    export = (
        PublicityExport.objects.select_related("publicity")
        .filter(pk=job.params.get("export"))
        .first()
    )
    if export is None:
        raise jobs.JobError(_("公示名单已删除，无需生成下载文件。"))
    if export.is_ready:
        return {"rows": export.row_count, "message": _("下载文件已生成。")}
    if export.publicity.version != export.version:
        return {"rows": 0, "message": _("名单已更新，本版本不再生成下载文件。")}
    count = build(export)
    return {"rows": count, "message": _("公示名单下载文件已生成，共 %(n)s 件。") % {"n": count}}
