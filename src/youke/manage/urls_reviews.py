from django.urls import path

from youke.manage.views import reviews as views
from youke.manage.views import reviews_admin as admin_views

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
    path("rounds/<int:round_id>/", admin_views.round_detail, name="round"),
    path("rounds/<int:round_id>/results/", admin_views.round_results, name="results"),
]
