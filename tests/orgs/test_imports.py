"""Bulk imports: good rows land, bad rows are listed with row, column and reason."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from tests.factories import valid_id_card
from youke.core.actor import Actor
from youke.core.domain import jobs
from youke.core.models import Job
from youke.orgs.domain.imports import TEACHER_COLUMNS, UNIT_COLUMNS
from youke.orgs.models import Person, RoleGrant, Unit

pytestmark = pytest.mark.django_db

TEACHER_HEADERS = [c.header for c in TEACHER_COLUMNS]
UNIT_HEADERS = [c.header for c in UNIT_COLUMNS]


def xlsx(headers, rows, name="import.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def run_import(run_on_commit, admin, kind, upload, unit=None) -> Job:
    job = run_on_commit(jobs.create_job, Actor(admin), kind, unit=unit, upload=upload)
    job.refresh_from_db()
    return job


def test_teacher_import_reports_bad_rows_and_keeps_good_ones(province, run_on_commit):
    upload = xlsx(
        TEACHER_HEADERS,
        [
            ["陈一", "13600000001", valid_id_card(1), "", "骨干教师", ""],
            ["陈二", "13600000002", "", "", "", ""],
            ["陈三", "123", "", "", "", ""],  # bad mobile
            ["陈四", "13600000001", "", "", "", ""],  # duplicate in file
            ["陈五", "13600000005", "110105194912310021", "", "", ""],  # bad check digit
            ["陈六", "13600000006", "", "9901020001", "", ""],  # other county
            ["陈七", "13600000007", "", "", "校长", ""],  # unknown title
        ],
    )
    job = run_import(
        run_on_commit,
        province.county_a_admin,
        "orgs.import_teachers",
        upload,
        unit=province.school_a,
    )
    assert job.state == "succeeded"
    assert (job.result["created"], job.result["updated"], job.result["failed"]) == (2, 0, 5)
    assert [(e["row"], e["column"]) for e in job.result["errors"]] == [
        (4, "手机号"),
        (5, "手机号"),
        (6, "身份证号"),
        (7, "学校代码"),
        (8, "称号"),
    ]
    assert "第 2 行" in job.result["errors"][1]["reason"]
    created = Person.objects.filter(mobile__in=["13600000001", "13600000002"])
    assert {p.unit_id for p in created} == {province.school_a.pk}
    assert created.get(mobile="13600000001").title == "backbone"
    assert RoleGrant.objects.filter(person__in=created, role="teacher").count() == 2
    assert all(p.check_password(job.result["initial_password"]) for p in created)
    assert job.done == job.total == 7


def test_teacher_imported_twice_is_not_duplicated(province, run_on_commit):
    rows = [["陈一", "13600000001", "", "", "", ""]]
    first = run_import(
        run_on_commit,
        province.school_a_admin,
        "orgs.import_teachers",
        xlsx(TEACHER_HEADERS, rows),
        unit=province.school_a,
    )
    rows[0][4] = "名师"
    second = run_import(
        run_on_commit,
        province.school_a_admin,
        "orgs.import_teachers",
        xlsx(TEACHER_HEADERS, rows),
        unit=province.school_a,
    )
    assert (first.result["created"], second.result["created"], second.result["updated"]) == (
        1,
        0,
        1,
    )
    person = Person.objects.get(mobile="13600000001")
    assert person.title == "master"
    assert RoleGrant.objects.filter(person=person).count() == 1


def test_someone_elses_mobile_is_reported(province, run_on_commit):
    rows = [["冒名", province.teacher_b.mobile, "", "", "", ""]]
    job = run_import(
        run_on_commit,
        province.county_a_admin,
        "orgs.import_teachers",
        xlsx(TEACHER_HEADERS, rows),
        unit=province.school_a,
    )
    assert job.result["failed"] == 1
    assert Person.objects.get(mobile=province.teacher_b.mobile).unit == province.school_b


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 not a spreadsheet", "不是 xlsx"),
        (b"PK\x03\x04broken zip", "损坏"),
    ],
)
def test_non_xlsx_files_fail_with_a_clear_reason(province, run_on_commit, content, message):
    job = run_import(
        run_on_commit,
        province.school_a_admin,
        "orgs.import_teachers",
        SimpleUploadedFile("teachers.xlsx", content),
        unit=province.school_a,
    )
    assert job.state == "failed"
    assert message in job.message


def test_missing_headers_are_named(province, run_on_commit):
    job = run_import(
        run_on_commit,
        province.school_a_admin,
        "orgs.import_teachers",
        xlsx(["姓名", "电话"], [["陈一", "13600000001"]]),
        unit=province.school_a,
    )
    assert job.state == "failed"
    assert "手机号" in job.message
    assert not Person.objects.filter(full_name="陈一").exists()


def test_unit_import_creates_in_file_order_and_reports_unknown_parents(province, run_on_commit):
    upload = xlsx(
        UNIT_HEADERS,
        [
            [
                "9901010010",
                "东湖区新城小学",
                "学校",
                "990101",
                "城区",
                "",
                "刘校长",
                "13500000001",
                "",
                "",
                "",
            ],
            [
                "9901010011",
                "新城小学教学点",
                "教学点",
                "9901010010",
                "城区",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            ["9901010012", "孤儿学校", "学校", "999999", "城区", "", "", "", "", "", ""],
            ["9901020012", "越权学校", "学校", "990102", "县区", "", "", "", "", "", ""],
        ],
    )
    job = run_import(run_on_commit, province.county_a_admin, "orgs.import_units", upload)
    assert (job.result["created"], job.result["failed"]) == (2, 2)
    assert [(e["row"], e["column"]) for e in job.result["errors"]] == [
        (4, "上级单位代码"),
        (5, "上级单位代码"),
    ]
    school = Unit.objects.get(code="9901010010")
    assert school.get_parent() == province.county_a
    assert school.contacts.get(role="leader").name == "刘校长"
    assert Unit.objects.get(code="9901010011").get_parent() == school


def test_export_neutralises_formulas(province, run_on_commit):
    from youke.orgs.domain import people

    people.update_person(
        Actor(province.school_a_admin), province.teacher_a, full_name='=HYPERLINK("http://x")'
    )
    job = run_on_commit(jobs.create_job, Actor(province.county_a_admin), "orgs.export_people")
    job.refresh_from_db()
    assert job.state == "succeeded"
    sheet = load_workbook(job.output_file.open("rb")).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://x")' in names
    assert "李老师" not in names  # county B stays out of county A's export


def test_id_numbers_are_imported_encrypted_and_matched_by_hash(province, run_on_commit):
    from django.db import connection

    from youke.core.fields import keyed_hash

    province.teacher_b.id_card = valid_id_card(2)
    province.teacher_b.save(update_fields=["id_card"])
    existing = province.teacher_a
    rows = [
        ["陈一", "13600000001", valid_id_card(1), "", "", ""],
        ["陈二", "13600000002", valid_id_card(2), "", "", ""],  # held by teacher_b
        [existing.full_name, existing.mobile, valid_id_card(3), "", "", ""],  # adds a number
    ]
    job = run_import(
        run_on_commit,
        province.county_a_admin,
        "orgs.import_teachers",
        xlsx(TEACHER_HEADERS, rows),
        unit=province.school_a,
    )
    assert (job.result["created"], job.result["updated"], job.result["failed"]) == (1, 1, 1)
    assert [(e["row"], e["column"], e["reason"]) for e in job.result["errors"]] == [
        (3, "身份证号", "该身份证号已登记在其他账号上。")
    ]
    for serial, person in ((1, Person.objects.get(mobile="13600000001")), (3, existing)):
        person.refresh_from_db()
        assert person.id_card == valid_id_card(serial)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id_card, id_card_hash FROM orgs_person WHERE id = %s", [person.pk]
            )
            token, digest = cursor.fetchone()
        assert valid_id_card(serial)[-6:] not in token
        assert digest == keyed_hash(valid_id_card(serial))


def test_import_does_not_update_a_teacher_with_roles_outside_scope(province, run_on_commit):
    teacher = province.teacher_a
    RoleGrant.objects.create(person=teacher, unit=province.city, role="expert")
    rows = [[teacher.full_name, teacher.mobile, valid_id_card(8), "", "名师", ""]]
    job = run_import(
        run_on_commit,
        province.school_a_admin,
        "orgs.import_teachers",
        xlsx(TEACHER_HEADERS, rows),
        unit=province.school_a,
    )
    assert (job.result["updated"], job.result["failed"]) == (0, 1)
    assert [(e["row"], e["column"]) for e in job.result["errors"]] == [(2, "手机号")]
    teacher.refresh_from_db()
    assert (teacher.id_card, teacher.title) == (None, "")
