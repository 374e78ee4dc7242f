"""Error pages in Chinese with the site's navigation; the 500 page needs no request context."""

import pytest
from django.template import loader
from django.test import RequestFactory
from django.urls import reverse

from youke.core import errors
from youke.core.templatetags.youke_format import format_size

pytestmark = pytest.mark.django_db

LINKS = ["/dashboard/", "/catalog/", "/public/publicity/", "/accounts/login/"]


def _links(html: str) -> list[str]:
    start = html.index('id="error-links"')
    block = html[start : html.index("</ul>", start)]
    return [part.split('"')[0] for part in block.split('href="')[1:]]


def test_404_for_a_visitor_is_chinese_with_the_public_header(client):
    response = client.get("/no/such/page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<title>页面不存在 · 优课</title>" in html
    assert "您要找的页面不存在，或不在您的管理范围内" in html
    assert 'id="site-header"' in html
    assert _links(html) == LINKS


def test_404_for_a_signed_in_admin_keeps_the_main_menu(client, province):
    client.force_login(province.county_a_admin)
    html = client.get(reverse("manage:unit_detail", args=[province.county_b.pk])).content.decode()
    assert "页面不存在" in html
    assert 'id="mainnav"' in html and 'id="site-header"' not in html
    assert "审计日志" in html  # the admin's menu


def test_403_page(province):
    request = RequestFactory().get("/")
    request.user = province.teacher_a
    request.session = {}
    response = errors.permission_denied(request)
    assert response.status_code == 403
    assert "没有权限" in response.content.decode()


def test_500_page_renders_without_a_request_context():
    response = errors.server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错了" in html and "您已保存的内容不会丢失" in html
    assert _links(html) == LINKS
    # The bare template too: no request, no context processors.
    assert "服务器出错了" in loader.get_template("core/error.html").render(errors._page(500))


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (0, "0.0 KB"),
        (100, "0.1 KB"),
        (1536, "1.5 KB"),
        (1024**2, "1.0 MB"),
        (int(2.25 * 1024**2), "2.2 MB"),
        (1024**3, "1.0 GB"),
        (5 * 1024**3 + 1024**3 // 2, "5.5 GB"),
        (None, "—"),
    ],
)
def test_one_file_size_style(size, shown):
    assert format_size(size) == shown
