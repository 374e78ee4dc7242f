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
