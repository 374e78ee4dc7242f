"""A bare page carrying the uploader, for the browser tests only (no template app needed)."""

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.utils.html import escape

from youke.urls import urlpatterns as site_patterns

PAGE = """<!doctype html>
<html lang="zh-hans"><head><meta charset="utf-8"><title>上传测试</title></head>
<body>
<div id="uploader" data-upload data-upload-endpoint="/api/v1/uploads/"
     data-spec="{spec}" data-metadata="{metadata}" data-csrf-token="{csrf}">
  <input type="file" id="file" data-upload-input>
  <progress id="progress" data-upload-progress max="100" value="0"></progress>
  <span id="speed" data-upload-speed></span> <span id="eta" data-upload-eta></span>
  <button type="button" id="pause" data-upload-pause>暂停</button>
  <button type="button" id="resume" data-upload-resume hidden>继续</button>
  <input type="hidden" id="result" data-upload-result>
  <div id="message" data-upload-message role="status"></div>
</div>
<script src="/static/vendor/tus/tus.min.js"></script>
<script src="/static/media/upload.js"></script>
</body></html>"""


def uploader_page(request):
    return HttpResponse(
        PAGE.format(
            spec=escape(request.GET.get("spec", "{}")),
            metadata=escape(request.GET.get("metadata", "{}")),
            csrf=get_token(request),
        )
    )


urlpatterns = [path("upload-test/", uploader_page), *site_patterns]
