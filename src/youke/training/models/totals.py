"""Per-unit, per-year sums of the ledger, maintained by every ledger write."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitYearTotal(models.Model):
    """The hours, lines and teachers booked on one unit in one year.

    ``domain.ledger`` updates the row in the same transaction as each ledger line, under the
    row's lock, so per-unit totals read at most one row per unit of a subtree instead of
    grouping the whole ledger; ``rebuild_totals`` recomputes them from the ledger.
    ``teachers`` counts the teachers with at least one line on this unit in the year.
    """

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    hours = models.DecimalField(_("学时"), max_digits=12, decimal_places=1, default=0)
    lines = models.PositiveIntegerField(_("记录数"), default=0)
    teachers = models.PositiveIntegerField(_("教师数"), default=0)

    class Meta:
        verbose_name = _("单位年度学时")
        verbose_name_plural = _("单位年度学时")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="training_unit_year_total")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}: {self.hours}"
