"""Certificate admin pages: templates (with authorities and seals), preview, batch issue,
the list of issued certificates, and revocation. Every rule is in ``certificates``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youke.campaigns import rules as campaign_rules
from youke.campaigns.models import Level
from youke.certificates import rules
from youke.certificates.access import (
    access_certificate,
    access_template,
    access_unit_certificate,
)
from youke.certificates.domain import commendations, issuing, templates
from youke.certificates.domain.files import pdf_file
from youke.certificates.domain.revocation import revoke_certificate
from youke.certificates.enums import RecipientKind
from youke.certificates.models import IssuingAuthority
from youke.core.actor import Actor
from youke.core.views import run_action
from youke.manage.certificate_forms import (
    AuthorityForm,
    CommendationForm,
    RevokeForm,
    SealForm,
    TemplateForm,
)
from youke.manage.views.common import (
    admin_required,
    apply_errors,
    paginate,
    start_job,
    unit_by_code,
)
from youke.orgs.domain.units import PermissionDenied


def _levels(person):
    campaigns = campaign_rules.campaigns_visible_to(person)
    return Level.objects.filter(campaign__in=campaigns).select_related("campaign")


@admin_required
def certificate_list(request):
    certificates = rules.certificates_visible_to(request.user).select_related(
        "recipient", "template__campaign"
    )
    query = request.GET.get("q", "").strip()[:64]
    if query:
        certificates = certificates.filter(
            Q(serial__icontains=query)
            | Q(recipient__full_name__icontains=query)
            | Q(commendation__unit__name__icontains=query)
        )
    state = request.GET.get("state", "")
    if state in ("valid", "revoked"):
        certificates = certificates.filter(state=state)
    return render(
        request,
        "manage/certificate_list.html",
        {
            "page": paginate(request, certificates.order_by("-issued_at", "-id")),
            "query": query,
            "state": state,
            "templates": rules.templates_visible_to(request.user).select_related(
                "campaign", "level", "unit"
            ),
        },
    )


def _save_template(request, form, template=None):
    unit = unit_by_code(request.user, form.cleaned_data["unit_code"])
    if unit is None:
        form.add_error("unit_code", _("单位代码不存在或不在您的管理范围内，请核对。"))
        return None
    level = form.cleaned_data["level"]
    try:
        return templates.save_template(
            Actor.from_request(request),
            campaign=level.campaign,
            level=level,
            unit=unit,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            orientation=form.cleaned_data["orientation"],
            background=form.cleaned_data.get("background"),
            template=template,
            recipient_kind=form.cleaned_data["recipient_kind"],
            include_coauthors=form.cleaned_data["include_coauthors"],
        )
    except PermissionDenied:
        form.add_error("unit_code", _("单位代码不存在或不在您的管理范围内，请核对。"))
    except ValidationError as exc:
        apply_errors(form, exc)
    return None


@admin_required
def template_create(request):
    levels = _levels(request.user)
    unit_kind = request.GET.get("kind") == RecipientKind.UNIT
    initial = {
        "body": templates.DEFAULT_UNIT_BODY if unit_kind else templates.DEFAULT_BODY,
        "title": _("荣誉证书"),
        "unit_code": request.user.unit.code,
        "recipient_kind": RecipientKind.UNIT if unit_kind else RecipientKind.TEACHER,
    }
    form = TemplateForm(request.POST or None, request.FILES or None, levels=levels, initial=initial)
    if request.method == "POST" and form.is_valid():
        template = _save_template(request, form)
        if template is not None:
            messages.success(request, _("已创建证书模板，请添加发证机构和印章。"))
            return redirect("manage_certificates:template_detail", template.pk)
    return render(request, "manage/certificate_template_form.html", {"form": form})


@admin_required
def template_detail(request, template_id: int):
    template = access_template(request.user, template_id)
    initial = {
        "level": template.level,
        "unit_code": template.unit.code,
        "title": template.title,
        "body": template.body,
        "orientation": template.orientation,
        "recipient_kind": template.recipient_kind,
        "include_coauthors": template.include_coauthors,
    }
    form = TemplateForm(
        request.POST or None, request.FILES or None, levels=_levels(request.user), initial=initial
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_template(request, form, template) is not None
    ):
        messages.success(request, _("已保存证书模板。"))
        return redirect("manage_certificates:template_detail", template.pk)
    authorities = template.authorities.select_related("unit")
    return render(
        request,
        "manage/certificate_template.html",
        {
            "template": template,
            "form": form,
            "authorities": [(a, rules.can_set_seal(request.user, a)) for a in authorities],
            "authority_form": AuthorityForm(initial={"unit_code": template.unit.code}),
            "seal_form": SealForm(),
            "to_issue": issuing.missing_count(template),
            "issued": template.certificates.count(),
        },
    )


@admin_required
def template_preview(request, template_id: int):
    template = access_template(request.user, template_id)
    response = HttpResponse(templates.preview_pdf(template), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="preview.pdf"'
    return response


@admin_required
@require_POST
def authority_add(request, template_id: int):
    template = access_template(request.user, template_id)
    form = AuthorityForm(request.POST)
    done = redirect("manage_certificates:template_detail", template.pk)
    if not form.is_valid():
        messages.error(request, _("请填写发证机构全称和所属单位代码。"))
        return done
    unit = unit_by_code(request.user, form.cleaned_data["unit_code"])
    if unit is None:
        messages.error(request, _("单位代码不存在或不在您的管理范围内，请核对。"))
        return done
    return run_action(
        request,
        lambda: templates.add_authority(
            Actor.from_request(request), template, unit=unit, name=form.cleaned_data["name"]
        ),
        _("已添加发证机构。"),
        done,
    )


def _authority(request, authority_id: int) -> IssuingAuthority:
    authority = (
        IssuingAuthority.objects.select_related("template", "unit").filter(pk=authority_id).first()
    )
    if authority is None:
        raise Http404("authority")
    access_template(request.user, authority.template_id)
    return authority


@admin_required
@require_POST
def authority_seal(request, authority_id: int):
    authority = _authority(request, authority_id)
    form = SealForm(request.POST, request.FILES)
    done = redirect("manage_certificates:template_detail", authority.template_id)
    if not form.is_valid():
        messages.error(request, _("请选择印章图片（透明背景 PNG）。"))
        return done
    return run_action(
        request,
        lambda: templates.set_seal(
            Actor.from_request(request), authority, form.cleaned_data["seal"]
        ),
        _("已上传印章。"),
        done,
        denied=_("只有该发证机构所属单位的管理员可以上传印章。"),
    )


@admin_required
@require_POST
def authority_delete(request, authority_id: int):
    authority = _authority(request, authority_id)
    return run_action(
        request,
        lambda: templates.remove_authority(Actor.from_request(request), authority),
        _("已删除发证机构。"),
        redirect("manage_certificates:template_detail", authority.template_id),
    )


@admin_required
@require_POST
def template_issue(request, template_id: int):
    template = access_template(request.user, template_id)
    return start_job(
        request,
        lambda: issuing.request_issue(Actor.from_request(request), template),
        redirect("manage_certificates:template_detail", template.pk),
    )


@admin_required
def certificate_detail(request, certificate_id: int):
    certificate = access_certificate(request.user, certificate_id)
    return render(
        request,
        "manage/certificate_detail.html",
        {
            "certificate": certificate,
            "form": RevokeForm(),
            "can_revoke": rules.can_revoke(request.user, certificate),
        },
    )


@admin_required
@require_POST
def certificate_revoke(request, certificate_id: int):
    certificate = access_certificate(request.user, certificate_id)
    form = RevokeForm(request.POST)
    reason = form.data.get("reason", "") if not form.is_valid() else form.cleaned_data["reason"]
    return run_action(
        request,
        lambda: revoke_certificate(Actor.from_request(request), certificate, reason),
        _("证书 %(s)s 已撤销，核验页立即显示撤销。") % {"s": certificate.serial},
        redirect("manage_certificates:certificate_detail", certificate.pk),
    )


def _pdf_response(certificate):
    return FileResponse(
        pdf_file(certificate), as_attachment=True, filename=f"{certificate.serial}.pdf"
    )


@admin_required
def certificate_download(request, certificate_id: int):
    return _pdf_response(access_certificate(request.user, certificate_id))


@admin_required
def commendation_list(request):
    """Units commended by the admin's units (and below), and the form to commend one."""
    levels = _levels(request.user)
    form = CommendationForm(
        request.POST or None, levels=levels, initial={"issuer_code": request.user.unit.code}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        issuer = unit_by_code(request.user, data["issuer_code"])
        unit = unit_by_code(request.user, data["unit_code"])
        for name, found in (("issuer_code", issuer), ("unit_code", unit)):
            if found is None:
                form.add_error(name, _("单位代码不存在或不在您的管理范围内，请核对。"))
        if issuer is not None and unit is not None:
            try:
                commendations.commend_unit(
                    Actor.from_request(request),
                    level=data["level"],
                    issuer=issuer,
                    unit=unit,
                    title=data["title"],
                    reason=data["reason"],
                )
            except PermissionDenied:
                form.add_error("issuer_code", _("单位代码不存在或不在您的管理范围内，请核对。"))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("已表彰%(u)s。在该级别的单位证书模板中签发证书。") % {"u": unit.name},
                )
                return redirect("manage_certificates:commendation_list")
    listed = rules.commendations_visible_to(request.user).select_related(
        "campaign", "level", "issuer", "unit"
    )
    return render(
        request,
        "manage/certificate_commendations.html",
        {"form": form, "page": paginate(request, listed.prefetch_related("certificates"))},
    )


@admin_required
def unit_certificates(request):
    """The certificates of the admin's own unit (and units below) for their organisation
    work, to download."""
    certificates = rules.unit_certificates_of(request.user).select_related(
        "commendation__unit", "template__campaign"
    )
    return render(
        request,
        "manage/certificate_units.html",
        {"page": paginate(request, certificates.order_by("-issued_at", "-id"))},
    )


@admin_required
def unit_certificate_download(request, certificate_id: int):
    certificate = access_unit_certificate(request.user, certificate_id)
    if certificate.is_revoked:
        messages.error(
            request,
            _("证书 %(s)s 已撤销（%(r)s），不能再下载。如有疑问请联系发证单位。")
            % {"s": certificate.serial, "r": certificate.revoked_reason},
        )
        return redirect("manage_certificates:unit_certificates")
    return _pdf_response(certificate)
