"""The pages these tests render, plus the notification pages (included at notifications/
until the project URLconf includes them)."""

from django.urls import include, path
from django.views.i18n import set_language

from youke.api.urls import api

urlpatterns = [
    path("notifications/", include("youke.notifications.urls")),
    path("", include("youke.portal.urls")),
    path("manage/campaigns/", include("youke.manage.urls_campaigns")),
    path("manage/submissions/", include("youke.manage.urls_submissions")),
    path("manage/selection/", include("youke.manage.urls_selection")),
    path("manage/", include("youke.manage.urls")),
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
]
