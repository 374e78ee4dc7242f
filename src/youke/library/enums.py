from django.db import models
from django.utils.translation import pgettext_lazy


class LessonState(models.TextChoices):
    PUBLISHED = "published", pgettext_lazy("library lesson state", "已发布")
    UNPUBLISHED = "unpublished", pgettext_lazy("library lesson state", "已下架")


# The only moves a library lesson makes; publishing.set_lesson_state refuses the rest.
LESSON_TRANSITIONS: dict[str, frozenset[str]] = {
    LessonState.PUBLISHED: frozenset({LessonState.UNPUBLISHED}),
    LessonState.UNPUBLISHED: frozenset({LessonState.PUBLISHED}),
}


class FileKind(models.TextChoices):
    VIDEO = "video", pgettext_lazy("library file kind", "视频")
    DOCUMENT = "document", pgettext_lazy("library file kind", "文档")


class SortOrder(models.TextChoices):
    RELEVANCE = "relevance", pgettext_lazy("library sort", "相关度")
    NEWEST = "newest", pgettext_lazy("library sort", "最新发布")
    VIEWS = "views", pgettext_lazy("library sort", "最多观看")
    RATING = "rating", pgettext_lazy("library sort", "评分最高")


class CommentState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("library comment state", "待审核")
    PUBLISHED = "published", pgettext_lazy("library comment state", "已发布")
    REJECTED = "rejected", pgettext_lazy("library comment state", "未通过")
    DELETED = "deleted", pgettext_lazy("library comment state", "已删除")


# domain.comments.set_comment_state refuses every other move.
COMMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    CommentState.PENDING: frozenset(
        {CommentState.PUBLISHED, CommentState.REJECTED, CommentState.DELETED}
    ),
    CommentState.PUBLISHED: frozenset({CommentState.REJECTED, CommentState.DELETED}),
    CommentState.REJECTED: frozenset({CommentState.DELETED}),
    CommentState.DELETED: frozenset(),
}


class WordAction(models.TextChoices):
    BLOCK = "block", pgettext_lazy("sensitive word action", "拒绝发布")
    REVIEW = "review", pgettext_lazy("sensitive word action", "转人工审核")


class ReportKind(models.TextChoices):
    PLAYBACK = "playback", pgettext_lazy("library report kind", "视频无法播放")
    CONTENT = "content", pgettext_lazy("library report kind", "内容错误")
    COPYRIGHT = "copyright", pgettext_lazy("library report kind", "侵权")
    OTHER = "other", pgettext_lazy("library report kind", "其他")


class ReportState(models.TextChoices):
    OPEN = "open", pgettext_lazy("library report state", "待处理")
    RESOLVED = "resolved", pgettext_lazy("library report state", "已解决")
    DISMISSED = "dismissed", pgettext_lazy("library report state", "已驳回")


# domain.reports.close_report refuses every other move.
REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ReportState.OPEN: frozenset({ReportState.RESOLVED, ReportState.DISMISSED}),
    ReportState.RESOLVED: frozenset(),
    ReportState.DISMISSED: frozenset(),
}
