"""Certificate templates: create and edit them, name their authorities, take seal images,
and render a preview with sample data."""

from __future__ import annotations

import hashlib
import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from youke.certificates import rules
from youke.certificates.domain import pdf
from youke.certificates.enums import RecipientKind
from youke.certificates.models import CertificateTemplate, IssuingAuthority
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.orgs import rules as org_rules
from youke.orgs.domain.units import PermissionDenied

MAX_IMAGE_BYTES = 4 * 1024 * 1024
DEFAULT_BODY = (
    "{教师}老师（{学校}）的作品《{课题}》在{活动}中荣获{级别}{奖项}。\n特发此证，以资鼓励。"
)
DEFAULT_UNIT_BODY = "{单位}在{活动}中组织工作成绩突出，被评为{级别}{称号}。\n特发此证，以资鼓励。"
SAMPLE_CONTEXT = {
    "单位": "东湖区教育局",
    "称号": "优秀组织单位",
    "教师": "张晓明",
    "学校": "东湖区实验小学",
    "课题": "圆的面积",
    "课程节点": "小学数学人教版六年级上册第五单元",
    "类别": "学科课程",
    "奖项": "一等奖",
    "级别": "市级",
    "活动": "基础教育精品课遴选",
    "日期": "2026-12-05",
}


def _read_image(upload, *, need_alpha: bool) -> bytes:
    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(_("图片超过 4 MB：请压缩后再上传。"))
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            fmt, mode, info = image.format, image.mode, image.info
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError(_("无法识别的图片：请上传 PNG 或 JPEG 文件。")) from exc
    if need_alpha:
        if fmt != "PNG" or not (mode in ("RGBA", "LA", "PA") or "transparency" in info):
            raise ValidationError(_("印章须为透明背景的 PNG 图片：请去掉白色背景后导出 PNG。"))
    elif fmt not in ("PNG", "JPEG"):
        raise ValidationError(_("背景图须为 PNG 或 JPEG 图片。"))
    return data


def save_template(
    actor: Actor,
    *,
    campaign,
    level,
    unit,
    title: str,
    body: str,
    orientation: str,
    background=None,
    template: CertificateTemplate | None = None,
    recipient_kind: str = RecipientKind.TEACHER,
    include_coauthors: bool = False,
) -> CertificateTemplate:
    if actor.person is None or not org_rules.covers(actor.person, unit):
        raise PermissionDenied("template")
    if level.campaign_id != campaign.pk:
        raise ValidationError({"level": _("所选级别不属于该活动：请重新选择级别。")})
    if level.unit_kind != unit.kind:
        raise ValidationError(
            {
                "unit": _("%(level)s由%(kind)s发证：请选择相应类型的单位。")
                % {"level": level.name, "kind": level.get_unit_kind_display()}
            }
        )
    duplicate = CertificateTemplate.objects.filter(
        campaign=campaign, level=level, unit=unit, recipient_kind=recipient_kind
    )
    if template is not None:
        duplicate = duplicate.exclude(pk=template.pk)
    if duplicate.exists():
        raise ValidationError(_("该单位在此级别已有同一发证对象的证书模板：请直接编辑原模板。"))
    if (
        template is not None
        and template.recipient_kind != recipient_kind
        and template.certificates.exists()
    ):
        raise ValidationError(
            {"recipient_kind": _("该模板已签发证书，不能再改变发证对象：请另建一个模板。")}
        )
    if not title.strip() or not body.strip():
        raise ValidationError(_("请填写证书标题和正文。"))
    image = _read_image(background, need_alpha=False) if background else None
    created = template is None
    template = template or CertificateTemplate(campaign=campaign, level=level, unit=unit)
    template.campaign, template.level, template.unit = campaign, level, unit
    template.title, template.body = title.strip(), body.strip()
    template.orientation = orientation
    template.recipient_kind = recipient_kind
    # Co-authors are a teacher template's matter; a unit template has none.
    template.include_coauthors = include_coauthors and recipient_kind == RecipientKind.TEACHER
    template.updated_by = actor.person
    with transaction.atomic():
        if image is not None:
            template.background.save("background.bin", ContentFile(image), save=False)
        template.save()
        record(
            actor,
            AuditAction.CREATE if created else AuditAction.UPDATE,
            template,
            unit=unit,
            after={
                "title": template.title,
                "level": level.name,
                "orientation": orientation,
                "recipient_kind": recipient_kind,
                "include_coauthors": template.include_coauthors,
            },
        )
    return template


def add_authority(
    actor: Actor, template: CertificateTemplate, *, unit, name: str
) -> IssuingAuthority:
    if actor.person is None or not rules.can_manage_template(actor.person, template):
        raise PermissionDenied("template")
    if not org_rules.covers(actor.person, unit):
        raise PermissionDenied("unit")
    if not name.strip():
        raise ValidationError({"name": _("请填写发证机构全称，例如“青山市电化教育馆”。")})
    with transaction.atomic():
        order = template.authorities.count()
        authority = IssuingAuthority.objects.create(
            template=template, unit=unit, name=name.strip(), order=order
        )
        record(actor, AuditAction.CREATE, authority, unit=template.unit, after={"name": name})
    return authority


def remove_authority(actor: Actor, authority: IssuingAuthority) -> None:
    if actor.person is None or not rules.can_manage_template(actor.person, authority.template):
        raise PermissionDenied("template")
    with transaction.atomic():
        record(actor, AuditAction.DELETE, authority, unit=authority.template.unit)
        authority.delete()


def set_seal(actor: Actor, authority: IssuingAuthority, upload) -> IssuingAuthority:
    if actor.person is None or not rules.can_set_seal(actor.person, authority):
        raise PermissionDenied("seal")
    data = _read_image(upload, need_alpha=True)
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        authority.seal.save(f"seal-{authority.pk}.png", ContentFile(data), save=False)
        authority.seal_sha256 = digest
        authority.save(update_fields=["seal", "seal_sha256"])
        record(actor, AuditAction.UPDATE, authority, unit=authority.unit, after={"seal": digest})
    return authority


def _file_bytes(field) -> bytes:
    if not field:
        return b""
    with field.open("rb") as handle:
        return handle.read()


def layout_of(template: CertificateTemplate) -> pdf.Layout:
    return pdf.Layout(
        title=template.title,
        body=template.body,
        orientation=template.orientation,
        background=_file_bytes(template.background),
        authorities=tuple(
            pdf.Authority(name=a.name, seal=_file_bytes(a.seal)) for a in template.authorities.all()
        ),
    )


def preview_pdf(template: CertificateTemplate) -> bytes:
    """Sample data, an unsigned sample payload: a preview can never pass verification."""
    unit = template.recipient_kind == RecipientKind.UNIT
    fields = {
        "n": SAMPLE_CONTEXT["单位" if unit else "教师"],
        "i": "" if unit else "**************1234",
        "a": SAMPLE_CONTEXT["称号" if unit else "奖项"],
        "l": template.level.name,
        "d": SAMPLE_CONTEXT["日期"],
        "s": _("样张"),
    }
    context = {**SAMPLE_CONTEXT, "级别": template.level.name, "活动": template.campaign.name}
    return pdf.draw(layout_of(template), fields, context, "preview")
