"""Year-end reports of a programme: opened to the responsible units, per-task entries saved
as typed and required before submitting, consolidated exactly (xlsx rows, PDF in Chinese),
and the 择优推荐 chain of typical cases with its guarded steps and scoping."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.api.conftest import API
from tests.collections.conftest import pdf
from youke.collections.domain import returns
from youke.collections.enums import CollectionKind, ReturnState
from youke.collections.models import CollectionReturn
from youke.core.actor import Actor
from youke.core.models import AuditEvent
from youke.notifications.models import Notification
from youke.orgs.domain.units import PermissionDenied
from youke.programmes.domain import cases, yearend
from youke.programmes.enums import CaseState
from youke.programmes.models import CaseRecommendation, YearEndEntry

from .conftest import TODAY, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(province, programme, area):
    both = make_task(
        province,
        programme,
        area,
        units=[province.county_a, province.county_b],
        deadline=TODAY + datetime.timedelta(days=90),
        title="开齐开足国家课程",
    )
    east_only = make_task(
        province,
        programme,
        area,
        units=[province.county_a],
        deadline=TODAY + datetime.timedelta(days=90),
        title="建设跨学科主题学习案例库",
    )
    return both, east_only


@pytest.fixture
def report(province, programme, ledger):
    return yearend.open_report(
        Actor(province.city_admin),
        programme,
        year=2026,
        deadline=TODAY + datetime.timedelta(days=30),
    )


def the_return(report, unit) -> CollectionReturn:
    return CollectionReturn.objects.get(task=report.collection, unit=unit)


def fill(province, report, unit, admin, ledger, **extra):
    rows = {
        task.pk: {
            "done": f"{unit.name}完成了{task.title}",
            "percent": "80",
            "problems": "经费不足",
            "next_steps": "继续推进",
        }
        for task in ledger
        if task.units.filter(pk=unit.pk).exists()
    }
    for task_id, values in extra.items():
        rows[int(task_id[1:])].update(values)
    return yearend.save_entries(Actor(admin), the_return(report, unit), rows)


def test_opening_sends_to_the_responsible_units_once(province, programme, ledger, report):
    assert report.collection.kind == CollectionKind.REPORT
    assert report.collection.issuing_unit == province.city
    units = set(report.collection.returns.values_list("unit__name", flat=True))
    assert units == {"东湖区", "西岭县"}
    assert Notification.objects.filter(person=province.county_b_admin, kind="collection").exists()
    with pytest.raises(ValidationError):  # one report per year
        yearend.open_report(Actor(province.city_admin), programme, year=2026, deadline=TODAY)
    with pytest.raises(ValidationError):  # outside the programme's years
        yearend.open_report(Actor(province.city_admin), programme, year=2030, deadline=TODAY)
    with pytest.raises(PermissionDenied):
        yearend.open_report(Actor(province.county_a_admin), programme, year=2027, deadline=TODAY)


def test_entries_are_kept_as_typed_and_required_before_submitting(province, ledger, report):
    both, east_only = ledger
    east = the_return(report, province.county_a)
    errors = fill(
        province,
        report,
        province.county_a,
        province.county_a_admin,
        ledger,
        **{f"t{east_only.pk}": {"percent": "一半", "next_steps": ""}},
    )
    # the bad percentage is named; the rest of the row and the other task are saved
    assert set(errors) == {f"{east_only.pk}-percent", f"{east_only.pk}-next_steps"}
    assert "0–100" in errors[f"{east_only.pk}-percent"][0]
    saved = YearEndEntry.objects.get(collection_return=east, task=east_only)
    assert (saved.done, saved.percent, saved.problems) == (
        "东湖区完成了建设跨学科主题学习案例库",
        None,
        "经费不足",
    )
    # uploading the document (which submits) is refused while an entry is incomplete
    with pytest.raises(ValidationError) as refused:
        returns.add_version(Actor(province.county_a_admin), east, pdf())
    assert "尚缺 2 项" in refused.value.messages[0]
    east.refresh_from_db()
    assert east.state == ReturnState.PENDING and not east.versions.exists()
    assert not fill(
        province,
        report,
        province.county_a,
        province.county_a_admin,
        ledger,
        **{f"t{east_only.pk}": {"percent": "100%", "next_steps": "推广"}},
    )
    returns.add_version(Actor(province.county_a_admin), east, pdf())
    east.refresh_from_db()
    assert east.state == ReturnState.SUBMITTED
    with pytest.raises(ValidationError):  # awaiting review: no more edits
        fill(province, report, province.county_a, province.county_a_admin, ledger)
    # a unit never writes into another unit's return
    with pytest.raises(PermissionDenied):
        fill(province, report, province.county_a, province.county_b_admin, ledger)


def test_consolidation_groups_area_task_unit_exactly(
    province, ledger, report, run_on_commit, tmp_path
):
    both, east_only = ledger
    fill(province, report, province.county_a, province.county_a_admin, ledger)
    returns.add_version(
        Actor(province.county_a_admin), the_return(report, province.county_a), pdf()
    )
    # 西岭县 saved a draft only: it is listed as not filed, its draft is not consolidated
    fill(province, report, province.county_b, province.county_b_admin, ledger)
    job = run_on_commit(yearend.start_consolidation, Actor(province.city_admin), report)
    job.refresh_from_db()
    assert job.state == "succeeded", job.message
    report.refresh_from_db()
    sheet = load_workbook(io.BytesIO(report.xlsx.open("rb").read())).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert rows == [
        (
            "1. 转变教育理念",
            "开齐开足国家课程",
            "东湖区",
            "已报送待审",
            "东湖区完成了开齐开足国家课程",
            80,
            "经费不足",
            "继续推进",
            None,
        ),
        ("1. 转变教育理念", "开齐开足国家课程", "西岭县", "未报送", None, None, None, None, None),
        (
            "1. 转变教育理念",
            "建设跨学科主题学习案例库",
            "东湖区",
            "已报送待审",
            "东湖区完成了建设跨学科主题学习案例库",
            80,
            "经费不足",
            "继续推进",
            None,
        ),
    ]
    source = tmp_path / "yearend.pdf"
    source.write_bytes(report.pdf.open("rb").read())
    text = "".join(page.extract_text() for page in PdfReader(source).pages)
    assert "年度进展报告" in text and "东湖区完成了开齐开足国家课程" in text
    fonts = [f.get_object() for f in PdfReader(source).pages[0]["/Resources"]["/Font"].values()]
    cjk = [f for f in fonts if "/FontDescriptor" in f]
    assert cjk and all("/FontFile2" in f["/FontDescriptor"] for f in cjk)
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "40", "-png", str(source), str(tmp_path / "p")], check=True
        )
        assert sorted(tmp_path.glob("p*.png"))[0].stat().st_size > 1000
    with pytest.raises(PermissionDenied):
        yearend.start_consolidation(Actor(province.county_a_admin), report)


@pytest.fixture
def approved(province, ledger, report):
    fill(province, report, province.county_a, province.county_a_admin, ledger)
    east = the_return(report, province.county_a)
    returns.add_version(Actor(province.county_a_admin), east, pdf())
    returns.approve(Actor(province.city_admin), east)
    east.refresh_from_db()
    return east


def test_recommendation_chain_is_guarded_and_audited(province, ledger, report, approved):
    both, _east_only = ledger
    west = the_return(report, province.county_b)
    with pytest.raises(ValidationError):  # only approved returns
        cases.recommend(Actor(province.city_admin), report, west, title="案例", reason="好")
    with pytest.raises(PermissionDenied):  # the bureau recommends, not the unit
        cases.recommend(Actor(province.county_a_admin), report, approved, title="案例", reason="好")
    with pytest.raises(ValidationError):  # a reason is required
        cases.recommend(Actor(province.city_admin), report, approved, title="案例", reason=" ")
    entry = YearEndEntry.objects.get(collection_return=approved, task=both)
    case = cases.recommend(
        Actor(province.city_admin),
        report,
        approved,
        entry=entry,
        title="东湖区：开齐开足课程",
        reason="做法可推广",
    )
    assert (case.from_unit, case.to_unit, case.state) == (
        province.city,
        province.province,
        CaseState.PENDING,
    )
    assert Notification.objects.filter(person=province.province_admin, kind="recommended").exists()
    assert Notification.objects.filter(person=province.county_a_admin, kind="recommended").exists()
    with pytest.raises(ValidationError):  # one live step per case and level
        cases.recommend(
            Actor(province.city_admin), report, approved, entry=entry, title="再推", reason="重复"
        )
    with pytest.raises(ValidationError):  # forwarding needs an accepted case
        cases.forward(Actor(province.province_admin), case, reason="更上一层")
    with pytest.raises(PermissionDenied):  # the sender does not decide its own case
        cases.decide(Actor(province.city_admin), case, True)
    with pytest.raises(ValidationError):  # returning needs a reason
        cases.decide(Actor(province.province_admin), case, False, "")
    cases.decide(Actor(province.province_admin), case, True, "采纳")
    with pytest.raises(ValidationError):  # decided once
        cases.decide(Actor(province.province_admin), case, False, "改主意")
    up = cases.forward(Actor(province.province_admin), case, reason="全省推广")
    assert (up.from_unit, up.to_unit, up.previous) == (province.province, province.ministry, case)
    assert [s.pk for s in cases.chain(up)] == [case.pk, up.pk]
    cases.decide(Actor(province.platform_admin), up, False, "本年度名额已满")
    up.refresh_from_db()
    assert up.state == CaseState.RETURNED
    assert Notification.objects.filter(person=province.province_admin, kind="returned").exists()
    assert AuditEvent.objects.filter(object_type="programmes.caserecommendation").count() >= 4


def test_cases_are_scoped_and_other_counties_get_404(client, province, ledger, report, approved):
    case = cases.recommend(
        Actor(province.city_admin), report, approved, title="东湖区年度报告", reason="全面"
    )
    assert list(cases.inbox(province.province_admin)) == [case]
    assert not cases.inbox(province.city_admin).exists()
    client.force_login(province.county_b_admin)
    assert client.get(reverse("manage_programmes:case_detail", args=[case.pk])).status_code == 404
    assert (
        client.get(reverse("manage_programmes:yearend_return", args=[approved.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("manage_programmes:yearend_detail", args=[report.pk])).status_code == 404
    )
    client.force_login(province.county_a_admin)  # its own return's case is visible
    assert client.get(reverse("manage_programmes:case_detail", args=[case.pk])).status_code == 200
    client.force_login(province.province_admin)
    page = client.get(reverse("manage_programmes:case_list"))
    assert f'data-case="{case.pk}"' in page.content.decode()
    client.post(
        reverse("manage_programmes:case_decide", args=[case.pk]),
        {"decision": "accept", "comment": ""},
    )
    assert CaseRecommendation.objects.get(pk=case.pk).state == CaseState.ACCEPTED


def test_pages_open_fill_and_recommend(client, province, programme, ledger):
    client.force_login(province.city_admin)
    page = client.get(reverse("manage_programmes:yearend_list", args=[programme.pk]))
    assert page.status_code == 200 and "西岭县" in page.content.decode()
    answer = client.post(
        reverse("manage_programmes:yearend_open", args=[programme.pk]),
        {"year": "2026", "deadline": (TODAY + datetime.timedelta(days=20)).isoformat()},
    )
    report = programme.yearend_reports.get()
    assert answer.url == reverse("manage_programmes:yearend_detail", args=[report.pk])
    both, east_only = ledger
    east = the_return(report, province.county_a)
    client.force_login(province.county_a_admin)
    url = reverse("manage_programmes:yearend_return", args=[east.pk])
    typed = client.post(
        url,
        {
            f"t{both.pk}-done": "已开齐",
            f"t{both.pk}-percent": "abc",
            f"t{both.pk}-next_steps": "巩固",
            f"t{east_only.pk}-done": "建成案例库",
        },
    )
    html = typed.content.decode()
    assert typed.status_code == 200 and "完成百分比须为" in html and "已开齐" in html
    assert YearEndEntry.objects.get(collection_return=east, task=both).done == "已开齐"
    detail = client.get(reverse("manage_collections:return_detail", args=[east.pk]))
    assert 'id="yearend-link"' in detail.content.decode()
    client.force_login(province.city_admin)
    overview = client.get(reverse("manage_programmes:yearend_detail", args=[report.pk]))
    assert overview.status_code == 200 and 'id="yearend-consolidated"' in overview.content.decode()


def put(api, path: str, body: dict):
    return api.client.put(API + path, body, content_type="application/json")


def test_api_open_fill_recommend_and_decide(province, programme, ledger, api_as, run_on_commit):
    both, east_only = ledger
    city = api_as(province.city_admin)
    opened = city.post(
        f"/programmes/{programme.pk}/yearend",
        {"year": 2026, "deadline": (TODAY + datetime.timedelta(days=10)).isoformat()},
    )
    assert opened.status_code == 201, opened.content
    body = opened.json()
    assert [r["unit"]["name"] for r in body["returns"]] == ["东湖区", "西岭县"]
    east_id = next(r["id"] for r in body["returns"] if r["unit"]["name"] == "东湖区")
    east = api_as(province.county_a_admin)
    saved = put(
        east,
        f"/programmes/yearend/returns/{east_id}/entries",
        {
            "entries": [
                {"task": both.pk, "done": "已开齐", "percent": "90", "next_steps": "巩固"},
                {"task": east_only.pk, "done": "建库", "percent": "一百", "next_steps": "扩充"},
            ]
        },
    )
    assert saved.status_code == 200, saved.content
    assert list(saved.json()["problems"]) == [f"{east_only.pk}-percent"]
    assert [e["done"] for e in saved.json()["entries"]] == ["已开齐", "建库"]
    # another county: 404 on the return, the report and the cases
    west = api_as(province.county_b_admin)
    assert west.get(f"/programmes/yearend/returns/{east_id}/entries").status_code == 404
    assert west.get(f"/programmes/yearend/{body['id']}").status_code == 404
    put(
        east,
        f"/programmes/yearend/returns/{east_id}/entries",
        {"entries": [{"task": east_only.pk, "percent": "100"}]},
    )
    returns.add_version(
        Actor(province.county_a_admin), CollectionReturn.objects.get(pk=east_id), pdf()
    )
    returns.approve(Actor(province.city_admin), CollectionReturn.objects.get(pk=east_id))
    report = city.get(f"/programmes/yearend/{body['id']}").json()
    assert [(r["unit"], r["percent"]) for r in report["rows"]] == [
        ("东湖区", 90),
        ("西岭县", None),
        ("东湖区", 100),
    ]
    recommended = city.post(
        f"/programmes/yearend/returns/{east_id}/cases",
        {"title": "东湖区年度报告", "reason": "全面扎实"},
    )
    assert recommended.status_code == 201, recommended.content
    case_id = recommended.json()["id"]
    assert west.post(f"/programmes/cases/{case_id}/decision", {"accept": True}).status_code == 404
    province_api = api_as(province.province_admin)
    assert [c["id"] for c in province_api.get("/programmes/cases", inbox=True).json()["items"]] == [
        case_id
    ]
    decided = province_api.post(f"/programmes/cases/{case_id}/decision", {"accept": True})
    assert decided.json()["state"] == "accepted"
    up = province_api.post(f"/programmes/cases/{case_id}/forward", {"reason": "全省推广"})
    assert up.status_code == 201 and up.json()["to_unit"]["name"] == "教育部"
    download = f"/programmes/yearend/{body['id']}/consolidated"
    assert city.get(f"{download}.pdf").status_code == 404  # not built yet
    queued = run_on_commit(city.post, f"/programmes/yearend/{body['id']}/consolidate")
    assert queued.status_code == 202
    built = city.get(f"{download}.pdf")
    assert built.status_code == 200 and b"".join(built.streaming_content).startswith(b"%PDF")
    xlsx = city.get(f"{download}.xlsx")
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content).startswith(b"PK")
    assert east.get(f"{download}.pdf").status_code == 404  # a responsible unit, not the owner


def test_explicit_targets_must_lie_below_the_issuing_unit(province, today):
    from youke.collections.domain import tasks as collection_tasks

    task = collection_tasks.create_task(
        Actor(province.county_a_admin),
        issuing_unit=province.county_a,
        title="年度报告",
        kind=CollectionKind.REPORT,
        deadline=TODAY + datetime.timedelta(days=5),
    )
    with pytest.raises(ValidationError):
        collection_tasks.open_task(Actor(province.county_a_admin), task, [province.school_b])
    opened = collection_tasks.open_task(Actor(province.county_a_admin), task, [province.point_a])
    assert list(opened.returns.values_list("unit", flat=True)) == [province.point_a.pk]


def test_page_recommends_one_entry_of_an_approved_return(client, province, ledger, approved):
    both, _east_only = ledger
    entry = YearEndEntry.objects.get(collection_return=approved, task=both)
    client.force_login(province.city_admin)
    url = reverse("manage_programmes:yearend_return", args=[approved.pk])
    page = client.get(url).content.decode()
    assert f'data-recommend-entry="{entry.pk}"' in page
    client.post(
        reverse("manage_programmes:yearend_recommend", args=[approved.pk]),
        {"entry": entry.pk, "title": "开齐课程的东湖做法", "reason": "可复制"},
    )
    case = CaseRecommendation.objects.get()
    assert (case.entry, case.to_unit) == (entry, province.province)
    client.force_login(province.county_b_admin)
    refused = client.post(
        reverse("manage_programmes:yearend_recommend", args=[approved.pk]),
        {"title": "越权", "reason": "越权"},
    )
    assert refused.status_code == 404
