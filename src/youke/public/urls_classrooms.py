from django.urls import path

from youke.public import classroom_views as views

app_name = "public_classrooms"
urlpatterns = [
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("live/<int:session_id>/", views.live, name="live"),
]
