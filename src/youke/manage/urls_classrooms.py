from django.urls import path

from youke.manage.views import classroom_workload, classroom_workload_hours
from youke.manage.views import classrooms as views
from youke.manage.views import classrooms_programmes as programmes

app_name = "manage_classrooms"
urlpatterns = [
    path("", views.index, name="index"),
    path("registry/", views.registry_view, name="registry"),
    path("terms/<int:term_id>/", views.term_detail, name="term_detail"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<int:group_id>/", views.group_detail, name="group_detail"),
    path("groups/<int:group_id>/classrooms/", views.classroom_add, name="classroom_add"),
    path("groups/<int:group_id>/periods/", views.period_add, name="period_add"),
    path("groups/<int:group_id>/sessions/", views.sessions_generate, name="sessions_generate"),
    path(
        "groups/<int:group_id>/classrooms/<int:classroom_id>/local/",
        views.local_period_add,
        name="local_period_add",
    ),
    path(
        "groups/<int:group_id>/classrooms/<int:classroom_id>/feed/",
        views.classroom_feed,
        name="classroom_feed",
    ),
    path("masters/", programmes.masters_view, name="masters"),
    path("studios/<int:studio_id>/", programmes.studio_view, name="studio"),
    path("network/", programmes.network_view, name="network"),
    path("network/courses/<int:course_id>/", programmes.course_view, name="course"),
    path("network/courses/<int:course_id>/submit/", programmes.course_submit, name="course_submit"),
    path(
        "network/courses/<int:course_id>/withdraw/",
        programmes.course_withdraw,
        name="course_withdraw",
    ),
    path(
        "network/lessons/<int:lesson_id>/recording.mp4",
        programmes.recording_play,
        name="recording_play",
    ),
    path(
        "network/lessons/<int:lesson_id>/recording/hls/<path:part>",
        programmes.recording_hls,
        name="recording_hls",
    ),
    path(
        "network/lessons/<int:lesson_id>/recording/poster.jpg",
        programmes.recording_poster,
        name="recording_poster",
    ),
    path(
        "network/lessons/<int:lesson_id>/recording/thumbs/<int:index>.jpg",
        programmes.recording_thumbnail,
        name="recording_thumbnail",
    ),
    path(
        "network/lessons/<int:lesson_id>/recording/position",
        programmes.recording_position,
        name="recording_position",
    ),
    path("network/courses/<int:course_id>/review/", programmes.course_review, name="course_review"),
    path(
        "network/courses/<int:course_id>/lessons/<int:lesson_id>/recording/",
        programmes.lesson_recording,
        name="lesson_recording",
    ),
    path("workload/", classroom_workload.workload_view, name="workload"),
    path("workload/export.xlsx", classroom_workload.workload_export, name="workload_export"),
    path("indicators/", classroom_workload.indicators_view, name="indicators"),
    path("workload/hours/", classroom_workload_hours.hours_view, name="workload_hours"),
    path(
        "workload/hours/terms/<int:term_id>/credit/",
        classroom_workload_hours.credit_term,
        name="workload_credit_term",
    ),
]
