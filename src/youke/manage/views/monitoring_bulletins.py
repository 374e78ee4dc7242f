"""Bulletin (通报) pages: the list (issued and received), compose, preview, publish and the
files. Every rule is in ``monitoring.domain.bulletins``."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from youke.core.actor import Actor
from youke.core.views import run_action
from youke.manage.views.common import (
    admin_required,
    apply_errors,
    paginate,
    scope_roots,
    unit_by_code,
)
from youke.monitoring.access import access_bulletin
from youke.monitoring.domain import bulletins, reading, schedules
from youke.monitoring.domain.bulletin_files import page_tables, render_pdf
from youke.monitoring.domain.targets import campaign_targets
from youke.monitoring.enums import BulletinState, Frequency
from youke.orgs.domain.units import PermissionDenied


class BulletinForm(forms.Form):
    campaign = forms.TypedChoiceField(label=gettext_lazy("遴选活动"), coerce=int)
    unit_code = forms.CharField(label=gettext_lazy("发文单位代码"), max_length=10)
    title = forms.CharField(label=gettext_lazy("标题"), max_length=120)
    doc_prefix = forms.CharField(
        label=gettext_lazy("文号前缀"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("例如“示教电通”，发布时编为 示教电通〔年份〕序号号。"),
    )
    period_start = forms.DateField(
        label=gettext_lazy("通报期间起"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=gettext_lazy("通报期间止"), widget=forms.DateInput(attrs={"type": "date"})
    )
    indicators = forms.MultipleChoiceField(
        label=gettext_lazy("通报的指标"), widget=forms.CheckboxSelectMultiple
    )
    intro = forms.CharField(
        label=gettext_lazy("正文（开头）"), max_length=4000, required=False, widget=forms.Textarea
    )
    closing = forms.CharField(
        label=gettext_lazy("工作要求"), max_length=4000, required=False, widget=forms.Textarea
    )
    is_public = forms.BooleanField(label=gettext_lazy("同时在公开页面发布"), required=False)
    frequency = forms.ChoiceField(
        label=gettext_lazy("发布方式"),
        required=False,
        choices=[("", gettext_lazy("只生成本期草稿，核对后手动发布")), *Frequency.choices],
        help_text=gettext_lazy(
            "选择每周或每月后，系统从开始日期起按期自动截取数据、编号并发布，通报期间为上一周或上一月。"
        ),
    )
    starts_on = forms.DateField(
        label=gettext_lazy("定期发布开始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [(c.pk, c.name) for c in campaigns]
        keys = {}
        for campaign in campaigns:
            for target in campaign_targets(campaign):
                keys.setdefault(target.indicator.key, target.indicator.name)
        self.fields["indicators"].choices = list(keys.items())


@admin_required
def bulletin_list(request):
    rows = bulletins.bulletins_visible_to(request.user).select_related("issuing_unit", "campaign")
    return render(
        request,
        "manage/monitoring_bulletins.html",
        {
            "page": paginate(request, rows.order_by("-published_at", "-created_at", "-id")),
            "schedules": schedules.schedules_visible_to(request.user)
            .filter(is_active=True)
            .select_related("issuing_unit", "campaign"),
        },
    )


@admin_required
def bulletin_create(request):
    campaigns = list(reading.monitored_campaigns(request.user).select_related("owner_unit"))
    if request.method == "POST":
        form = BulletinForm(request.POST, campaigns=campaigns)
        if form.is_valid():
            data = form.cleaned_data
            unit = unit_by_code(request.user, data["unit_code"])
            campaign = next(c for c in campaigns if c.pk == data["campaign"])
            if unit is None:
                form.add_error("unit_code", _("单位代码不存在或不在您的管理范围内，请核对。"))
            elif data["frequency"]:
                scheduled = _schedule(request, form, unit, campaign, data)
                if scheduled is not None:
                    return scheduled
            else:
                try:
                    bulletin = bulletins.compose(
                        Actor.from_request(request),
                        unit=unit,
                        campaign=campaign,
                        period_start=data["period_start"],
                        period_end=data["period_end"],
                        **_content(data),
                    )
                except PermissionDenied as exc:
                    raise Http404("unit") from exc
                except ValidationError as exc:
                    apply_errors(form, exc)
                else:
                    messages.success(request, _("通报草稿已生成，请核对数据后发布。"))
                    return redirect("manage_monitoring:bulletin_detail", bulletin.pk)
    else:
        today = timezone.localdate()
        roots = scope_roots(request.user)
        form = BulletinForm(
            campaigns=campaigns,
            initial={
                "unit_code": roots[0].code if roots else "",
                "period_start": today - datetime.timedelta(days=7),
                "period_end": today,
                "indicators": [key for key, _label in _choices(campaigns)],
                "title": _("关于一师一优课晒课进展情况的通报"),
            },
        )
    return render(
        request, "manage/monitoring_bulletin_form.html", {"form": form, "campaigns": campaigns}
    )


# What a bulletin says, the same for one composed now and for a schedule's issues.
CONTENT_FIELDS = ("title", "doc_prefix", "indicators", "intro", "closing", "is_public")


def _content(data) -> dict:
    return {name: data[name] for name in CONTENT_FIELDS}


def _schedule(request, form, unit, campaign, data):
    try:
        schedule = schedules.create_schedule(
            Actor.from_request(request),
            unit=unit,
            campaign=campaign,
            frequency=data["frequency"],
            starts_on=data["starts_on"] or timezone.localdate(),
            **_content(data),
        )
    except PermissionDenied as exc:
        raise Http404("unit") from exc
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    messages.success(
        request,
        _("已设置%(frequency)s定期通报，首期将于 %(day)s 发布。")
        % {"frequency": schedule.get_frequency_display(), "day": schedule.next_run.isoformat()},
    )
    return redirect("manage_monitoring:bulletin_list")


@admin_required
@require_POST
def schedule_stop(request, schedule_id: int):
    schedule = schedules.schedules_visible_to(request.user).filter(pk=schedule_id).first()
    if schedule is None:
        raise Http404("schedule")
    return run_action(
        request,
        lambda: schedules.stop_schedule(Actor.from_request(request), schedule),
        _("定期通报已停止，已发布的通报不受影响。"),
        redirect("manage_monitoring:bulletin_list"),
    )


def _choices(campaigns) -> list[tuple[str, str]]:
    """The first campaign's indicators: ticked by default."""
    if not campaigns:
        return []
    return [(t.indicator.key, t.indicator.name) for t in campaign_targets(campaigns[0])]


@admin_required
def bulletin_detail(request, bulletin_id: int):
    bulletin = access_bulletin(request.user, bulletin_id)
    snapshot = bulletin.snapshot
    tables = page_tables(snapshot)
    return render(
        request,
        "manage/monitoring_bulletin_detail.html",
        {
            "bulletin": bulletin,
            "snapshot": snapshot,
            "tables": tables,
            "can_edit": bulletins.can_edit(request.user, bulletin),
            "published": bulletin.state == BulletinState.PUBLISHED,
        },
    )


@admin_required
@require_POST
def bulletin_action(request, bulletin_id: int, action: str):
    bulletin = access_bulletin(request.user, bulletin_id)
    actor = Actor.from_request(request)
    back = redirect("manage_monitoring:bulletin_detail", bulletin.pk)
    if action == "publish":
        if request.POST.get("confirmed") != "1":
            messages.error(
                request, _("请勾选确认后再发布：发布后通报编号、数据和文件都不能再修改。")
            )
            return back
        return run_action(
            request,
            lambda: bulletins.publish(actor, bulletin),
            lambda b: _("通报已发布，文号 %(n)s，已通知下级单位。") % {"n": b.doc_number},
            back,
        )
    if action == "snapshot":
        return run_action(
            request,
            lambda: bulletins.retake_snapshot(actor, bulletin),
            _("已按最新数据重新生成通报内容。"),
            back,
        )
    if action == "delete":
        return run_action(
            request,
            lambda: bulletins.delete_draft(actor, bulletin),
            _("通报草稿已删除。"),
            redirect("manage_monitoring:bulletin_list"),
        )
    raise Http404("action")


@admin_required
def bulletin_file(request, bulletin_id: int, kind: str):
    bulletin = access_bulletin(request.user, bulletin_id)
    return serve_file(bulletin, kind, person=request.user)


def serve_file(bulletin, kind: str, *, person=None):
    if bulletin.state == BulletinState.DRAFT and kind == "pdf" and person is not None:
        # A draft's preview, drawn from its snapshot on the fly; never stored.
        if not bulletins.can_edit(person, bulletin):
            raise Http404("file")
        return HttpResponse(render_pdf(bulletin), content_type="application/pdf")
    stored = {"pdf": bulletin.pdf, "xlsx": bulletin.xlsx}.get(kind)
    if bulletin.state != BulletinState.PUBLISHED or not stored:
        raise Http404("file")
    name = f"{bulletin.doc_number or bulletin.pk}.{kind}"
    return FileResponse(stored.open("rb"), as_attachment=kind == "xlsx", filename=name)
