from django.urls import path

from youke.manage.views import library as views

app_name = "manage_library"
urlpatterns = [
    path("", views.award_list, name="award_list"),
    path("awards/<int:award_id>/publish/", views.award_publish, name="award_publish"),
    path("batch/", views.batch_publish, name="batch_publish"),
    path("lessons/", views.lesson_list, name="lesson_list"),
    path("lessons/<int:lesson_id>/unpublish/", views.lesson_unpublish, name="lesson_unpublish"),
    path("lessons/<int:lesson_id>/republish/", views.lesson_republish, name="lesson_republish"),
    path("settings/<int:campaign_id>/", views.library_settings, name="settings"),
]
