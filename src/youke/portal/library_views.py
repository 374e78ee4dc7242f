"""The teacher accepts or withdraws the library's publication licence for a package."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youke.core.actor import Actor
from youke.core.views import run_action
from youke.library.domain import consent
from youke.portal.submission_views import access_submission
from youke.portal.templatetags.library_consent import consent_context


@login_required
def consent_panel(request, submission_id: int):
    """The licence panel of the package page (loaded by htmx after the page)."""
    submission = access_submission(request.user, submission_id)
    return render(
        request, "portal/_library_consent.html", consent_context(submission, request.user)
    )


@login_required
@require_POST
def consent_accept(request, submission_id: int):
    submission = access_submission(request.user, submission_id)
    back = redirect("portal:submission_detail", submission.pk)
    if not request.POST.get("accept"):
        messages.error(request, _("请勾选“我已阅读并同意”后再提交。"))
        return back
    return run_action(
        request,
        lambda: consent.accept(
            Actor.from_request(request),
            submission,
            show_author=request.POST.get("show_author") == "1",
        ),
        _("已同意发布许可：作品获奖后可由发布单位发布到资源库。"),
        back,
    )


@login_required
@require_POST
def consent_withdraw(request, submission_id: int):
    submission = access_submission(request.user, submission_id)
    return run_action(
        request,
        lambda: consent.withdraw(Actor.from_request(request), submission),
        _("已撤回发布许可。"),
        redirect("portal:submission_detail", submission.pk),
    )
