from django.urls import include, path
from django.views.i18n import set_language

from youke.api.urls import api
from youke.core.i18n import javascript_catalog

urlpatterns = [
    path("public/", include("youke.public.urls")),
    path("", include("youke.portal.urls")),
    path("manage/campaigns/", include("youke.manage.urls_campaigns")),
    path("manage/submissions/", include("youke.manage.urls_submissions")),
    path("manage/selection/", include("youke.manage.urls_selection")),
    path("manage/publicity/", include("youke.manage.urls_publicity")),
    path("manage/reviews/", include("youke.manage.urls_reviews")),
    path("manage/certificates/", include("youke.manage.urls_certificates")),
    path("manage/", include("youke.manage.urls")),
    path("api/v1/uploads/", include("youke.media.urls")),
    path("api/v1/", api.urls),
    path("notifications/", include("youke.notifications.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/<str:language>/", javascript_catalog, name="javascript_catalog"),
]

handler403 = "youke.core.errors.permission_denied"
handler404 = "youke.core.errors.page_not_found"
handler500 = "youke.core.errors.server_error"
