"""The teacher adds or removes a resource link beside a material's upload (seed 003)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youke.campaigns.models import MaterialRequirement
from youke.core.actor import Actor
from youke.core.params import int_param
from youke.core.views import run_action
from youke.portal.submission_views import access_submission
from youke.submissions.domain import links


@login_required
@require_POST
def add_link(request, submission_id: int):
    submission = access_submission(request.user, submission_id)
    requirement = MaterialRequirement.objects.filter(
        pk=int_param(request.POST.get("requirement")), category_id=submission.category_id
    ).first()
    if requirement is None:
        raise Http404("requirement")
    period = int_param(request.POST.get("period")) or 1
    return run_action(
        request,
        lambda: links.add_link(
            Actor.from_request(request),
            submission,
            requirement,
            period,
            title=request.POST.get("title", ""),
            url=request.POST.get("url", ""),
        ),
        lambda link: _("已添加链接“%(t)s”（%(h)s）。") % {"t": link.title, "h": link.host},
        redirect("portal:submission_detail", submission.pk),
    )


@login_required
@require_POST
def remove_link(request, submission_id: int, link_id: int):
    submission = access_submission(request.user, submission_id)
    link = links.link_of(submission, link_id)
    return run_action(
        request,
        lambda: links.remove_link(Actor.from_request(request), link),
        _("已删除链接“%(t)s”。") % {"t": link.title},
        redirect("portal:submission_detail", submission.pk),
    )
