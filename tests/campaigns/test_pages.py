"""Campaign admin pages render exact content, validate, and hide what is not yours."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.campaigns.html import table_rows
from youke.campaigns.domain.campaigns import set_campaign_state
from youke.campaigns.domain.templates import create_campaign_from_template
from youke.campaigns.models import Campaign, NodeClosure, UnitDeadline
from youke.core.actor import Actor
from youke.core.models import Job

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"manage_campaigns:{name}", args=args)


@pytest.fixture
def published(showcase, province):
    set_campaign_state(showcase, "published", actor=Actor(province.city_admin))
    return showcase


def test_list_for_county_admin(client, province, published, quality):
    client.force_login(province.county_a_admin)  # the province's draft is not listed
    rows = table_rows(client.get(url("campaign_list")).content.decode(), "campaign-table")
    assert rows[1:] == [
        [
            "2026年青山市一师一优课",
            "一师一优课、一课一名师",
            "2026",
            "青山市",
            "进行中",
            "2026-08-31 18:00",
        ]
    ]


def test_county_admin_sees_city_campaign_but_cannot_edit(client, province, published):
    client.force_login(province.county_a_admin)
    html = client.get(url("campaign_detail", published.pk)).content.decode()
    assert "修改设置" not in html
    assert client.get(url("campaign_edit", published.pk)).status_code == 404
    response = client.post(url("campaign_set_state", published.pk), {"state": "closed"})
    assert response.status_code == 404
    assert Campaign.objects.get(pk=published.pk).state == "published"


def test_other_citys_campaign_is_404(client, province, published):
    client.force_login(province.teacher_a)
    assert client.get(url("campaign_list")).status_code == 404  # admin pages only
    client.force_login(province.county_a_admin)
    Campaign.objects.filter(pk=published.pk).update(state="draft")
    assert client.get(url("campaign_detail", published.pk)).status_code == 404


def test_create_from_template(client, province, catalog):
    client.force_login(province.city_admin)
    page = client.get(url("campaign_create")).content.decode()
    assert "青山市（市）" in page and "东湖区（县(区)）" in page and "示范省" not in page
    response = client.post(
        url("campaign_create"),
        {
            "template_key": "quality_course",
            "owner_unit": province.city.pk,
            "year": 2026,
            "name": "",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("campaign_detail", campaign.pk)
    assert (campaign.name, campaign.owner_unit, campaign.state) == (
        "2026年基础教育精品课",
        province.city,
        "draft",
    )


def test_detail_shows_the_whole_setup(client, province, published):
    client.force_login(province.city_admin)
    html = client.get(url("campaign_detail", published.pk)).content.decode()
    assert table_rows(html, "level-table") == [
        ["顺序", "级别", "负责单位", "截止时间", "试讲", "奖项"],
        ["1", "学校推荐", "学校", "2026-08-31 18:00", "—", "—"],
        ["2", "县级推荐", "县(区)", "2026-09-05 18:00", "—", "—"],
        [
            "3",
            "市级遴选",
            "市",
            "2026-09-11 18:00",
            "—",
            "市级一等奖（10%）、市级二等奖（20%）、市级三等奖（30%）",
        ],
        ["4", "公示", "市", "2026-12-25 18:00", "—", "—"],
    ]
    assert table_rows(html, "window-table")[1:] == [
        ["小学四至六年级", "2026-03-16", "2026-04-30", "1"],
        ["小学一至三年级", "2026-03-16", "2026-05-31", "1"],
        ["初中", "2026-04-01", "2026-06-30", "1"],
        ["高中", "2026-06-01", "2026-08-25", "0"],
        ["学前教育、职业教育", "2026-04-01", "2026-08-25", "0"],
    ]
    assert "选交；市级遴选及以上必交" in html
    assert "最短时长（秒） 1800（不通过）" in html
    assert "☐ 至少双机位录制" in html
    assert "参与晒课 10 学时；获省级及以上优课 50 学时" in html
    assert "改为“已结束”" in html


def test_edit_validates_and_saves(client, province, published):
    client.force_login(province.city_admin)
    page = client.get(url("campaign_edit", published.pk))
    form = page.context["form"]
    data = {name: field.value() for name, field in ((n, form[n]) for n in form.fields)}
    data = {k: v for k, v in data.items() if v not in (None, False)}
    data["opens_at"] = "2026-03-16T00:00"
    data["closes_at"] = "2026-12-31T23:59"
    for key in list(data):
        if key.startswith("level_"):
            data[key] = data[key].strftime("%Y-%m-%dT%H:%M")
    junior = published.windows.get(label="初中")
    data[f"window_{junior.pk}_opens"] = "2026-03-01"
    response = client.post(url("campaign_edit", published.pk), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        f"window_{junior.pk}_opens": [
            "上传时间段“初中”（2026-03-01 至 2026-06-30）必须在活动时间 2026-03-16 至 2026-12-31 "
            "之内。请调整时间段或活动时间。"
        ]
    }
    data[f"window_{junior.pk}_opens"] = "2026-04-02"
    data["name"] = "青山市晒课活动"
    response = client.post(url("campaign_edit", published.pk), data)
    assert response.status_code == 302
    junior.refresh_from_db()
    assert junior.opens_on == datetime.date(2026, 4, 2)
    assert Campaign.objects.get(pk=published.pk).name == "青山市晒课活动"


def test_publish_and_close(client, province, showcase):
    client.force_login(province.city_admin)
    response = client.post(url("campaign_set_state", showcase.pk), {"state": "closed"}, follow=True)
    assert "活动当前为“草稿”，不能变为“已结束”。" in response.content.decode()
    client.post(url("campaign_set_state", showcase.pk), {"state": "published", "reason": "启动"})
    assert Campaign.objects.get(pk=showcase.pk).state == "published"


def test_internal_deadline_page(client, province, published):
    client.force_login(province.county_a_admin)
    page = client.get(url("campaign_deadlines", published.pk))
    assert [label for _pk, label in page.context["form"].fields["unit"].choices] == [
        "东湖区",
        "东湖区实验小学",
    ]
    school_level = published.levels.get(key="school")
    response = client.post(
        url("campaign_deadlines", published.pk),
        {"unit": province.county_a.pk, "level": school_level.pk, "deadline": "2026-09-02T18:00"},
    )
    assert response.context["form"].errors == {
        "deadline": [
            "内部截止时间不能晚于青山市规定的“学校推荐”截止时间 2026-08-31 18:00。"
            "请选择不晚于该时间的时间。"
        ]
    }
    response = client.post(
        url("campaign_deadlines", published.pk),
        {"unit": province.county_a.pk, "level": school_level.pk, "deadline": "2026-08-20T18:00"},
        follow=True,
    )
    assert table_rows(response.content.decode(), "unit-deadline-table")[1:] == [
        ["东湖区", "学校推荐", "2026-08-20 18:00", "东湖区管理员"]
    ]
    assert UnitDeadline.objects.get().set_by == province.county_a_admin
    client.force_login(province.county_b_admin)  # the other county does not see it
    html = client.get(url("campaign_deadlines", published.pk)).content.decode()
    assert table_rows(html, "unit-deadline-table")[1:] == [["还没有设置内部截止时间。"]]


def test_node_page_close_and_reopen(client, province, quality, catalog):
    """精品课 has no upload windows, so the result does not depend on today's date."""
    published = quality
    set_campaign_state(quality, "published", actor=Actor(province.province_admin))
    client.force_login(province.province_admin)
    nodes_url = url("campaign_nodes", published.pk)
    html = client.get(nodes_url, {"q": "亿以内"}).content.decode()
    rows = table_rows(html, "node-table")
    assert [r[:4] for r in rows[1:]] == [
        ["亿以内数的认识", "C010201040101", "课", "开放"],
        ["亿以内数的读法", "C010201040102", "课", "开放"],
    ]
    response = client.post(
        url("campaign_node_close", published.pk, catalog.lesson4.pk), {"reason": "教材修订"}
    )
    assert response["Location"] == f"{nodes_url}?parent={catalog.lesson4.get_parent().pk}"
    html = client.get(nodes_url, {"parent": catalog.lesson4.get_parent().pk}).content.decode()
    assert table_rows(html, "node-table")[1][:5] == [
        "亿以内数的认识",
        "C010201040101",
        "课",
        "关闭",
        "管理员已关闭该节点：教材修订",
    ]
    client.post(url("campaign_node_reopen", published.pk, catalog.lesson4.pk))
    assert not NodeClosure.objects.exists()
    client.force_login(province.city_admin)  # reads the status, cannot act
    html = client.get(nodes_url, {"q": "亿以内"}).content.decode()
    assert "关闭原因" not in html
    response = client.post(
        url("campaign_node_close", published.pk, catalog.lesson4.pk), {"reason": "x"}
    )
    assert response.status_code == 404


def test_past_award_page_and_template(client, province, catalog, run_on_commit):
    client.force_login(province.county_a_admin)
    assert client.get(url("past_award_import")).status_code == 404
    client.force_login(province.city_admin)
    html = client.get(url("past_award_import")).content.decode()
    assert "平台现有 0 条记录" in html
    template = client.get(url("past_award_template"))
    assert (
        template["Content-Disposition"] == 'attachment; filename="youke-past-awards-template.xlsx"'
    )
    upload = SimpleUploadedFile("awards.xlsx", template.content)  # the example row is bad here
    response = run_on_commit(client.post, url("past_award_import"), {"file": upload})
    job = Job.objects.get()
    assert response["Location"] == reverse("manage:job_detail", args=[job.pk])
    html = client.get(response["Location"]).content.decode()
    assert "节点编号 T00000006 不存在。请核对课程目录中的节点编号。" in html
    assert "导入完成：新增 0 条获奖记录，0 条已存在未重复导入，1 行有错误未导入。" in html


def test_campaign_list_query_count_is_flat(client, province, catalog):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("campaign_list")).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(province.city_admin)
    actor = Actor(province.city_admin)
    create_campaign_from_template(actor, province.city, "quality_course", name="", year=2024)
    one = queries()
    for year in (2025, 2026):
        create_campaign_from_template(actor, province.city, "quality_course", name="", year=year)
    assert queries() == one
