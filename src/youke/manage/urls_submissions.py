from django.urls import path

from youke.manage.views import submissions

app_name = "manage_submissions"
urlpatterns = [
    path("", submissions.submission_list, name="submission_list"),
    path("counts/", submissions.submission_counts, name="submission_counts"),
]
