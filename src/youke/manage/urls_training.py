from django.urls import path

from youke.manage.views import training as views

app_name = "manage_training"
urlpatterns = [
    path("", views.training_totals, name="totals"),
    path("export/", views.training_export, name="export"),
    path("teachers/<int:person_id>/", views.teacher_detail, name="teacher_detail"),
    path(
        "teachers/<int:person_id>/honours.pdf",
        views.teacher_honours_pdf,
        name="teacher_honours_pdf",
    ),
    path("filing/", views.filing_lists, name="filing"),
    path("filing/<int:campaign_id>.xlsx", views.filing_download, name="filing_download"),
]
