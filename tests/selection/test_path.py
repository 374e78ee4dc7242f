"""A submission's path through the levels: staff rows, the teacher's line, the include."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from tests.selection.conftest import submitted
from tests.selection.test_summary_sheet import build_list
from youke.core.actor import Actor
from youke.selection.domain.entries import decide
from youke.selection.domain.path import path_context, staff_path, teacher_status
from youke.selection.enums import EntryState
from youke.submissions.enums import SubmissionState
from youke.submissions.models import Submission

pytestmark = pytest.mark.django_db


def render(context) -> str:
    return render_to_string("portal/_submission_path.html", context)


def test_teacher_lines_for_each_state(province, campaign, lessons):
    _row, (a, b, c) = build_list(province, campaign, lessons)
    assert teacher_status(a.submission) == "东湖区实验小学已推荐，等待县级初选"
    assert teacher_status(c.submission) == "未获东湖区实验小学推荐：重复"
    pending = submitted(campaign, province.teacher_b, lessons[5], "待审课")
    assert teacher_status(pending.submission) == "已提交，等待西岭县第一中学审核"
    decide(Actor(province.county_b_admin), pending, EntryState.RETURNED, reason="视频无声音")
    assert teacher_status(pending.submission) == "已被西岭县第一中学退回修改：视频无声音"
    draft = Submission.objects.create(
        campaign=campaign,
        category=a.submission.category,
        node=lessons[6],
        teacher=province.teacher_a,
        unit=province.school_a,
        title="草稿课",
        state=SubmissionState.DRAFT,
    )
    assert teacher_status(draft) == "尚未提交"


def test_recommended_before_and_after_confirmation(province, campaign, lessons):
    _row, (a, _b, _c) = build_list(province, campaign, lessons, confirm=False)
    assert teacher_status(a.submission) == "东湖区实验小学已推荐，等待名单确认"


def test_staff_rows_dates_actors_and_history(province, campaign, lessons):
    row, (a, _b, c) = build_list(province, campaign, lessons)
    rows = staff_path(a.submission)
    assert [(r.level_name, r.unit_name, r.state) for r in rows] == [
        ("学校推荐", "东湖区实验小学", EntryState.RECOMMENDED),
        ("县级初选", "东湖区", EntryState.PENDING),
    ]
    school = rows[0]
    assert school.decided_by == "东湖小学管理员"
    assert school.decided_at is not None
    assert school.list_confirmed_at == row.confirmed_at
    assert rows[1].list_confirmed_at is None
    assert [(e.actor_name, e.state_label) for e in school.history] == [
        ("系统", "待审"),
        ("东湖小学管理员", "推荐"),
    ]
    refused = staff_path(c.submission)[0]
    assert (refused.state_label, refused.reason) == ("不推荐", "重复")


def test_context_scopes_rows_by_coverage(province, campaign, lessons):
    _row, (a, _b, _c) = build_list(province, campaign, lessons)
    cases = {
        province.teacher_a: [],
        province.school_a_admin: ["学校推荐"],
        province.county_a_admin: ["学校推荐", "县级初选"],
        province.city_admin: ["学校推荐", "县级初选"],
        province.county_b_admin: [],
    }
    for person, levels in cases.items():
        context = path_context(person, a.submission)
        assert [r.level_name for r in context["path_rows"]] == levels, person.full_name
        assert context["teacher_status"] == "东湖区实验小学已推荐，等待县级初选"


def test_context_query_count_is_flat(province, campaign, lessons, django_assert_num_queries):
    _row, (a, _b, _c) = build_list(province, campaign, lessons)
    admin = province.city_admin
    path_context(admin, a.submission)  # warms the admin-path cache on the person
    # Entries (with their lists' confirmation) and audit; no expert confirmed checklist items,
    # so their confirmations are not asked for.
    with django_assert_num_queries(2):
        path_context(admin, a.submission)
    with CaptureQueriesContext(connection) as teacher_queries:
        path_context(province.teacher_a, a.submission)
    assert len(teacher_queries) <= 2


def test_include_renders_staff_table_and_teacher_line(province, campaign, lessons):
    _row, (a, _b, _c) = build_list(province, campaign, lessons)
    html = render(path_context(province.county_a_admin, a.submission))
    assert 'id="path-table"' in html
    assert "东湖小学管理员" in html and "县级初选" in html and "未确认" in html
    teacher_html = render(path_context(province.teacher_a, a.submission))
    assert "东湖区实验小学已推荐，等待县级初选" in teacher_html
    assert 'id="path-table"' not in teacher_html
    assert "东湖小学管理员" not in teacher_html
