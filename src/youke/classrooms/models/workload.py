from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.classrooms.enums import WorkKind


class WorkloadWeight(models.Model):
    """How much one unit of a 三个课堂 activity counts toward workload, set by a bureau.

    A teacher's figures use the deepest unit above them that set the kind (else the
    default in ``domain.workload.DEFAULT_WEIGHTS``).
    """

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("工作类型"), max_length=24, choices=WorkKind.choices)
    weight = models.DecimalField(_("折算课时"), max_digits=6, decimal_places=2)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind"], name="classrooms_weight_once"),
            models.CheckConstraint(
                condition=models.Q(weight__gte=0), name="classrooms_weight_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}:{self.kind}={self.weight}"
