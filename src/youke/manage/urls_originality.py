from django.urls import path

from youke.manage.views import originality as views

app_name = "manage_originality"
urlpatterns = [
    path("<int:submission_id>/", views.evidence, name="evidence"),
    path(
        "<int:submission_id>/matches/<int:match_id>/other.mp4",
        views.other_video,
        name="other_video",
    ),
    path("<int:submission_id>/notice/", views.notice, name="notice"),
    path("<int:submission_id>/clear/", views.clear, name="clear"),
    path("<int:submission_id>/recheck/", views.recheck, name="recheck"),
    path("<int:submission_id>/explain/", views.explain, name="explain"),
    path("campaigns/<int:campaign_id>/settings/", views.campaign_settings, name="settings"),
]
