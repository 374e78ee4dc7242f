"""/api/v1/docs: Swagger UI from our own static files, under the site's strict CSP.

django-ninja's Swagger renderer falls back to a CDN template when "ninja" is not an installed
app, and its local template embeds the settings in a way our CSP must allow. This renderer
serves the npm-vendored Swagger UI (``core/static/vendor/swagger-ui/``) with the initializer
in ``api/static/api/docs.js``; the page needs no network beyond this site.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.shortcuts import render
from ninja.openapi.docs import DocsBase, _csrf_needed

from youke.core.middleware import CSP

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse
    from ninja import NinjaAPI


class LocalSwagger(DocsBase):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        response = render(
            request,
            "api/docs.html",
            {
                "api": api,
                "openapi_url": self.get_openapi_url(api, kwargs),
                "add_csrf": _csrf_needed(api),
            },
        )
        # The site-wide policy, set here so it holds even where the middleware skips docs.
        response.headers["Content-Security-Policy"] = CSP
        return response
