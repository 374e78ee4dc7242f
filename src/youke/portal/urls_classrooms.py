from django.urls import path

from youke.portal import classroom_views as views
from youke.portal import lesson_views, network_views, prep_views

app_name = "portal_classrooms"
urlpatterns = [
    path("", views.week, name="week"),
    path("recordings/", network_views.my_recordings, name="recordings"),
    path(
        "recordings/<int:lesson_id>/recording.mp4",
        network_views.recording_play,
        name="recording_play",
    ),
    path(
        "recordings/<int:lesson_id>/hls/<path:part>",
        network_views.recording_hls,
        name="recording_hls",
    ),
    path(
        "recordings/<int:lesson_id>/poster.jpg",
        network_views.recording_poster,
        name="recording_poster",
    ),
    path(
        "recordings/<int:lesson_id>/thumbs/<int:index>.jpg",
        network_views.recording_thumbnail,
        name="recording_thumbnail",
    ),
    path(
        "recordings/<int:lesson_id>/position",
        network_views.recording_position,
        name="recording_position",
    ),
    path("sessions/<int:session_id>/", views.session_detail, name="session"),
    path("sessions/<int:session_id>/start/", views.session_start, name="session_start"),
    path("sessions/<int:session_id>/end/", views.session_end, name="session_end"),
    path("sessions/<int:session_id>/cancel/", views.session_cancel, name="session_cancel"),
    path(
        "sessions/<int:session_id>/substitute/",
        views.session_substitute,
        name="session_substitute",
    ),
    path(
        "sessions/<int:session_id>/replay/remove/",
        views.session_replay_remove,
        name="session_replay_remove",
    ),
    path(
        "sessions/<int:session_id>/attendance/<int:classroom_id>/",
        views.attendance_form,
        name="attendance",
    ),
    path("classes/<int:classroom_id>/", views.classroom_record, name="classroom_record"),
    path("lessons/", lesson_views.lessons, name="lessons"),
    path("lessons/<int:lesson_id>/", lesson_views.lesson, name="lesson"),
    path("lessons/<int:lesson_id>/register/", lesson_views.lesson_register, name="lesson_register"),
    path("lessons/<int:lesson_id>/evaluate/", lesson_views.lesson_evaluate, name="lesson_evaluate"),
    path("lessons/<int:lesson_id>/posts/", lesson_views.lesson_post, name="lesson_post"),
    path("lessons/<int:lesson_id>/summary/", lesson_views.lesson_summary, name="lesson_summary"),
    path("lessons/<int:lesson_id>/cancel/", lesson_views.lesson_cancel, name="lesson_cancel"),
    path(
        "lessons/<int:lesson_id>/replay/remove/",
        lesson_views.lesson_replay_remove,
        name="lesson_replay_remove",
    ),
    path(
        "lessons/<int:lesson_id>/replay.mp4",
        lesson_views.lesson_replay_play,
        name="lesson_replay_play",
    ),
    path(
        "lessons/<int:lesson_id>/replay/hls/<path:part>",
        lesson_views.lesson_replay_hls,
        name="lesson_replay_hls",
    ),
    path(
        "lessons/<int:lesson_id>/replay/poster.jpg",
        lesson_views.lesson_replay_poster,
        name="lesson_replay_poster",
    ),
    path(
        "lessons/<int:lesson_id>/replay/thumbs/<int:index>.jpg",
        lesson_views.lesson_replay_thumbnail,
        name="lesson_replay_thumbnail",
    ),
    path(
        "lessons/<int:lesson_id>/replay/position",
        lesson_views.lesson_replay_position,
        name="lesson_replay_position",
    ),
    path("preps/", prep_views.preps, name="preps"),
    path("preps/<int:prep_id>/", prep_views.prep_detail, name="prep"),
    path("preps/<int:prep_id>/annotate/", prep_views.prep_annotate, name="prep_annotate"),
    path("preps/<int:prep_id>/revise/", prep_views.prep_revise, name="prep_revise"),
    path("preps/<int:prep_id>/conclude/", prep_views.prep_conclude, name="prep_conclude"),
    path("workload/", views.my_workload, name="workload"),
]
