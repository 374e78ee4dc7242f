from django.urls import path

from youke.public import library_course_views as courses
from youke.public import library_engagement_views as engagement
from youke.public import library_views as views

app_name = "library"
urlpatterns = [
    path("", views.library_index, name="index"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("lessons/<int:lesson_id>/", views.lesson_detail, name="lesson_detail"),
    path("courses/", courses.course_list, name="course_list"),
    path("courses/<int:course_id>/", courses.course_detail, name="course_detail"),
    path("lessons/<int:lesson_id>/qr.svg", views.lesson_qr, name="lesson_qr"),
    path("lessons/<int:lesson_id>/view/", views.lesson_view, name="lesson_view"),
    path("lessons/<int:lesson_id>/like/", views.lesson_like, name="lesson_like"),
    path("lessons/<int:lesson_id>/rate/", views.lesson_rate, name="lesson_rate"),
    path(
        "lessons/<int:lesson_id>/favourite/", engagement.lesson_favourite, name="lesson_favourite"
    ),
    path("lessons/<int:lesson_id>/comments/", engagement.lesson_comments, name="lesson_comments"),
    path("lessons/<int:lesson_id>/comments/new/", engagement.comment_post, name="comment_post"),
    path("comments/<int:comment_id>/delete/", engagement.comment_delete, name="comment_delete"),
    path("lessons/<int:lesson_id>/report/", engagement.lesson_report, name="lesson_report"),
    path("files/<int:file_id>/play/", views.file_play, name="file_play"),
    path("files/<int:file_id>/hls/<path:part>", views.file_hls, name="file_hls"),
    path("files/<int:file_id>/poster/", views.file_poster, name="file_poster"),
    path("files/<int:file_id>/thumbs/<int:index>/", views.file_thumbnail, name="file_thumbnail"),
    path("files/<int:file_id>/position/", views.file_position, name="file_position"),
    path("files/<int:file_id>/document/", views.file_document, name="file_document"),
    path("files/<int:file_id>/download/", views.file_download, name="file_download"),
]
