"""Error pages in Chinese with the site's navigation (``handler403/404/500`` in ``urls.py``).

The 500 page renders without the request's context processors: whatever broke the request
(the database, a context processor) must not break the error page too.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext as _


def _page(status: int) -> dict:
    texts = {
        403: (
            _("没有权限"),
            _(
                "您的账号无权进行这项操作。如需要，请联系本单位管理员授予相应角色，或切换到有权限的角色。"
            ),
        ),
        404: (
            _("页面不存在"),
            _("您要找的页面不存在，或不在您的管理范围内。请检查网址，或从下面的链接重新进入。"),
        ),
        500: (
            _("服务器出错了"),
            _("处理请求时出现了错误，已记录下来等待处理。您已保存的内容不会丢失，请稍后重试。"),
        ),
    }
    heading, explanation = texts[status]
    return {"status": status, "heading": heading, "explanation": explanation}


def permission_denied(request, exception=None):
    body = loader.render_to_string("core/error.html", _page(403), request)
    return HttpResponse(body, status=403)


def page_not_found(request, exception=None):
    body = loader.render_to_string("core/error.html", _page(404), request)
    return HttpResponse(body, status=404)


def server_error(request):
    body = loader.get_template("core/error.html").render(_page(500))
    return HttpResponse(body, status=500)
