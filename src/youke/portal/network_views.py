"""名校网络课堂 for the teacher: the planned lessons they teach, with the recording upload
(the replay upload, ``classrooms.domain.replays``) while the course is editable."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from youke.classrooms.domain import replays
from youke.classrooms.domain.replays import replay_asset
from youke.classrooms.models import PlannedLesson
from youke.media.enums import AssetState
from youke.portal.classroom_views import replay_metadata


def _state(upload, asset) -> str:
    """The recording's state as on the replay pages: none, processing, failed or ready."""
    if upload is None:
        return ""
    if asset is None or asset.state not in (AssetState.PASSED, AssetState.FAILED):
        return "processing"
    return "ready" if asset.state == AssetState.PASSED else "failed"


@login_required
@require_safe
def my_recordings(request):
    person = request.user
    lessons = list(
        PlannedLesson.objects.filter(teacher=person)
        .select_related("course__pilot__school", "recording")
        .order_by("-course__created_at", "course_id", "order")
    )
    for lesson in lessons:
        asset = replay_asset(lesson.recording)
        lesson.recording_state = _state(lesson.recording, asset)
        lesson.recording_error = asset.error if asset is not None else ""
        lesson.can_upload = replays.can_record(person, lesson)
        lesson.upload_metadata = replay_metadata(planned_lesson=lesson.pk)
    return render(request, "portal/classrooms/recordings.html", {"lessons": lessons})
