from django.urls import path

from youke.public import bulletin_views, certificate_views, views

app_name = "public"
urlpatterns = [
    path("publicity/", views.publicity_list, name="publicity_list"),
    path("publicity/<int:publicity_id>/", views.publicity_detail, name="publicity_detail"),
    path(
        "publicity/<int:publicity_id>/download.<str:kind>",
        views.publicity_download,
        name="publicity_download",
    ),
    path(
        "publicity/<int:publicity_id>/entries/<int:entry_id>/objection/",
        views.objection_form,
        name="objection_form",
    ),
    path("certificates/", certificate_views.certificate_lookup, name="certificate_lookup"),
    path("certificates/keys.json", certificate_views.keys_json, name="certificate_keys"),
    path(
        "certificates/credential/",
        certificate_views.credential_verify,
        name="credential_verify",
    ),
    path(
        "certificates/<str:serial>/credential.jwt",
        certificate_views.credential_by_serial,
        name="credential_by_serial",
    ),
    path("verify/<str:payload>/", certificate_views.certificate_verify, name="certificate_verify"),
    path("bulletins/", bulletin_views.bulletin_list, name="bulletin_list"),
    path("bulletins/<int:bulletin_id>/", bulletin_views.bulletin_detail, name="bulletin_detail"),
    path(
        "bulletins/<int:bulletin_id>/bulletin.pdf", bulletin_views.bulletin_pdf, name="bulletin_pdf"
    ),
]
