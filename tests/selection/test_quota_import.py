"""Quotas by xlsx import (issue 4 item 2): good rows land with basis "import", bad rows listed."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.selection.conftest import level
from youke.core.enums import JobState
from youke.core.models import AuditEvent, Job
from youke.core.tabular import write_xlsx
from youke.selection.models import Quota

pytestmark = pytest.mark.django_db


def xlsx(rows, headers=("单位代码", "类别", "名额")) -> SimpleUploadedFile:
    handle = io.BytesIO()
    write_xlsx(handle, list(headers), rows)
    return SimpleUploadedFile("quotas.xlsx", handle.getvalue())


def upload(client, run_on_commit, campaign, unit, lv, rows):
    data = {"campaign": campaign.pk, "unit": unit.pk, "level": lv.pk, "file": xlsx(rows)}
    return run_on_commit(client.post, reverse("manage_selection:quota_import"), data)


def test_import_sets_good_rows_and_reports_bad_ones(client, province, campaign, run_on_commit):
    county = level(campaign, "county")
    category = campaign.categories.order_by("order", "id").first()
    client.force_login(province.city_admin)
    response = upload(
        client,
        run_on_commit,
        campaign,
        province.city,
        county,
        [
            ["990101", "", 5],
            ["990102", category.name, 2],
            ["999999", "", 3],  # unknown unit code
            ["990000", "", 3],  # the province: outside the city's scope
            ["990102", "", -1],  # negative
            ["990101", "没有这个类别", 1],
            ["9901010001", "", 1],  # a school, not a county
        ],
    )
    job = Job.objects.get(kind="selection.import_quotas")
    assert response.status_code == 302
    assert response["Location"] == reverse("manage:job_detail", args=[job.pk])
    assert job.state == JobState.SUCCEEDED, job.message
    assert (job.result["created"], job.result["updated"], job.result["failed"]) == (2, 0, 5)
    assert [(e["row"], e["column"]) for e in job.result["errors"]] == [
        (4, "单位代码"),
        (5, "单位代码"),
        (6, "名额"),
        (7, "类别"),
        (8, ""),
    ]
    assert "999999 不存在或不在您的管理范围内" in job.result["errors"][0]["reason"]
    assert "不能为负数" in job.result["errors"][2]["reason"]
    quotas = Quota.objects.filter(level=county)
    assert sorted(quotas.values_list("unit__code", "category__name", "allowed", "basis")) == [
        ("990101", None, 5, "import"),
        ("990102", category.name, 2, "import"),
    ]
    assert AuditEvent.objects.filter(object_type="selection.quota").count() == 2

    upload(client, run_on_commit, campaign, province.city, county, [["990101", "", 7]])
    job = Job.objects.filter(kind="selection.import_quotas").latest("id")
    assert (job.result["created"], job.result["updated"], job.result["failed"]) == (0, 1, 0)
    assert Quota.objects.get(level=county, unit=province.county_a, category=None).allowed == 7


def test_quota_page_offers_template_and_upload(client, province, campaign):
    county = level(campaign, "county")
    client.force_login(province.city_admin)
    query = {"campaign": campaign.pk, "unit": province.city.pk, "level": county.pk}
    html = client.get(reverse("manage_selection:quotas"), query).content.decode()
    assert 'id="quota-import"' in html and 'id="quota-template"' in html
    response = client.get(reverse("manage_selection:quota_template"), query)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["单位代码", "类别", "名额"]
    assert [(r[0], r[3]) for r in rows[1:]] == [("990101", "东湖区"), ("990102", "西岭县")]


def test_another_countys_admin_gets_404(client, province, campaign, run_on_commit):
    county = level(campaign, "county")
    client.force_login(province.county_b_admin)
    response = upload(client, run_on_commit, campaign, province.city, county, [["990101", "", 5]])
    assert response.status_code == 404
    query = {"campaign": campaign.pk, "unit": province.city.pk, "level": county.pk}
    assert client.get(reverse("manage_selection:quota_template"), query).status_code == 404
    assert not Job.objects.exists() and not Quota.objects.exists()
