"""名校网络课堂 for the teacher: the planned lessons they teach, with the recording upload
(the replay upload, ``classrooms.domain.replays``) while the course is editable."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from youke.classrooms.domain import replays
from youke.classrooms.models import PlannedLesson
from youke.portal.classroom_views import replay_metadata
from youke.public import classroom_replay


def recordings_context(person, lessons, url_name: str) -> dict:
    """One player for a list of planned lessons: a chapter per lesson whose uploaded
    recording is ready (routes ``url_name``_play … taking the lesson's id), and on each lesson
    its ``recording_state`` (processing, failed, ready) and ``upload_metadata``."""
    chapters, videos = [], []
    for lesson in lessons:
        context = classroom_replay.replay_context(person, lesson.recording, url_name, lesson.pk)
        lesson.recording_state = context["replay_state"]
        lesson.recording_error = context.get("replay_error", "")
        lesson.upload_metadata = replay_metadata(planned_lesson=lesson.pk)
        for chapter in context["player_chapters"]:
            chapter["label"] = _("第%(n)d课 %(title)s") % {"n": lesson.order, "title": lesson.title}
            chapters.append(chapter)
        videos.extend(context["media"].videos)
    return {
        "media": classroom_replay.ReplayMedia(videos=videos),
        "player_chapters": chapters,
    }


@login_required
@require_safe
def my_recordings(request):
    person = request.user
    lessons = list(
        PlannedLesson.objects.filter(teacher=person)
        .select_related("course__pilot__school", "recording")
        .order_by("-course__created_at", "course_id", "order")
    )
    context = recordings_context(person, lessons, "portal_classrooms:recording")
    for lesson in lessons:
        lesson.can_upload = replays.can_record(person, lesson)
    return render(request, "portal/classrooms/recordings.html", {"lessons": lessons, **context})


def _my_recording(request, lesson_id: int):
    """The recording of a lesson the person teaches in a recording plan; 404 else."""
    lesson = (
        PlannedLesson.objects.filter(pk=lesson_id, teacher=request.user)
        .select_related("recording")
        .first()
    )
    if lesson is None or lesson.recording is None:
        raise Http404("recording")
    return lesson.recording


_recording_files = classroom_replay.file_views(_my_recording, login_required)
recording_play = _recording_files.play
recording_hls = _recording_files.hls
recording_poster = _recording_files.poster
recording_thumbnail = _recording_files.thumbnail
recording_position = _recording_files.position
