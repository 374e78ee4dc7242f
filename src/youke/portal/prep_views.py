"""网络集体备课 for studio people: the list with a start form, and one session with its
versions, paragraph annotations, the host's revision and summary."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from youke.classrooms import rules
from youke.classrooms.access import access_prep
from youke.classrooms.domain import preparation
from youke.classrooms.enums import PrepState, StudioRole
from youke.classrooms.models import Studio
from youke.core.actor import Actor
from youke.core.views import run_action
from youke.manage.views.common import apply_errors

TEXT_HELP = gettext_lazy("每段一行；参与者按段落编号批注。")


class StartForm(forms.Form):
    studio = forms.ModelChoiceField(label=gettext_lazy("工作室"), queryset=Studio.objects.none())
    title = forms.CharField(label=gettext_lazy("课题"), max_length=200)
    text = forms.CharField(
        label=gettext_lazy("教学设计初稿"),
        max_length=preparation.MAX_TEXT,
        help_text=TEXT_HELP,
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    def __init__(self, *args, studios=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["studio"].queryset = studios


class AnnotateForm(forms.Form):
    paragraph = forms.TypedChoiceField(
        label=gettext_lazy("段落"), coerce=int, required=False, empty_value=None
    )
    body = forms.CharField(
        label=gettext_lazy("批注"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, count=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paragraph"].choices = [("", _("整篇"))] + [
            (i, _("第 %(n)d 段") % {"n": i}) for i in range(1, count + 1)
        ]


class ReviseForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("修改后的教学设计"),
        max_length=preparation.MAX_TEXT,
        help_text=TEXT_HELP,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    note = forms.CharField(label=gettext_lazy("修改说明"), max_length=500, required=False)


class ConcludeForm(forms.Form):
    summary = forms.CharField(
        label=gettext_lazy("备课总结"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


def startable_studios(person):
    return Studio.objects.filter(
        Q(host__person=person) | Q(members__person=person, members__role=StudioRole.MEMBER)
    ).distinct()


@login_required
def preps(request):
    person = request.user
    studios = startable_studios(person)
    form = StartForm(request.POST or None, studios=studios) if studios.exists() else None
    if request.method == "POST":
        if form is None:
            raise Http404("studio")
        if form.is_valid():
            data = form.cleaned_data
            try:
                prep = preparation.start_prep(
                    Actor.from_request(request),
                    data["studio"],
                    title=data["title"],
                    text=data["text"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已分享教学设计初稿，工作室成员可以批注。"))
                return redirect("portal_classrooms:prep", prep.pk)
    rows = rules.preps_visible_to(person).select_related("studio", "host")[:100]
    return render(request, "portal/classrooms/preps.html", {"preps": rows, "form": form})


@login_required
def prep_detail(request, prep_id: int):
    prep = access_prep(request.user, prep_id)
    versions = preparation.prep_view(prep)
    latest = versions[-1]["version"] if versions else None
    is_host = prep.host_id == request.user.pk
    is_open = prep.state == PrepState.OPEN
    return render(
        request,
        "portal/classrooms/prep.html",
        {
            "prep": prep,
            "versions": versions,
            "latest": latest,
            "is_host": is_host,
            "can_annotate": is_open and rules.studio_participant(request.user, prep.studio),
            "annotate_form": AnnotateForm(count=len(latest.paragraphs) if latest else 0),
            "revise_form": ReviseForm(initial={"text": latest.text if latest else ""})
            if is_host and is_open
            else None,
            "conclude_form": ConcludeForm() if is_host and is_open else None,
        },
    )


def _done(prep):
    return redirect("portal_classrooms:prep", prep.pk)


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}：{errors[0]}")


@login_required
@require_POST
def prep_annotate(request, prep_id: int):
    prep = access_prep(request.user, prep_id)
    latest = prep.versions.order_by("-number").first()
    form = AnnotateForm(request.POST, count=len(latest.paragraphs) if latest else 0)
    if not form.is_valid():
        _form_errors(request, form)
        return _done(prep)
    return run_action(
        request,
        lambda: preparation.annotate(
            Actor.from_request(request),
            prep,
            body=form.cleaned_data["body"],
            paragraph=form.cleaned_data["paragraph"],
        ),
        _("已添加批注。"),
        _done(prep),
    )


@login_required
@require_POST
def prep_revise(request, prep_id: int):
    prep = access_prep(request.user, prep_id)
    form = ReviseForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _done(prep)
    return run_action(
        request,
        lambda: preparation.revise(Actor.from_request(request), prep, **form.cleaned_data),
        lambda version: _("已发布第 %(n)d 版。") % {"n": version.number},
        _done(prep),
    )


@login_required
@require_POST
def prep_conclude(request, prep_id: int):
    prep = access_prep(request.user, prep_id)
    form = ConcludeForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _done(prep)
    return run_action(
        request,
        lambda: preparation.conclude(
            Actor.from_request(request), prep, summary=form.cleaned_data["summary"]
        ),
        _("已发布备课总结。"),
        _done(prep),
    )
