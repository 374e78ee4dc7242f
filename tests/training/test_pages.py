"""我的学时, 荣誉档案 (page and PDF), the admin totals with drill-down, manual credits, the
师训 xlsx and the 备案 lists; another unit's teacher or unit answers 404."""

from __future__ import annotations

import io
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from PIL import Image

from tests.factories import make_person
from tests.training.conftest import grant, showcase
from youke.core.actor import Actor
from youke.core.models import Job
from youke.orgs.enums import Role
from youke.submissions.models import CoAuthor
from youke.training.domain import ledger, totals
from youke.training.domain.honours import honours_record
from youke.training.models import TrainingCredit, UnitYearTotal


def manual(admin, teacher, hours, year=2026, source="市级培训"):
    return ledger.add_manual_credit(
        Actor(admin), teacher, hours=hours, year=year, source=source, reason="补登"
    )


@pytest.fixture
def tree(province):
    """Credits on a hand-built tree: city 2, county_a → school_a 8 + point 5, county_b 3."""
    admin = province.city_admin
    at_city = make_person(province.city, Role.TEACHER, full_name="市直老师")
    at_point = make_person(province.point_a, Role.TEACHER, full_name="教学点老师")
    manual(admin, province.teacher_a, "8")
    manual(admin, at_point, "5")
    manual(admin, province.teacher_b, "3")
    manual(admin, at_city, "2")
    manual(admin, province.teacher_b, "40", year=2025)
    return at_point


def exported(client, form) -> list[tuple]:
    """Start the export job (it runs at commit), follow it, and read its file."""
    from django.test.testcases import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.post("/manage/training/export/", form)
    job = Job.objects.filter(kind="training.export_hours").latest("id")
    assert started.url == f"/manage/jobs/{job.pk}/"
    download = client.get(f"/manage/jobs/{job.pk}/download/")
    return list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.values)


def by_unit(rows):
    return {(row.unit.code if row.unit else "own"): (row.hours, row.teachers) for row in rows}


def test_unit_totals_drill_down_exactly(province, tree):
    total, rows = totals.unit_totals(province.city, 2026)
    assert (total.hours, total.credits, total.teachers) == (Decimal(18), 4, 4)
    assert by_unit(rows) == {
        "990101": (Decimal(13), 2),
        "990102": (Decimal(3), 1),
        "own": (Decimal(2), 1),
    }
    _total, rows = totals.unit_totals(province.county_a, 2026)
    assert by_unit(rows) == {"9901010001": (Decimal(13), 2)}
    _total, rows = totals.unit_totals(province.school_a, 2026)
    assert by_unit(rows) == {"9901010002": (Decimal(5), 1), "own": (Decimal(8), 1)}
    total, rows = totals.unit_totals(province.city)  # every year: no teacher count
    assert (total.hours, total.teachers) == (Decimal(58), None)
    assert by_unit(rows)["990102"] == (Decimal(43), None)
    # The maintained sums equal a rebuild from the ledger.
    before = list(UnitYearTotal.objects.order_by("unit_id", "year").values_list())
    assert ledger.rebuild_totals() == len(before)
    after = list(UnitYearTotal.objects.order_by("unit_id", "year").values_list())
    assert [row[1:] for row in after] == [row[1:] for row in before]


def test_totals_page_shows_children_and_teachers(client, province, tree):
    client.force_login(province.city_admin)
    page = client.get("/manage/training/", {"unit": province.city.pk, "year": 2026})
    html = page.content.decode()
    assert page.status_code == 200
    assert '<tr data-unit="990101">' in html and '<td class="text-end" data-hours>13.0</td>' in html
    assert "青山市合计 18.0 学时，涉及教师 4 人。" in html
    assert page.context["teachers"] is None  # a city lists units, not its teachers
    county = client.get("/manage/training/", {"unit": province.county_a.pk, "year": 2026})
    assert [row["teacher__full_name"] for row in county.context["teachers"]] == [
        "王老师",
        "教学点老师",
    ]


def test_other_units_are_404(client, province, tree):
    client.force_login(province.county_b_admin)
    assert client.get("/manage/training/", {"unit": province.county_a.pk}).status_code == 404
    url = f"/manage/training/teachers/{province.teacher_a.pk}/"
    assert client.get(url).status_code == 404
    form = {"kind": "manual", "year": 2026, "hours": "5", "source": "x", "reason": "y"}
    assert client.post(url, form).status_code == 404
    assert client.get(url + "honours.pdf").status_code == 404
    assert TrainingCredit.objects.filter(teacher=province.teacher_a).count() == 1
    assert (
        client.post("/manage/training/export/", {"unit": province.county_a.pk}).status_code == 404
    )
    # Their own subtree only: the export of the county holds李老师 and nobody else.
    rows = exported(client, {"year": 2026})
    assert [row[1] for row in rows[1:]] == ["李老师"]
    client.force_login(province.teacher_b)  # teachers have no admin pages at all
    assert client.get("/manage/training/").status_code == 404


def test_manual_credit_through_the_page(client, province):
    client.force_login(province.county_a_admin)
    url = f"/manage/training/teachers/{province.teacher_a.pk}/"
    bad = {"kind": "manual", "year": 2026, "hours": "-5", "source": "市级培训", "reason": "补登"}
    refused = client.post(url, bad)
    assert refused.status_code == 422
    assert "要减少学时请选择“更正”" in refused.content.decode()
    assert refused.context["form"]["source"].value() == "市级培训"  # nothing typed is lost
    done = client.post(url, {**bad, "hours": "6"})
    assert done.status_code == 302
    credit = TrainingCredit.objects.get()
    assert (credit.hours, credit.reason, credit.created_by) == (
        Decimal(6),
        "补登",
        province.county_a_admin,
    )


def test_my_hours_lists_sources(client, province, campaign, lessons):
    submission = showcase(campaign, province.teacher_a, lessons[0], "圆的面积")
    grant(submission, "province", province.province, province.province_admin)
    client.force_login(province.teacher_a)
    page = client.get("/my/hours/")
    html = page.content.decode()
    assert [
        (y.year, y.hours.showcase, y.hours.excellent, y.hours.total) for y in page.context["years"]
    ] == [(2026, Decimal(10), Decimal(50), Decimal(60))]
    assert "晒课《圆的面积》（一师一优课测试）" in html
    assert "《圆的面积》获省级遴选优课（一师一优课测试）" in html


def test_honours_record_page_and_pdf_render_chinese(client, province, campaign, lessons, tmp_path):
    submission = showcase(campaign, province.teacher_a, lessons[0], "圆的面积")
    grant(submission, "province", province.province, province.province_admin)
    client.force_login(province.teacher_a)
    page = client.get("/my/honours/")
    record = page.context["record"]
    assert [(a.year, a.grade, a.title, a.role) for a in record.awards] == [
        (2026, "省级遴选优课", "圆的面积", "主讲")
    ]
    # The co-author's record lists the same award as theirs.
    CoAuthor.objects.create(submission=submission, person=province.teacher_b)
    coauthor = honours_record(province.teacher_b)
    assert [(a.title, a.role) for a in coauthor.awards] == [("圆的面积", "合作者")]
    assert record.total_hours == Decimal(60)
    pdf = client.get("/my/honours/record.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    path = tmp_path / "honours.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "教师荣誉档案" in text and "王老师" in text and "圆的面积" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-singlefile", str(path), str(tmp_path / "page")],
        check=True,
    )
    image = Image.open(tmp_path / "page.png").convert("L")
    assert image.height > image.width  # A4 portrait
    # The title line is drawn: dark pixels in the top band where 教师荣誉档案 stands.
    band = image.crop((0, 0, image.width, image.height // 8))
    dark = sum(n for n, value in band.getcolors(256) if value < 128)
    assert dark > 100


def test_admin_sees_teacher_in_scope(client, province, campaign, lessons):
    showcase(campaign, province.teacher_a, lessons[0], "圆的面积")
    client.force_login(province.county_a_admin)
    page = client.get(f"/manage/training/teachers/{province.teacher_a.pk}/")
    assert page.status_code == 200
    assert page.context["record"].total_hours == Decimal(10)
    pdf = client.get(f"/manage/training/teachers/{province.teacher_a.pk}/honours.pdf")
    assert pdf.content.startswith(b"%PDF")


def test_export_is_in_the_training_office_layout(client, province, tree):
    client.force_login(province.city_admin)
    rows = exported(client, {"unit": province.city.pk, "year": 2026})
    job = Job.objects.get(kind="training.export_hours")
    assert (job.state, job.result, job.done, job.total) == ("succeeded", {"rows": 4}, 4, 4)
    assert rows[0] == totals.EXPORT_HEADERS
    assert [(r[0], r[1], r[3], r[4], r[5], r[9]) for r in rows[1:]] == [
        (1, "市直老师", "青山市", None, 2026, 2),
        (2, "王老师", "东湖区实验小学", "东湖区", 2026, 8),
        (3, "教学点老师", "东湖区实验小学柳村教学点", "东湖区", 2026, 5),
        (4, "李老师", "西岭县第一中学", "西岭县", 2026, 3),
    ]
    assert rows[2][10] == "市级培训（+8.0）"


def test_filing_lists_one_sheet_per_level(client, province, campaign, lessons, run_on_commit):
    from youke.selection.domain.awards import revoke_award

    first = showcase(campaign, province.teacher_a, lessons[0], "圆的面积")
    second = showcase(campaign, province.teacher_b, lessons[1], "分数的意义")
    grant(first, "city", province.city, province.city_admin)
    revoked = grant(second, "city", province.city, province.city_admin)
    grant(first, "province", province.province, province.province_admin)
    run_on_commit(revoke_award, Actor(province.city_admin), revoked, "异议成立")
    client.force_login(province.province_admin)
    page = client.get("/manage/training/filing/", {"campaign": campaign.pk})
    assert page.context["counts"] == [("市级遴选", 1), ("省级遴选", 1)]
    book = load_workbook(
        io.BytesIO(client.get(f"/manage/training/filing/{campaign.pk}.xlsx").content)
    )
    assert book.sheetnames == ["市级遴选", "省级遴选"]
    rows = list(book["市级遴选"].values)
    assert rows[2][:6] == (1, "王老师", "东湖区实验小学", "圆的面积", "练习课0", "市级遴选优课")
    assert len(rows) == 3
    client.force_login(province.county_b_admin)  # no award of its subtree: nothing to file
    assert client.get("/manage/training/filing/", {"campaign": campaign.pk}).context["counts"] == []
