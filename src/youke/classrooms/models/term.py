from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.classrooms.calendar_labels import WEEKDAY_CHOICES
from youke.classrooms.enums import DEFAULT_REQUIRED_SUBJECTS, DayOffKind


def default_subjects() -> list[str]:
    return list(DEFAULT_REQUIRED_SUBJECTS)


class Term(models.Model):
    """A semester's calendar set by a county or city: dates, days off, required subjects."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("学期名称"), max_length=64)
    starts_on = models.DateField(_("开学日期"))
    ends_on = models.DateField(_("结束日期"))
    # The national courses receiving schools must offer; the registry compares against them.
    required_subjects = models.JSONField(_("须开齐的学科"), default=default_subjects)
    # R16: demonstration or open lessons each master teacher gives per semester.
    master_lessons_required = models.PositiveSmallIntegerField(_("名师每学期示范课节数"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="classrooms_term_unit_name"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="classrooms_term_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TermDay(models.Model):
    """A holiday (no classes) or a make-up day (调休: classes follow another weekday)."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=16, choices=DayOffKind.choices)
    # 0 = Monday … 6 = Sunday, as Python's date.weekday(); only for make-up days.
    follows_weekday = models.PositiveSmallIntegerField(
        _("按星期几课表"), choices=WEEKDAY_CHOICES, null=True, blank=True
    )
    note = models.CharField(_("说明"), max_length=64, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["term", "date"], name="classrooms_termday_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"
