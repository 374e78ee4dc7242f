"""Level inbox, quotas and county screening pages; every rule lives in ``youke.selection``."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from youke.campaigns import rules as campaign_rules
from youke.campaigns.access import access_campaign
from youke.campaigns.models import Campaign, Level
from youke.core.actor import Actor
from youke.core.forms import BoundedFormMixin
from youke.core.params import int_param
from youke.manage.views.common import admin_required, paginate_ids, scope_roots
from youke.manage.views.confirmation import Confirmation, ask, confirmed
from youke.orgs import rules as org_rules
from youke.orgs.access import access_unit
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.enums import CHILD_KINDS
from youke.orgs.models import Unit
from youke.selection import rules
from youke.selection.domain import entries as entries_domain
from youke.selection.domain import filming
from youke.selection.domain import quotas as quotas_domain
from youke.selection.domain.screening import FIELDS, record_screening
from youke.selection.enums import ENTRY_TRANSITIONS, NEEDS_REASON, EntryState, ListState
from youke.selection.models import LevelEntry, Quota, ScreeningRecord
from youke.submissions.enums import CheckState
from youke.submissions.models import Material


def _campaign_and_unit(request, data) -> tuple[Campaign | None, Unit | None, list[Campaign]]:
    campaigns = list(campaign_rules.campaigns_visible_to(request.user).order_by("-opens_at"))
    raw = data.get("campaign", "")
    if raw.isdigit():
        campaign = access_campaign(request.user, int(raw))
    else:
        campaign = campaigns[0] if campaigns else None
    raw = data.get("unit", "")
    if raw.isdigit():
        unit = access_unit(request.user, int(raw))
    else:
        roots = scope_roots(request.user)
        unit = roots[0] if roots else None
    if unit is not None and not org_rules.covers(request.user, unit):
        raise Http404("unit")
    return campaign, unit, campaigns


def _levels(campaign: Campaign, kinds) -> list[Level]:
    return list(Level.objects.filter(campaign=campaign, unit_kind__in=kinds).order_by("order"))


def _pick_level(levels: list[Level], data) -> Level | None:
    """The level asked for (404 if it is not one of ``levels``), else the first."""
    raw = data.get("level", "")
    if raw.isdigit():
        level = next((level for level in levels if level.pk == int(raw)), None)
        if level is None:
            raise Http404("level")
        return level
    return levels[0] if levels else None


def _level(campaign: Campaign, data, kinds) -> Level | None:
    return _pick_level(_levels(campaign, kinds), data)


def _inbox_url(campaign_id, unit_id, level_id) -> str:
    query = urlencode({"campaign": campaign_id, "unit": unit_id, "level": level_id})
    return f"{reverse('manage_selection:inbox')}?{query}"


def _report(request, exc: ValidationError, prefix: str = "") -> None:
    for message in exc.messages:
        messages.error(request, f"{prefix}{message}")


# How each decision reads on a row's button; which ones a row shows comes from the domain's
# transition table, and which need a reason from ``NEEDS_REASON``.
ACTION_LABELS = {
    EntryState.RECOMMENDED: gettext_lazy("推荐"),
    EntryState.NOT_RECOMMENDED: gettext_lazy("不推荐"),
    EntryState.RETURNED: gettext_lazy("退回修改"),
    EntryState.PENDING: gettext_lazy("重新待审"),
}


def _row_actions(state: str) -> list[dict]:
    allowed = ENTRY_TRANSITIONS.get(state, frozenset())
    return [
        {"value": value, "label": label, "needs_reason": value in NEEDS_REASON}
        for value, label in ACTION_LABELS.items()
        if value in allowed
    ]


@admin_required
def inbox(request):
    campaign, unit, campaigns = _campaign_and_unit(request, request.GET)
    levels = _levels(campaign, [unit.kind]) if campaign and unit else []
    level = _pick_level(levels, request.GET)
    context = {"campaigns": campaigns, "campaign": campaign, "unit": unit, "level": level}
    if level is None:
        return render(request, "manage/selection_inbox.html", context)
    entries = rules.entries_visible_to(request.user).filter(level=level, unit=unit)
    g = request.GET
    if g.get("state") in EntryState.values:
        entries = entries.filter(state=g["state"])
    if g.get("category", "").isdigit():
        entries = entries.filter(submission__category_id=int(g["category"]))
    if g.get("q", "").strip():
        entries = entries.filter(submission__title__icontains=g["q"].strip())
    lists = level.lists.filter(unit=unit).first()
    # Ids first: the list query joins only what it sorts on; the 50 rows get their joins.
    page = paginate_ids(
        request,
        entries.order_by("submission__node__path", "id"),
        LevelEntry.objects.select_related(
            "submission__teacher",
            "submission__unit",
            "submission__node",
            "submission__category",
            "screening",
        ),
    )
    # Check states are counted for the shown page only, not grouped over the whole inbox.
    # Warnings count too: a video far too short only warns, and must not read "无问题".
    counts: dict[int, dict[str, int]] = {}
    for submission_id, state, n in (
        Material.objects.filter(submission_id__in=[e.submission_id for e in page])
        .exclude(check_state=CheckState.PASSED)
        .values("submission_id", "check_state")
        .annotate(n=Count("id"))
        .values_list("submission_id", "check_state", "n")
    ):
        counts.setdefault(submission_id, {})[state] = n
    # Only where videos are filmed after screening can an entry wait for one.
    waiting = filming.waiting_labels(list(page)) if filming.videos_after_screening(campaign) else {}
    usage, category_quotas = quotas_domain.usage_and_category_quotas(level, unit)
    for entry in page:
        found = counts.get(entry.submission_id, {})
        entry.failed = found.get(CheckState.FAILED, 0)
        entry.warned = found.get(CheckState.WARNED, 0)
        entry.checking = found.get(CheckState.QUEUED, 0) + found.get(CheckState.PROCESSING, 0)
        entry.actions = _row_actions(entry.state)
        entry.waiting = waiting.get(entry.pk, "")
    context.update(
        {
            "levels": levels,
            "page": page,
            "filters": g,
            "states": EntryState.choices,
            "categories": campaign.categories.all(),
            "usage": usage,
            "category_quotas": category_quotas,
            "confirmed": lists is not None and lists.state == ListState.CONFIRMED,
            "list": lists,
            "back": _inbox_url(campaign.pk, unit.pk, level.pk),
        }
    )
    return render(request, "manage/selection_inbox.html", context)


@admin_required
@require_POST
def entry_decide(request, entry_id: int):
    entry = rules.access_entry(request.user, entry_id)
    decision = request.POST.get("decision", "")
    try:
        entries_domain.decide(
            Actor.from_request(request),
            entry,
            decision,
            reason=request.POST.get("reason", ""),
            override_reason=request.POST.get("override_reason", ""),
        )
    except PermissionDenied as exc:
        raise Http404("entry") from exc
    except ValidationError as exc:
        _report(request, exc, f"《{entry.submission.title}》：")
    else:
        messages.success(
            request,
            _("《%(t)s》已处理：%(d)s。")
            % {"t": entry.submission.title, "d": EntryState(decision).label},
        )
    return redirect(_inbox_url(entry.level.campaign_id, entry.unit_id, entry.level_id))


@admin_required
@require_POST
def bulk_recommend(request):
    """Each checked entry is decided on its own; refusals are listed, the rest go through."""
    ids = [int(i) for i in request.POST.getlist("entry") if i.isdigit()]
    chosen = list(
        rules.entries_visible_to(request.user)
        .filter(pk__in=ids)
        .select_related("submission", "level")
        .order_by("id")
    )
    done = 0
    for entry in chosen:
        try:
            entries_domain.decide(Actor.from_request(request), entry, EntryState.RECOMMENDED)
        except PermissionDenied:
            messages.error(request, _("《%(t)s》：无权处理。") % {"t": entry.submission.title})
        except ValidationError as exc:
            _report(request, exc, f"《{entry.submission.title}》：")
        else:
            done += 1
    messages.info(
        request, _("已推荐 %(done)s 件，共选择 %(n)s 件。") % {"done": done, "n": len(ids)}
    )
    if not chosen:
        return redirect("manage_selection:inbox")
    first = chosen[0]
    return redirect(_inbox_url(first.level.campaign_id, first.unit_id, first.level_id))


def _list_confirmation(person, campaign: Campaign, level: Level, unit: Unit) -> Confirmation:
    """What confirming the list will do: counts by state, the names, where they go next."""
    entries = list(
        rules.entries_visible_to(person)
        .filter(level=level, unit=unit)
        .select_related("submission__teacher")
        .order_by("submission__title", "id")
    )
    by_state = {value: 0 for value in EntryState.values}
    for entry in entries:
        by_state[entry.state] += 1
    chosen = [e for e in entries if e.state == EntryState.RECOMMENDED]
    names = {"unit": unit.name, "level": level.name}
    lines = [_("%(unit)s“%(level)s”推荐名单将被锁定，之后不能再改动。") % names]
    upper = Level.objects.filter(campaign=campaign, order__gt=level.order).order_by("order").first()
    receiver = (
        Unit.objects.filter(path__in=campaign_rules.ancestor_paths(unit.path), kind=upper.unit_kind)
        .order_by("-depth")
        .first()
        if upper
        else None
    )
    if upper is not None:
        lines.append(
            _("%(n)s 件推荐作品将报送%(receiver)s，进入“%(next)s”。")
            % {
                "n": len(chosen),
                "receiver": receiver.name if receiver else upper.get_unit_kind_display(),
                "next": upper.name,
            }
        )
    else:
        lines.append(_("%(n)s 件推荐作品成为本活动的最终推荐结果。") % {"n": len(chosen)})
    if by_state[EntryState.NOT_RECOMMENDED] or by_state[EntryState.RETURNED]:
        lines.append(
            _("不推荐的 %(no)s 件和退回修改的 %(back)s 件不再随名单上报。")
            % {
                "no": by_state[EntryState.NOT_RECOMMENDED],
                "back": by_state[EntryState.RETURNED],
            }
        )
    warnings = []
    if by_state[EntryState.PENDING]:
        warnings.append(
            _("还有 %(n)s 件作品待审：请先回到列表逐一处理，否则名单不能确认。")
            % {"n": by_state[EntryState.PENDING]}
        )
    return Confirmation(
        title=_("确认推荐名单并报送上级"),
        consequences=lines,
        items=[
            _("《%(title)s》 · %(teacher)s")
            % {"title": e.submission.title, "teacher": e.submission.teacher.full_name}
            for e in chosen
        ],
        warnings=warnings,
        button=_("确认名单，报送 %(n)s 件") % {"n": len(chosen)},
    )


@admin_required
@require_POST
def confirm(request):
    campaign, unit, _campaigns = _campaign_and_unit(request, request.POST)
    if campaign is None or unit is None:
        raise Http404("list")
    level = _level(campaign, request.POST, [unit.kind])
    if level is None:
        raise Http404("level")
    if not confirmed(request):
        return ask(
            request,
            _list_confirmation(request.user, campaign, level, unit),
            _inbox_url(campaign.pk, unit.pk, level.pk),
        )
    try:
        entries_domain.confirm_list(
            Actor.from_request(request),
            campaign,
            level,
            unit,
            override_reason=request.POST.get("override_reason", ""),
        )
    except PermissionDenied as exc:
        raise Http404("list") from exc
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("推荐名单已确认并报送上级。"))
    return redirect(_inbox_url(campaign.pk, unit.pk, level.pk))


@admin_required
def quotas(request):
    data = request.POST if request.method == "POST" else request.GET
    campaign, unit, campaigns = _campaign_and_unit(request, data)
    kinds = CHILD_KINDS.get(unit.kind, frozenset()) if unit else frozenset()
    level = _level(campaign, data, kinds) if campaign and unit else None
    context = {"campaigns": campaigns, "campaign": campaign, "unit": unit, "level": level}
    if level is None:
        return render(request, "manage/selection_quotas.html", context)
    children = list(
        Unit.objects.filter(
            path__under=unit.path, depth=unit.depth + 1, kind=level.unit_kind, is_active=True
        ).order_by("path")
    )
    actor = Actor.from_request(request)
    if request.method == "POST":
        try:
            if data.get("action") == "proportional":
                quotas_domain.apply_proportional(
                    actor,
                    campaign,
                    level,
                    unit,
                    int_param(data.get("total"), 0),
                    bonus_per_award=int_param(data.get("bonus"), 0),
                )
            else:
                for child in children:
                    raw = data.get(f"allowed_{child.pk}", "").strip()
                    if raw:
                        if not raw.isdigit():
                            raise ValidationError(
                                _("“%(u)s”的名额须为 0 或正整数。") % {"u": child.name}
                            )
                        quotas_domain.allocate_quota(actor, campaign, level, child, int(raw))
        except PermissionDenied as exc:
            raise Http404("quota") from exc
        except ValidationError as exc:
            _report(request, exc)
        else:
            messages.success(request, _("名额已保存。"))
        query = urlencode({"campaign": campaign.pk, "unit": unit.pk, "level": level.pk})
        return redirect(f"{reverse('manage_selection:quotas')}?{query}")
    current = {
        q.unit_id: q
        for q in Quota.objects.filter(level=level, unit__in=children, category__isnull=True)
    }
    used = dict(
        LevelEntry.objects.filter(level=level, unit__in=children, state=EntryState.RECOMMENDED)
        .values_list("unit")
        .annotate(n=Count("id"))
        .order_by()
    )
    preview = None
    if data.get("total", "").strip().isdigit():
        try:
            preview = quotas_domain.proportional_quotas(
                campaign,
                level,
                unit,
                int_param(data["total"], 0),
                bonus_per_award=int_param(data.get("bonus"), 0),
            )
        except ValidationError as exc:
            _report(request, exc)
    context.update(
        {
            "levels": Level.objects.filter(campaign=campaign, unit_kind__in=kinds),
            "rows": [(c, current.get(c.pk), used.get(c.pk, 0)) for c in children],
            "preview": preview,
            "total": data.get("total", ""),
            "bonus": data.get("bonus", ""),
        }
    )
    return render(request, "manage/selection_quotas.html", context)


class ScreeningForm(BoundedFormMixin, forms.ModelForm):
    trial_date = forms.DateField(
        label=gettext_lazy("试讲日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )

    class Meta:
        model = ScreeningRecord
        fields = FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-control"
            if isinstance(field.widget, forms.Select):
                css = "form-select"
            field.widget.attrs.setdefault("class", css)


@admin_required
def screening(request, entry_id: int):
    entry = rules.access_entry(request.user, entry_id)
    if not entry.level.has_trial_lecture:
        raise Http404("no trial lecture at this level")
    existing = ScreeningRecord.objects.filter(entry=entry).first()
    form = ScreeningForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        try:
            record_screening(
                Actor.from_request(request),
                entry,
                **{name: form.cleaned_data[name] for name in FIELDS},
            )
        except PermissionDenied as exc:
            raise Http404("entry") from exc
        except ValidationError as exc:
            _report(request, exc)
        else:
            messages.success(request, _("初选记录已保存。"))
            return redirect(_inbox_url(entry.level.campaign_id, entry.unit_id, entry.level_id))
    return render(
        request,
        "manage/selection_screening.html",
        {
            "entry": entry,
            "form": form,
            "back": _inbox_url(entry.level.campaign_id, entry.unit_id, entry.level_id),
        },
    )
