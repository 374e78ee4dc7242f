from django.db import models
from django.utils.translation import gettext_lazy as _

from youke.classrooms.enums import PrepState


class PrepSession(models.Model):
    """网络集体备课: a host shares a draft design in a studio; participants annotate it."""

    studio = models.ForeignKey(
        "classrooms.Studio", on_delete=models.CASCADE, related_name="preparations"
    )
    host = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("课题"), max_length=200)
    state = models.CharField(max_length=16, choices=PrepState.choices, default=PrepState.OPEN)
    summary = models.TextField(_("备课总结"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return self.title


class PrepVersion(models.Model):
    """One version of the design; paragraphs are its non-empty lines, numbered from 1."""

    prep = models.ForeignKey(PrepSession, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本"))
    text = models.TextField(_("教学设计"))
    note = models.CharField(_("修改说明"), max_length=500, blank=True)
    author = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["prep", "number"]
        constraints = [
            models.UniqueConstraint(fields=["prep", "number"], name="classrooms_prep_version")
        ]

    def __str__(self) -> str:
        return f"{self.prep_id} v{self.number}"

    @property
    def paragraphs(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]


class PrepAnnotation(models.Model):
    """A participant's comment on one paragraph of a version, or (no paragraph) on all of it."""

    version = models.ForeignKey(PrepVersion, on_delete=models.CASCADE, related_name="annotations")
    author = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+")
    paragraph = models.PositiveSmallIntegerField(_("段落"), null=True, blank=True)
    body = models.TextField(_("批注"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version", "paragraph", "created_at", "id"]

    def __str__(self) -> str:
        return self.body[:30]
