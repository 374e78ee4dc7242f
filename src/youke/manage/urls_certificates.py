from django.urls import path

from youke.manage.views import certificates as views

app_name = "manage_certificates"
urlpatterns = [
    path("", views.certificate_list, name="certificate_list"),
    path("templates/new/", views.template_create, name="template_create"),
    path("templates/<int:template_id>/", views.template_detail, name="template_detail"),
    path(
        "templates/<int:template_id>/preview.pdf", views.template_preview, name="template_preview"
    ),
    path("templates/<int:template_id>/issue/", views.template_issue, name="template_issue"),
    path("templates/<int:template_id>/authorities/", views.authority_add, name="authority_add"),
    path("authorities/<int:authority_id>/seal/", views.authority_seal, name="authority_seal"),
    path("authorities/<int:authority_id>/delete/", views.authority_delete, name="authority_delete"),
    path("commendations/", views.commendation_list, name="commendation_list"),
    path("units/", views.unit_certificates, name="unit_certificates"),
    path(
        "units/<int:certificate_id>/download/",
        views.unit_certificate_download,
        name="unit_certificate_download",
    ),
    path("<int:certificate_id>/", views.certificate_detail, name="certificate_detail"),
    path("<int:certificate_id>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("<int:certificate_id>/download/", views.certificate_download, name="certificate_download"),
]
