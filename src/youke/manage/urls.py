from django.urls import path

from youke.manage.views import audit, jobs, people, units

app_name = "manage"
urlpatterns = [
    path("units/", units.unit_list, name="unit_list"),
    path("units/<int:unit_id>/", units.unit_detail, name="unit_detail"),
    path("units/<int:parent_id>/new/", units.unit_create, name="unit_create"),
    path("units/<int:unit_id>/edit/", units.unit_edit, name="unit_edit"),
    path("units/<int:unit_id>/move/", units.unit_move, name="unit_move"),
    path("units/<int:unit_id>/active/", units.unit_set_active, name="unit_set_active"),
    path("units/<int:unit_id>/delete/", units.unit_delete, name="unit_delete"),
    path("units/<int:unit_id>/contacts/", units.contact_save, name="contact_save"),
    path("people/", people.person_list, name="person_list"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/<int:person_id>/", people.person_detail, name="person_detail"),
    path(
        "people/<int:person_id>/password/",
        people.person_reset_password,
        name="person_reset_password",
    ),
    path("people/<int:person_id>/active/", people.person_set_active, name="person_set_active"),
    path("people/<int:person_id>/move/", people.person_move, name="person_move"),
    path("people/<int:person_id>/roles/", people.grant_create, name="grant_create"),
    path("people/<int:person_id>/expert/", people.expert_areas, name="expert_areas"),
    path("roles/<int:grant_id>/revoke/", people.grant_revoke, name="grant_revoke"),
    path("imports/", jobs.import_list, name="import_list"),
    path("imports/<str:kind>/template.xlsx", jobs.import_template, name="import_template"),
    path("imports/<str:kind>/", jobs.import_start, name="import_start"),
    path("exports/<str:kind>/", jobs.export_start, name="export_start"),
    path("jobs/<int:job_id>/", jobs.job_detail, name="job_detail"),
    path("jobs/<int:job_id>/progress/", jobs.job_progress, name="job_progress"),
    path("jobs/<int:job_id>/errors.xlsx", jobs.job_errors, name="job_errors"),
    path("jobs/<int:job_id>/download/", jobs.job_download, name="job_download"),
    path("audit/", audit.audit_list, name="audit_list"),
]
