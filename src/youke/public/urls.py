from django.urls import path

from youke.public import views

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
]
