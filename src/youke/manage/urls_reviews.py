from django.urls import path

from youke.manage.views import reviews as views
from youke.manage.views import reviews_admin as admin_views
from youke.manage.views import reviews_results as result_views
from youke.manage.views import reviews_subjects as subject_views

app_name = "manage_reviews"
urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("assignments/<int:assignment_id>/", views.assignment_detail, name="assignment"),
    path(
        "assignments/<int:assignment_id>/materials/<int:material_id>/",
        views.material_download,
        name="material",
    ),
    path("rounds/", admin_views.round_list, name="rounds"),
    path("rounds/by-subject/", subject_views.subject_rounds_page, name="by_subject"),
    path("rounds/<int:round_id>/", admin_views.round_detail, name="round"),
    path("rounds/<int:round_id>/results/", result_views.round_results, name="results"),
    path(
        "rounds/<int:round_id>/results/export/",
        result_views.results_export,
        name="results_export",
    ),
]

from youke.manage.views import reviews_actions as action_views  # noqa: E402

urlpatterns += [
    path("rounds/<int:round_id>/assign/", action_views.assign, name="assign"),
    path(
        "rounds/<int:round_id>/assignments/<int:assignment_id>/unassign/",
        action_views.unassign,
        name="unassign",
    ),
    path(
        "rounds/<int:round_id>/assignments/<int:assignment_id>/reopen/",
        action_views.reopen,
        name="reopen",
    ),
    path("rounds/<int:round_id>/conflict/", action_views.declare_conflict, name="conflict"),
    path("rounds/<int:round_id>/remind/", action_views.remind, name="remind"),
]
