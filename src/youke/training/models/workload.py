"""Campaign-independent hour rules: 三个课堂 workload that earns training hours (issue 12
item 10). ``domain.ledger.credit_workload_term`` reads them; nothing else writes hours."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from youke.classrooms.enums import WorkKind


class WorkloadHourRule(models.Model):
    """How many training hours one item of a 三个课堂 work kind earns, set by a region.

    A teacher's kind uses the deepest unit above them that set it (a county overrides its
    city), like ``classrooms.WorkloadWeight``; a kind no unit above set earns no hours.
    ``term_cap`` bounds the hours one teacher earns for the kind in one term.
    """

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("工作类型"), max_length=24, choices=WorkKind.choices)
    hours = models.DecimalField(_("每项学时"), max_digits=5, decimal_places=1)
    term_cap = models.DecimalField(
        _("每学期上限"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("三个课堂学时规则")
        verbose_name_plural = _("三个课堂学时规则")
        ordering = ["unit", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind"], name="training_workload_rule_once"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_workload_rule_hours"),
            models.CheckConstraint(
                condition=Q(term_cap__isnull=True) | Q(term_cap__gt=0),
                name="training_workload_rule_cap",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}:{self.kind}={self.hours}"
