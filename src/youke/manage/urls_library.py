from django.urls import path

from youke.manage.views import library as views
from youke.manage.views import library_courses as courses
from youke.manage.views import library_moderation as moderation

app_name = "manage_library"
urlpatterns = [
    path("", views.award_list, name="award_list"),
    path("awards/<int:award_id>/publish/", views.award_publish, name="award_publish"),
    path("batch/", views.batch_publish, name="batch_publish"),
    path("lessons/", views.lesson_list, name="lesson_list"),
    path("lessons/<int:lesson_id>/unpublish/", views.lesson_unpublish, name="lesson_unpublish"),
    path("lessons/<int:lesson_id>/republish/", views.lesson_republish, name="lesson_republish"),
    path("courses/", courses.course_list, name="course_list"),
    path("courses/<int:course_id>/unpublish/", courses.course_unpublish, name="course_unpublish"),
    path("courses/<int:course_id>/republish/", courses.course_republish, name="course_republish"),
    path("settings/<int:campaign_id>/", views.library_settings, name="settings"),
    path("comments/", moderation.comment_queue, name="comment_queue"),
    path("comments/<int:comment_id>/approve/", moderation.comment_approve, name="comment_approve"),
    path("comments/<int:comment_id>/reject/", moderation.comment_reject, name="comment_reject"),
    path("reports/", moderation.report_list, name="report_list"),
    path("reports/<int:report_id>/close/", moderation.report_close, name="report_close"),
    path("words/", moderation.word_list, name="word_list"),
    path("words/<int:word_id>/delete/", moderation.word_delete, name="word_delete"),
]
