"""Resource links over the API: add, list, delete, shown in the package's slots; scoped as
materials are (404 outside the package's scope)."""

from __future__ import annotations

import pytest

from tests.api.conftest import NOT_FOUND
from tests.campaigns.conftest import catalog  # noqa: F401  (fixture)
from tests.selection.conftest import otol_campaign  # noqa: F401  (fixture)
from tests.submissions.conftest import requirement
from youke.core.actor import Actor
from youke.submissions.domain import packages
from youke.submissions.models import MaterialLink

pytestmark = pytest.mark.django_db

URL = "https://www.eduyun.cn/res/42"


@pytest.fixture
def draft(province, otol_campaign, catalog):  # noqa: F811
    return packages.start_submission(
        Actor(province.teacher_a),
        otol_campaign,
        otol_campaign.categories.get(code="showcase"),
        catalog.lesson4,
        title="亿以内数的认识",
    )


def test_add_list_show_and_delete(province, draft, api_as):
    api = api_as(province.teacher_a)
    courseware = requirement(draft.campaign, "showcase", "courseware")
    body = {"requirement_id": courseware.pk, "title": "课件（网盘）", "url": URL}
    response = api.post(f"/submissions/{draft.pk}/links", body)
    assert response.status_code == 201
    link = MaterialLink.objects.get()
    got = response.json()
    assert got == {
        "id": link.pk,
        "requirement_id": courseware.pk,
        "period": 1,
        "title": "课件（网盘）",
        "url": URL,
        "host": "www.eduyun.cn",
        "added_at": got["added_at"],
    }
    assert got["added_at"].startswith(link.added_at.strftime("%Y-%m-%dT%H:%M:%S"))
    assert api.get(f"/submissions/{draft.pk}/links").json() == [got]
    slots = api.get(f"/submissions/{draft.pk}").json()["materials"]
    slot = next(s for s in slots if s["requirement"]["code"] == "courseware")
    assert (slot["state"], slot["state_label"], slot["blocks_submission"], slot["links"]) == (
        "linked",
        "已提供链接",
        False,
        [got],
    )
    assert slot["requirement"]["accepts_link"] is True
    listed = api.get("/submissions", check_state="linked").json()["items"]
    assert [item["id"] for item in listed] == [draft.pk]
    assert api.get("/submissions", check_state="failed").json()["items"] == []
    assert api.delete(f"/submissions/{draft.pk}/links/{link.pk}").status_code == 204
    assert api.get(f"/submissions/{draft.pk}/links").json() == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "javascript:alert(1)",
            "只接受以 http:// 或 https:// 开头的网址，“javascript:”链接不行。请填写网页地址。",
        ),
        (
            "http://192.168.0.8/x",
            "“192.168.0.8”是内网或本机地址，评审专家无法打开。请把资源放到公开可访问的网站上，再填写其网址。",
        ),
    ],
)
def test_bad_url_is_422_naming_the_field(province, draft, api_as, url, message):
    courseware = requirement(draft.campaign, "showcase", "courseware")
    response = api_as(province.teacher_a).post(
        f"/submissions/{draft.pk}/links",
        {"requirement_id": courseware.pk, "title": "课件", "url": url},
    )
    assert response.status_code == 422
    assert message in str(response.json())
    assert not MaterialLink.objects.exists()


def test_over_long_url_is_refused_by_the_schema(province, draft, api_as):
    courseware = requirement(draft.campaign, "showcase", "courseware")
    response = api_as(province.teacher_a).post(
        f"/submissions/{draft.pk}/links",
        {"requirement_id": courseware.pk, "title": "课件", "url": URL + "a" * 500},
    )
    assert response.status_code == 422
    assert "url" in str(response.json())


def test_other_school_gets_404_and_school_admin_cannot_write(province, draft, api_as):
    courseware = requirement(draft.campaign, "showcase", "courseware")
    link = MaterialLink.objects.create(
        submission=draft, requirement=courseware, title="课件", url=URL
    )
    other = api_as(province.teacher_b)
    body = {"requirement_id": courseware.pk, "title": "x", "url": URL + "x"}
    responses = [
        other.get(f"/submissions/{draft.pk}/links"),
        other.post(f"/submissions/{draft.pk}/links", body),
        other.delete(f"/submissions/{draft.pk}/links/{link.pk}"),
    ]
    assert [(r.status_code, r.json()) for r in responses] == [(404, NOT_FOUND)] * 3
    admin = api_as(province.school_a_admin)
    assert len(admin.get(f"/submissions/{draft.pk}/links").json()) == 1
    assert admin.post(f"/submissions/{draft.pk}/links", body).status_code == 404
    assert admin.delete(f"/submissions/{draft.pk}/links/{link.pk}").status_code == 404
    assert MaterialLink.objects.count() == 1
