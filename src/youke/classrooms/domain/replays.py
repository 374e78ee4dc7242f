"""Replays: a session's (or a demonstration lesson's) video, and a network course's planned
lesson recording, uploaded through the resumable upload (purpose ``classroom_replay``) and
played in the shared player.

- ``authorize`` runs before any byte is sent: only who runs the session (its host teacher or
  the host school's / bureau's admin), manages the lesson (the master, research staff), or
  writes the network course (the pilot school's admin) or teaches the planned lesson may
  upload, and only a video file; anything else is refused with the reason.
- ``claim`` runs after the upload's completing transaction commits: the bytes must really be
  a video; the session (lesson, planned lesson) row is locked, its ``replay`` (``recording``)
  set, the change audited, and the processing job queued after commit.
- ``process_replay`` (a Celery job) probes the video, saves a poster and thumbnails and the
  progressive rendition, then queues the media app's HLS ladder job.

Who may watch is decided by ``sessions.can_watch`` (the period's view permission 私密 / 公开 /
登录 / 密码) for a session and by ``rules.lessons_visible_to`` for a lesson.
"""

from __future__ import annotations

import logging
import tempfile
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from youke.classrooms import rules
from youke.classrooms.models import ClassSession, DemoLesson, NetworkCourse, PlannedLesson
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.media.domain.ladder import local_file
from youke.media.domain.purposes import UploadRefused, register_purpose
from youke.media.domain.uploads import max_upload_bytes
from youke.media.enums import AssetState
from youke.media.models import MediaAsset, MediaThumbnail, Upload
from youke.media.processing.errors import MediaError
from youke.media.processing.poster import extract_poster, extract_thumbnails
from youke.media.processing.probe import probe
from youke.media.processing.rendition import make_rendition
from youke.orgs.domain.units import PermissionDenied

logger = logging.getLogger(__name__)

PURPOSE = "classroom_replay"
EXTENSIONS = ("mp4", "mov", "m4v")
VIDEO_TYPES = frozenset({"video/mp4", "video/quicktime"})
THUMBNAILS = 4
# A job interrupted this often (worker killed, machine lost) ends failed, not in limbo.
MAX_ATTEMPTS = 3
LOCKED_MESSAGE = _lazy("课程在审核中或已共享，不能更换录像；如需修改请等待退回或先撤回共享。")


Target = ClassSession | DemoLesson | PlannedLesson


def _ids(metadata: dict) -> tuple[int, int, int]:
    try:
        return tuple(
            int(metadata.get(key, "") or 0) for key in ("session", "lesson", "planned_lesson")
        )
    except ValueError as exc:
        raise UploadRefused(
            _("上传信息不完整，请从课堂页面的“上传回放”重新上传。"), status=400
        ) from exc


def _editable():
    from youke.classrooms.domain.network import EDITABLE

    return EDITABLE


def can_record(person, lesson: PlannedLesson) -> bool:
    """The course's writers (pilot school admin) or the lesson's teacher, while it is editable."""
    if lesson.course.state not in _editable():
        return False
    return rules.can_edit_course(person, lesson.course) or lesson.teacher_id == person.pk


def _target(person, metadata: dict) -> Target:
    """The session, lesson or planned lesson named in the metadata, if the person may give it
    a video."""
    session_id, lesson_id, planned_id = _ids(metadata)
    if session_id:
        session = (
            ClassSession.objects.select_related("group__unit", "group__host_school")
            .filter(pk=session_id)
            .first()
        )
        if session is None or not rules.can_run_session(person, session):
            raise UploadRefused(_("找不到这节课，或您不能为它上传回放。"), status=404)
        if session.cancelled_at:
            raise UploadRefused(_("这节课已取消，不能上传回放。"))
        return session
    if lesson_id:
        lesson = DemoLesson.objects.select_related("master", "unit").filter(pk=lesson_id).first()
        if lesson is None or not rules.can_manage_lesson(person, lesson):
            raise UploadRefused(_("找不到这节示范课，或您不能为它上传回放。"), status=404)
        return lesson
    if planned_id:
        planned = (
            PlannedLesson.objects.select_related("course__pilot__school")
            .filter(pk=planned_id)
            .first()
        )
        visible = planned is not None and (
            rules.can_edit_course(person, planned.course) or planned.teacher_id == person.pk
        )
        if not visible:
            raise UploadRefused(_("找不到这节网络课，或您不能为它上传录像。"), status=404)
        if not can_record(person, planned):
            raise UploadRefused(str(LOCKED_MESSAGE))
        return planned
    raise UploadRefused(_("上传信息不完整，请从课堂页面的“上传回放”重新上传。"), status=400)


def _guard(actor: Actor, locked, target) -> tuple[str, object]:
    """Check the actor may change the locked row's video: its field name and audit unit."""
    if isinstance(locked, ClassSession):
        locked.group = target.group
        allowed = rules.can_run_session(actor.person, locked)
        unit, field = target.group.host_school, "replay"
    elif isinstance(locked, DemoLesson):
        locked.master, locked.unit = target.master, target.unit
        allowed, unit, field = rules.can_manage_lesson(actor.person, locked), target.unit, "replay"
    else:
        # The course row too: a submission (which locks it) cannot pass a recording change.
        locked.course = (
            NetworkCourse.objects.select_for_update()
            .select_related("pilot__school")
            .get(pk=target.course_id)
        )
        if locked.course.state not in _editable():
            raise ValidationError(str(LOCKED_MESSAGE))
        allowed = (
            rules.can_edit_course(actor.person, locked.course)
            or locked.teacher_id == actor.person.pk
        )
        unit, field = target.course.pilot.school, "recording"
    if not allowed:
        raise PermissionDenied
    return field, unit


def authorize(person, metadata: dict, length: int) -> int:
    _target(person, metadata)
    name = metadata.get("filename", "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS:
        raise UploadRefused(
            _("回放须是视频文件（%(allowed)s），“%(name)s”不是。请导出为 MP4 后再上传。")
            % {"allowed": "、".join(f".{e}" for e in EXTENSIONS), "name": name},
            status=415,
        )
    return max_upload_bytes()


def claim(upload: Upload) -> None:
    """Attach the finished video; a file that is not a video, or a target gone, stays
    unclaimed (the uploader sees it in "my uploads", nothing is lost)."""
    if upload.content_type not in VIDEO_TYPES:
        logger.info("replay upload %s is %s, not claimed", upload.pk, upload.content_type)
        return
    try:
        target = _target(upload.owner, upload.metadata)
        attach_replay(Actor(upload.owner), target, upload)
    except (UploadRefused, PermissionDenied, ValidationError):
        return


def attach_replay(actor: Actor, target: Target, upload: Upload, *, queue: bool = True):
    """Set the replay of a session or lesson, or the recording of a planned lesson (replacing
    an earlier one) and queue processing (``queue=False``: the caller processes it itself,
    e.g. the demo builder)."""
    model = type(target)
    with transaction.atomic():
        locked = model.objects.select_for_update(of=("self",)).get(pk=target.pk)
        field, unit = _guard(actor, locked, target)
        previous = getattr(locked, f"{field}_id")
        before = {field: str(previous) if previous else None}
        setattr(locked, field, upload)
        locked.save(update_fields=[field])
        record(
            actor,
            AuditAction.UPDATE,
            locked,
            unit=unit,
            before=before,
            after={field: str(upload.pk), "filename": upload.filename},
        )
        upload_id = upload.pk
        if queue:
            transaction.on_commit(lambda: queue_processing(upload_id), robust=True)
    return locked


def remove_replay(actor: Actor, target: Target):
    """Take the replay (recording) off (the upload itself stays in the uploader's list)."""
    model = type(target)
    with transaction.atomic():
        locked = model.objects.select_for_update(of=("self",)).get(pk=target.pk)
        field, unit = _guard(actor, locked, target)
        previous = getattr(locked, f"{field}_id")
        if previous is None:
            return locked
        setattr(locked, field, None)
        locked.save(update_fields=[field])
        record(
            actor,
            AuditAction.UPDATE,
            locked,
            unit=unit,
            before={field: str(previous)},
            after={field: None},
        )
    return locked


def queue_processing(upload_id) -> None:
    from youke.classrooms.tasks import process_replay

    process_replay.delay(str(upload_id))


def replay_asset(upload: Upload | None) -> MediaAsset | None:
    if upload is None:
        return None
    return MediaAsset.objects.filter(upload=upload).prefetch_related("thumbnails").first()


def process_replay(upload_id: str, *, ladder_now: bool = False) -> None:
    """Probe, poster, thumbnails, progressive rendition; then the HLS ladder job (or, with
    ``ladder_now``, the ladder in this process: the demo's tiny files)."""
    upload = Upload.objects.filter(pk=upload_id).first()
    if upload is None:
        return
    asset, _created = MediaAsset.objects.get_or_create(upload=upload)
    if asset.state == AssetState.PASSED and asset.rendition:
        return
    if asset.state == AssetState.FAILED or asset.attempts >= MAX_ATTEMPTS:
        if asset.state != AssetState.FAILED:
            asset.state = AssetState.FAILED
            asset.error = _("回放视频处理多次中断。请确认文件能在电脑上正常播放，然后重新上传。")
            asset.save()
        return
    MediaAsset.objects.filter(pk=asset.pk).update(
        state=AssetState.PROCESSING, attempts=asset.attempts + 1
    )
    asset.state, asset.attempts = AssetState.PROCESSING, asset.attempts + 1
    try:
        with local_file(upload.storage_name) as path:
            result = probe(path)
            asset.container = result.container or ""
            asset.video_codec = result.video_codec or ""
            asset.audio_codec = result.audio_codec or ""
            asset.width, asset.height = result.width, result.height
            asset.display_aspect_ratio = result.display_aspect_ratio or ""
            asset.video_bitrate, asset.audio_bitrate = result.video_bitrate, result.audio_bitrate
            asset.has_audio = bool(result.has_audio)
            asset.frame_rate = Decimal(str(round(result.frame_rate, 3)))
            asset.duration_seconds = Decimal(str(round(result.duration_seconds, 3)))
            with tempfile.TemporaryDirectory() as folder:
                if not asset.poster:
                    poster = extract_poster(path, Path(folder) / "poster.jpg")
                    with open(poster, "rb") as handle:
                        asset.poster.save(f"{upload.pk}.jpg", File(handle), save=False)
                if not asset.thumbnails.exists():
                    for index, out in enumerate(
                        extract_thumbnails(path, folder, THUMBNAILS), start=1
                    ):
                        thumb = MediaThumbnail(asset=asset, index=index)
                        with open(out, "rb") as handle:
                            thumb.image.save(f"{upload.pk}-{index}.jpg", File(handle), save=False)
                        thumb.save()
                if not asset.rendition:
                    out = Path(folder) / "rendition.mp4"
                    make_rendition(path, out, max_height=720)
                    with open(out, "rb") as handle:
                        asset.rendition.save(f"{upload.pk}.mp4", File(handle), save=False)
    except MediaError as exc:
        asset.state = AssetState.FAILED
        asset.error = _("回放视频无法处理：%(reason)s 请确认文件能在电脑上正常播放后重新上传。") % {
            "reason": exc.message
        }
        asset.save()
        return
    asset.state = AssetState.PASSED
    asset.error = ""
    asset.save()
    if asset.hls_master:
        return
    if ladder_now:
        from youke.media.domain.ladder import ensure_ladder

        ensure_ladder(asset.pk)
        return
    from youke.media.tasks import build_hls

    asset_id = asset.pk
    transaction.on_commit(lambda: build_hls.delay(asset_id))


register_purpose(PURPOSE, authorize=authorize, on_complete=claim)
