from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.core.enums import AuditAction


class AuditEvent(models.Model):
    """One append-only line of the audit log: who did what to which object, and why.

    Database triggers refuse UPDATE and DELETE on this table (migration
    ``core.0003_audit_append_only``), so no foreign key may SET_NULL or CASCADE into it:
    a person with history cannot be deleted (they are deactivated instead), and a unit
    deleted by mistake leaves its rows with the old id and the object's name.
    """

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=64)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=32, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象编号"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    reason = models.TextField(_("原因"), blank=True)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("audit events are append-only")

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before = self.before or {}
        after = self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
