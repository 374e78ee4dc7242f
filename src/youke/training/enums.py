from django.db import models
from django.utils.translation import pgettext_lazy


class CreditKind(models.TextChoices):
    RULE = "rule", pgettext_lazy("training credit", "按规则认定")
    MANUAL = "manual", pgettext_lazy("training credit", "手工登记")
    CORRECTION = "correction", pgettext_lazy("training credit", "更正")
    REVERSAL = "reversal", pgettext_lazy("training credit", "冲销")
