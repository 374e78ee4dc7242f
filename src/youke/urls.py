from django.urls import include, path

from youke.api.urls import api

urlpatterns = [
    path("", include("youke.portal.urls")),
    path("manage/", include("youke.manage.urls")),
    path("api/v1/", api.urls),
]
