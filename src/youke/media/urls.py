"""tus endpoints, mounted at /api/v1/uploads/ (before the ninja API, which needs parsed bodies)."""

from django.urls import path

from youke.media import tus

app_name = "media"

urlpatterns = [
    path("", tus.collection, name="collection"),
    path("<uuid:upload_id>", tus.resource, name="resource"),
    path("<uuid:upload_id>/status", tus.status, name="status"),
]
