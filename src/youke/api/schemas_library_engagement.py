"""Schemas of the library's personal and moderation operations."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field

from youke.api.fields import Text
from youke.library.enums import ReportKind, ReportState


class LessonRefOut(Schema):
    id: int
    title: str


class FavouriteOut(Schema):
    lesson: LessonRefOut
    created_at: datetime


class FavouriteStateOut(Schema):
    lesson_id: int
    favourite: bool
    favourites: int


class HistoryOut(Schema):
    lesson: LessonRefOut
    last_watched_at: datetime
    seconds_watched: int
    duration_seconds: int
    progress: int
    last_file_id: int | None
    last_position: float


class HeartbeatIn(Schema):
    seconds: float = Field(ge=0, le=86400, description="播放位置（秒）")


class HeartbeatOut(Schema):
    recorded: bool
    seconds_watched: int | None


class CommentOut(Schema):
    id: int
    lesson_id: int
    author_name: str
    body: str
    state: str
    created_at: datetime

    @staticmethod
    def resolve_author_name(obj) -> str:
        return obj.author.full_name


class ModeratedCommentOut(CommentOut):
    lesson_title: str
    flagged_word: str
    reason: str

    @staticmethod
    def resolve_lesson_title(obj) -> str:
        return obj.lesson.title


class CommentIn(Schema):
    body: Text(1000, min_length=1)


class RejectIn(Schema):
    reason: Text(300, min_length=1)


class ReportIn(Schema):
    kind: ReportKind
    text: Text(1000, min_length=1)


class ReportOut(Schema):
    id: int
    lesson_id: int
    lesson_title: str
    kind: str
    text: str
    state: str
    reply: str
    created_at: datetime
    handled_at: datetime | None

    @staticmethod
    def resolve_lesson_title(obj) -> str:
        return obj.lesson.title


class ReportCloseIn(Schema):
    state: ReportState
    reply: Text(1000, min_length=1)
