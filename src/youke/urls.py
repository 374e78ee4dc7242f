from django.urls import include, path
from django.views.i18n import set_language

from youke.api.urls import api
from youke.core.i18n import javascript_catalog

urlpatterns = [
    path("public/classrooms/", include("youke.public.urls_classrooms")),
    path("public/", include("youke.public.urls")),
    path("library/", include("youke.public.urls_library")),
    path("manage/library/", include("youke.manage.urls_library")),
    path("my/classrooms/", include("youke.portal.urls_classrooms")),
    path("my/library/", include("youke.portal.urls_my_library")),
    path("", include("youke.portal.urls")),
    path("manage/campaigns/", include("youke.manage.urls_campaigns")),
    path("manage/submissions/", include("youke.manage.urls_submissions")),
    path("manage/selection/", include("youke.manage.urls_selection")),
    path("manage/publicity/", include("youke.manage.urls_publicity")),
    path("manage/reviews/", include("youke.manage.urls_reviews")),
    path("manage/certificates/", include("youke.manage.urls_certificates")),
    path("manage/monitoring/", include("youke.manage.urls_monitoring")),
    path("manage/training/", include("youke.manage.urls_training")),
    path("manage/collections/", include("youke.manage.urls_collections")),
    path("manage/classrooms/", include("youke.manage.urls_classrooms")),
    path("manage/originality/", include("youke.manage.urls_originality")),
    path("manage/programmes/", include("youke.manage.urls_programmes")),
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
