from django.urls import include, path
from django.views.i18n import set_language

from youke.api.urls import api

urlpatterns = [
    path("", include("youke.portal.urls")),
    path("manage/campaigns/", include("youke.manage.urls_campaigns")),
    path("manage/submissions/", include("youke.manage.urls_submissions")),
    path("manage/selection/", include("youke.manage.urls_selection")),
    path("manage/", include("youke.manage.urls")),
    path("api/v1/uploads/", include("youke.media.urls")),
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
]
