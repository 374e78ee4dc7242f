from django.urls import path

from youke.manage.views import publicity, sheets

app_name = "manage_publicity"
urlpatterns = [
    path("", publicity.publicity_list, name="publicity_list"),
    path("new/<int:list_id>/", publicity.publicity_create, name="publicity_create"),
    path("<int:publicity_id>/", publicity.publicity_detail, name="publicity_detail"),
    path("<int:publicity_id>/finalise/", publicity.publicity_finalise, name="publicity_finalise"),
    path(
        "objections/<int:objection_id>/evidence/",
        publicity.objection_evidence,
        name="objection_evidence",
    ),
    path(
        "objections/<int:objection_id>/resolve/",
        publicity.objection_resolve,
        name="objection_resolve",
    ),
    path("sheets/", sheets.sheet_list, name="sheet_list"),
    path("sheets/<int:list_id>/generate/", sheets.sheet_generate, name="sheet_generate"),
    path("sheets/<int:list_id>/confirm/", sheets.sheet_confirm, name="sheet_confirm"),
]
