"""The public 公示 page: pages of 50, search, totals, flat queries, cache, ETag and 304."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_person
from tests.public.conftest import add_coauthor, grow
from youke.core.actor import Actor
from youke.orgs.enums import Role
from youke.selection.domain import publicity as domain
from youke.selection.domain import publicity_list

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    return [int(x) for x in re.findall(r'data-entry="(\d+)"', response.content.decode())]


def url(publicity, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("public:publicity_detail", args=[publicity.pk]) + (f"?{query}" if query else "")


def test_pages_of_fifty_with_totals_and_numbers(client, published, province, campaign):
    publicity, (a, b, _c) = published
    grow(publicity, province, campaign, 118)
    order = [row["id"] for row in publicity_list.all_rows(publicity)]
    assert len(order) == 120 and {a.pk, b.pk} <= set(order)

    first = client.get(url(publicity))
    html = first.content.decode()
    assert ids(first) == order[:50]
    assert "名单共 120 件作品 · 第 1 / 3 页" in html
    assert f'href="/public/publicity/{publicity.pk}/?page=2" rel="next"' in html
    assert "<td>1</td>" in html

    last = client.get(url(publicity, page=3))
    assert ids(last) == order[100:]
    assert "<td>101</td>" in last.content.decode()
    # Past the end (or nonsense) answers the nearest real page, never an error.
    assert ids(client.get(url(publicity, page=99))) == order[100:]
    assert ids(client.get(url(publicity, page="x"))) == order[:50]


def test_rows_name_teachers_node_category_and_objection(client, published, province):
    publicity, (a, b, _c) = published
    add_coauthor(b, province.teacher_b)
    domain.file_objection(
        publicity, a, name="张三", contact="13800000000", reason="抄袭", ip="10.0.0.1"
    )
    rows = {row["id"]: row for row in publicity_list.all_rows(publicity)}
    assert rows[b.pk]["teachers"] == "王老师、李老师"
    assert rows[b.pk]["title"] == "乙课" and rows[b.pk]["school"] == "东湖区实验小学"
    assert rows[b.pk]["level"] == publicity.level.name
    assert rows[a.pk]["objection"] == "异议核实中" and rows[b.pk]["objection"] == ""
    html = client.get(url(publicity)).content.decode()
    row_b = html[html.index(f'data-entry="{b.pk}"') :].split("</tr>")[0]
    node = b.submission.node
    assert f"<td>{node.code} {node.name}</td>" in row_b
    assert "<td>王老师、李老师</td>" in row_b
    assert f'href="/public/publicity/{publicity.pk}/entries/{b.pk}/objection/"' in row_b
    objection_url = reverse("public:objection_form", args=[publicity.pk, b.pk])
    assert client.get(objection_url).status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [("乙", "b"), ("实验小学", "ab"), ("王老", "ab"), ("李老师", "b"), ("没有这个", "")],
)
def test_search_by_title_school_teacher_or_coauthor(client, published, province, query, expected):
    publicity, (a, b, _c) = published
    add_coauthor(b, province.teacher_b)
    response = client.get(url(publicity, q=query))
    assert ids(response) == [{"a": a.pk, "b": b.pk}[k] for k in expected]
    html = response.content.decode()
    assert f"搜索“{query}”：找到 {len(expected)} 件（名单共 2 件）" in html
    if not expected:
        assert "没有找到符合条件的作品" in html


def test_search_pages_keep_the_query(client, published, province, campaign):
    publicity, _entries = published
    grow(publicity, province, campaign, 60, title="几何")
    grow(publicity, province, campaign, 10, title="代数")
    html = client.get(url(publicity, q="几何")).content.decode()
    assert "找到 60 件（名单共 72 件）" in html
    assert "?page=2&amp;q=%E5%87%A0%E4%BD%95" in html
    assert len(ids(client.get(url(publicity, q="几何", page=2)))) == 10


def _queries(client, address) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def test_query_count_is_flat_from_ten_to_a_thousand_rows(client, published, province, campaign):
    publicity, _entries = published
    grow(publicity, province, campaign, 8)
    small = (_queries(client, url(publicity)), _queries(client, url(publicity, q="拓展")))
    grow(publicity, province, campaign, 990)
    large = (_queries(client, url(publicity)), _queries(client, url(publicity, q="拓展")))
    assert small == large


def test_second_visit_is_served_from_the_cache(client, published):
    publicity, _entries = published
    cold = _queries(client, url(publicity))
    with CaptureQueriesContext(connection) as warm:
        client.get(url(publicity))
    assert len(warm) < cold
    assert not any("selection_levelentry" in q["sql"] for q in warm.captured_queries)


def test_etag_and_last_modified_answer_304(client, published):
    publicity, _entries = published
    first = client.get(url(publicity))
    etag, modified = first["ETag"], first["Last-Modified"]
    assert "no-cache" in first["Cache-Control"] and "private" in first["Cache-Control"]
    again = client.get(url(publicity), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag
    assert client.get(url(publicity), HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    # Another page or search is another representation.
    other = client.get(url(publicity, q="乙"), HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200 and other["ETag"] != etag


def test_upheld_objection_invalidates_page_and_etag(client, published, province, run_on_commit):
    publicity, (a, b, _c) = published
    before = client.get(url(publicity))
    assert ids(before) == [a.pk, b.pk]
    filed = domain.file_objection(
        publicity, a, name="张三", contact="13800000000", reason="抄袭", ip="10.0.0.9"
    )
    checking = client.get(url(publicity), HTTP_IF_NONE_MATCH=before["ETag"])
    assert checking.status_code == 200 and "异议核实中" in checking.content.decode()
    run_on_commit(
        domain.resolve_objection,
        Actor(province.school_a_admin),
        filed,
        upheld=True,
        resolution="查实抄袭",
    )
    after = client.get(url(publicity), HTTP_IF_NONE_MATCH=checking["ETag"])
    assert after.status_code == 200
    assert ids(after) == [b.pk]
    assert "名单共 1 件作品" in after.content.decode()
    assert after["ETag"] not in (before["ETag"], checking["ETag"])
    publicity.refresh_from_db()
    assert publicity.version == 3  # filed, then upheld (the entry left the list)


def test_rejected_objection_shows_on_the_page(client, published, province):
    publicity, (a, _b, _c) = published
    filed = domain.file_objection(
        publicity, a, name="张三", contact="13800000000", reason="抄袭", ip="10.0.0.8"
    )
    client.get(url(publicity))
    domain.resolve_objection(
        Actor(province.school_a_admin), filed, upheld=False, resolution="系原创作品"
    )
    html = client.get(url(publicity)).content.decode()
    row_a = html[html.index(f'data-entry="{a.pk}"') :].split("</tr>")[0]
    assert "<td>异议不成立</td>" in row_a


def test_signed_in_visitor_gets_own_etag(client, published, province):
    publicity, _entries = published
    anonymous = client.get(url(publicity))["ETag"]
    reader = make_person(province.school_b, Role.TEACHER, username="reader", full_name="读者")
    client.force_login(reader)
    response = client.get(url(publicity), HTTP_IF_NONE_MATCH=anonymous)
    assert response.status_code == 200 and response["ETag"] != anonymous


def test_unpublished_window_is_404(client, published):
    publicity, _entries = published
    type(publicity).objects.filter(pk=publicity.pk).update(
        starts_at=publicity.ends_at.replace(year=publicity.ends_at.year + 1),
        ends_at=publicity.ends_at.replace(year=publicity.ends_at.year + 2),
    )
    assert client.get(url(publicity)).status_code == 404
    download = reverse("public:publicity_download", args=[publicity.pk, "xlsx"])
    assert client.get(download).status_code == 404
