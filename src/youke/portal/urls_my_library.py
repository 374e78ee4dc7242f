from django.urls import path

from youke.portal import my_library_views as views

app_name = "my_library"
urlpatterns = [
    path("", views.my_library, name="stats"),
    path("favourites/", views.my_favourites, name="favourites"),
    path("history/", views.my_history, name="history"),
    path("history/<int:lesson_id>/remove/", views.history_remove, name="history_remove"),
    path("history/clear/", views.history_clear, name="history_clear"),
]
