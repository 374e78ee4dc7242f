from django.db import models
from django.utils.translation import pgettext_lazy


class NodeLevel(models.TextChoices):
    STAGE = "stage", pgettext_lazy("catalog level", "学段")
    SUBJECT = "subject", pgettext_lazy("catalog level", "学科")
    EDITION = "edition", pgettext_lazy("catalog level", "教材版本")
    VOLUME = "volume", pgettext_lazy("catalog level", "年级/册次")
    UNIT = "unit", pgettext_lazy("catalog level", "单元")
    LESSON = "lesson", pgettext_lazy("catalog level", "课")
    PERIOD = "period", pgettext_lazy("catalog level", "课时")


LEVEL_ORDER: tuple[str, ...] = tuple(NodeLevel.values)


def child_level(level: str) -> str | None:
    index = LEVEL_ORDER.index(level)
    return LEVEL_ORDER[index + 1] if index + 1 < len(LEVEL_ORDER) else None
