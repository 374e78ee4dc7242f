from django.urls import path

from youke.public import classroom_views as views

app_name = "public_classrooms"
urlpatterns = [
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("live/<int:session_id>/", views.live, name="live"),
    path("live/<int:session_id>/replay.mp4", views.replay_play, name="replay_play"),
    path("live/<int:session_id>/replay/hls/<path:part>", views.replay_hls, name="replay_hls"),
    path("live/<int:session_id>/replay/poster.jpg", views.replay_poster, name="replay_poster"),
    path(
        "live/<int:session_id>/replay/thumbs/<int:index>.jpg",
        views.replay_thumbnail,
        name="replay_thumbnail",
    ),
    path("live/<int:session_id>/replay/position", views.replay_position, name="replay_position"),
]
