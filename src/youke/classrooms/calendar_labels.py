"""Weekday labels for forms and pages (0 = Monday, as ``date.weekday()``)."""

from django.utils.translation import gettext_lazy as _

WEEKDAY_CHOICES = [
    (0, _("周一")),
    (1, _("周二")),
    (2, _("周三")),
    (3, _("周四")),
    (4, _("周五")),
    (5, _("周六")),
    (6, _("周日")),
]
