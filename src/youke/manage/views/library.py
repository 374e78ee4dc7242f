"""资源库发布: awards of the admin's levels to publish (one or a batch job), published lessons
with their statistics, unpublishing, and a campaign's licence and download setting."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youke.campaigns.models import Campaign
from youke.core.actor import Actor
from youke.core.views import run_action
from youke.library import rules
from youke.library.access import access_managed_lesson, access_publishable_award
from youke.library.domain import comments, consent, publishing
from youke.library.enums import LessonState
from youke.library.models import LibraryLesson, PublicationConsent
from youke.manage.views.common import admin_required, paginate_ids, start_job
from youke.orgs import rules as org_rules


def _campaign_id(request) -> int | None:
    raw = request.GET.get("campaign") or request.POST.get("campaign") or ""
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


@admin_required
def award_list(request):
    campaign_id = _campaign_id(request)
    awards = rules.awards_publishable_by(request.user)
    if campaign_id:
        awards = awards.filter(level__campaign_id=campaign_id)
    consented = PublicationConsent.objects.filter(
        submission_id=OuterRef("entry__submission_id"), withdrawn_at__isnull=True
    )
    published = LibraryLesson.objects.filter(
        submission_id=OuterRef("entry__submission_id"), state=LessonState.PUBLISHED
    )
    rows = awards.select_related(
        "entry__submission__teacher", "entry__submission__unit", "entry__unit", "level", "grade"
    ).annotate(consented=Exists(consented), published=Exists(published))
    page = paginate_ids(request, awards.order_by("-awarded_at", "-id"), rows)
    campaigns = Campaign.objects.filter(
        pk__in=rules.awards_publishable_by(request.user).values("level__campaign_id")
    ).order_by("-year", "name")
    ready = publishing.batch_candidates(request.user, campaign_id=campaign_id).count()
    return render(
        request,
        "manage/library_awards.html",
        {
            "page": page,
            "campaigns": campaigns,
            "campaign_id": campaign_id,
            "ready": ready,
            "filters": request.GET,
        },
    )


@admin_required
@require_POST
def award_publish(request, award_id: int):
    award = access_publishable_award(request.user, award_id)
    return run_action(
        request,
        lambda: publishing.publish_award(Actor.from_request(request), award),
        lambda lesson: _("《%(t)s》已发布到资源库。") % {"t": lesson.title},
        redirect(request.POST.get("back") or "manage_library:award_list")
        if (request.POST.get("back") or "").startswith("/manage/")
        else redirect("manage_library:award_list"),
    )


@admin_required
@require_POST
def batch_publish(request):
    campaign_id = _campaign_id(request)
    ids = [int(i) for i in request.POST.getlist("award") if i.isdigit() and len(i) < 10]
    return start_job(
        request,
        lambda: publishing.start_batch(
            Actor.from_request(request), campaign_id=campaign_id, award_ids=ids or None
        ),
        redirect("manage_library:award_list"),
    )


@admin_required
def lesson_list(request):
    lessons = rules.lessons_managed_by(request.user)
    state = request.GET.get("state", "")
    if state in LessonState.values:
        lessons = lessons.filter(state=state)
    page = paginate_ids(
        request, lessons.order_by("-published_at", "-id"), LibraryLesson.objects.all()
    )
    totals = lessons.aggregate(
        views=Sum("views"),
        visitors=Sum("visitors"),
        downloads=Sum("downloads"),
        likes=Sum("likes"),
        favourites=Sum("favourites"),
        comments=Sum("comments"),
    )
    # Per school: the statistics "per unit" the issue asks for, top 20 by views.
    per_unit = list(
        lessons.filter(state=LessonState.PUBLISHED)
        .exclude(school=None)
        .values("school__name")
        .annotate(views=Sum("views"), downloads=Sum("downloads"), likes=Sum("likes"))
        .order_by("-views")[:20]
    )
    return render(
        request,
        "manage/library_lessons.html",
        {
            "page": page,
            "totals": totals,
            "per_unit": per_unit,
            "state": state,
            "filters": request.GET,
            "states": LessonState.choices,
        },
    )


@admin_required
@require_POST
def lesson_unpublish(request, lesson_id: int):
    lesson = access_managed_lesson(request.user, lesson_id)
    return run_action(
        request,
        lambda: publishing.unpublish(
            Actor.from_request(request), lesson, request.POST.get("reason", "")
        ),
        _("已从资源库下架。"),
        redirect("manage_library:lesson_list"),
    )


@admin_required
@require_POST
def lesson_republish(request, lesson_id: int):
    lesson = access_managed_lesson(request.user, lesson_id)
    return run_action(
        request,
        lambda: publishing.republish(Actor.from_request(request), lesson),
        _("已重新发布。"),
        redirect("manage_library:lesson_list"),
    )


@admin_required
def library_settings(request, campaign_id: int):
    campaign = Campaign.objects.select_related("owner_unit").filter(pk=campaign_id).first()
    if campaign is None or not org_rules.covers(request.user, campaign.owner_unit):
        raise Http404("campaign")
    title, text = consent.licence_for(campaign)
    is_open = consent.downloads_open(campaign.pk)
    premoderated = comments.premoderated(campaign.pk)
    errors: list[str] = []
    if request.method == "POST":
        title = request.POST.get("licence_title", "")
        text = request.POST.get("licence_text", "")
        is_open = request.POST.get("downloads_open") == "1"
        premoderated = request.POST.get("comments_premoderated") == "1"
        try:
            consent.save_settings(
                Actor.from_request(request),
                campaign,
                licence_title=title,
                licence_text=text,
                downloads_open=is_open,
                comments_premoderated=premoderated,
            )
        except ValidationError as exc:
            errors = exc.messages  # the typed text stays in the form
        else:
            messages.success(request, _("资源库设置已保存。"))
            return redirect("manage_library:settings", campaign.pk)
    return render(
        request,
        "manage/library_settings.html",
        {
            "campaign": campaign,
            "licence_title": title,
            "licence_text": text,
            "downloads_open": is_open,
            "comments_premoderated": premoderated,
            "errors": errors,
        },
    )
