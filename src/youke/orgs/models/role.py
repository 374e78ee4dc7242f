from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.orgs.enums import Role


class RoleGrant(models.Model):
    """A role held on a unit; it covers the unit and its whole subtree."""

    person = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="grants")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="grants")
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    granted_by = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        constraints = [
            models.UniqueConstraint(fields=["person", "unit", "role"], name="grant_unique")
        ]
        # unit first: subtree counts start from the unit path range, then each unit's grants.
        indexes = [models.Index(fields=["unit", "role"], name="grant_unit_role_idx")]
        ordering = ["person_id", "id"]

    def __str__(self) -> str:
        return f"{self.person} · {self.unit} · {self.get_role_display()}"
