from django.urls import path

from youke.manage.views import collections as views

app_name = "manage_collections"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.task_create, name="task_create"),
    path("<int:task_id>/", views.task_detail, name="task_detail"),
    path("<int:task_id>/contacts.xlsx", views.task_export, name="task_export"),
    path("<int:task_id>/<str:action>/", views.task_action, name="task_action"),
    path("returns/<int:return_id>/", views.return_detail, name="return_detail"),
    path("returns/<int:return_id>/contacts/", views.return_contacts, name="return_contacts"),
    path("returns/<int:return_id>/scan/", views.return_scan, name="return_scan"),
    path("returns/<int:return_id>/scan/file", views.return_scan_file, name="return_scan_file"),
    path("returns/<int:return_id>/versions/", views.return_version, name="return_version"),
    path(
        "returns/<int:return_id>/review/<str:decision>/",
        views.return_review,
        name="return_review",
    ),
    path("versions/<int:version_id>/file", views.version_file, name="version_file"),
]
