"""Originality pages: the evidence page of a package (players and passages side by side),
clearing, re-checking, the teacher's explanation and a campaign's thresholds.

Seeing follows the package's files (``originality.rules``): 404 for anyone else."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from youke.campaigns.access import access_campaign
from youke.core.actor import Actor
from youke.core.views import run_action
from youke.manage.views.common import admin_required
from youke.media import serving
from youke.media.models import MediaAsset
from youke.originality import rules
from youke.originality.domain import results
from youke.originality.domain.evidence import compared_segments, match_views
from youke.originality.domain.settings import save_settings, settings_for
from youke.originality.enums import MatchKind
from youke.originality.models import OriginalityMatch, OriginalityResult, OriginalitySettings
from youke.portal.player import material_chapters
from youke.selection.domain.viewing import FULL
from youke.submissions.domain import blind_copies
from youke.submissions.models import Submission


def _load(person, submission_id: int):
    mode = rules.view_mode(person, submission_id)
    if mode is None:
        raise Http404("submission")
    submission = Submission.objects.select_related("campaign", "teacher", "unit").get(
        pk=submission_id
    )
    return submission, mode


@login_required
def evidence(request, submission_id: int):
    submission, mode = _load(request.user, submission_id)
    result = OriginalityResult.objects.filter(submission=submission).first()
    views = match_views(request.user, result, mode) if result else []
    chosen = next(
        (v for v in views if v.is_video and str(v.match.pk) == request.GET.get("match")), None
    )
    chosen = chosen or next((v for v in views if v.is_video), None)
    players = {}
    segments: list[dict] = []
    if chosen is not None:
        players["this"] = material_chapters(
            request.user, submission, mode, chosen.match.material_id
        )
        if chosen.other_mode is not None:
            players["other"] = material_chapters(
                request.user,
                chosen.match.other_submission,
                chosen.other_mode,
                chosen.match.other_material_id,
            )
            shift = 0.0
        else:
            # Outside the viewer's scope: admins over this package may still compare with
            # the other's blind copy (no opening title, no names), shifted by its cut.
            players["other"], shift = _blind_other(request.user, submission_id, chosen)
        segments = compared_segments(views, chosen)
        for segment in segments:
            segment["other_seek"] = max(0.0, segment["other_start"] - shift)
    author = rules.is_author(request.user, submission_id)
    return render(
        request,
        "manage/originality_evidence.html",
        {
            "submission": submission,
            "blind": mode != FULL,
            "result": result,
            "views": views,
            "chosen": chosen,
            "segments": segments,
            "this_chapters": players.get("this", []),
            "other_chapters": players.get("other", []),
            "is_author": author,
            "can_clear": rules.can_clear(request.user, submission_id),
            "can_recheck": rules.can_recheck(request.user, submission_id),
        },
    )


@login_required
def notice(request, submission_id: int):
    """The package and entry pages' originality line, fetched after the page loads."""
    _load(request.user, submission_id)
    return render(
        request,
        "originality/_notice.html",
        {
            "originality": OriginalityResult.objects.filter(submission_id=submission_id).first(),
            "submission_id": submission_id,
        },
    )


def _blind_other(person, submission_id: int, chosen) -> tuple[list[dict], float]:
    if not rules.is_admin_over(person, submission_id):
        return [], 0.0
    material = chosen.match.other_material
    asset = MediaAsset.objects.filter(upload_id=material.upload_id).first()
    if blind_copies.blind_file(material, asset) is None:
        return [], 0.0
    chapter = {
        "label": _("对方作品（匿名版本）"),
        "hls": "",
        "mp4": reverse("manage_originality:other_video", args=[submission_id, chosen.match.pk]),
        "poster": "",
        "position": "",
        "resume": 0,
        "duration": None,
        "thumbs": [],
    }
    return [chapter], float(asset.blind_cut_seconds or 0)


@login_required
@require_safe
def other_video(request, submission_id: int, match_id: int):
    """The other package's blind copy, for admins over this package comparing a match."""
    if rules.view_mode(request.user, submission_id) != FULL or not rules.is_admin_over(
        request.user, submission_id
    ):
        raise Http404("submission")
    match = (
        OriginalityMatch.objects.filter(
            pk=match_id, result__submission_id=submission_id, kind=MatchKind.VIDEO
        )
        .select_related("other_material__upload", "other_material__requirement")
        .first()
    )
    if match is None:
        raise Http404("match")
    material = match.other_material
    asset = MediaAsset.objects.filter(upload_id=material.upload_id).first()
    copy = blind_copies.blind_file(material, asset)
    if copy is None:
        raise Http404("blind copy")
    return serving.serve(request, copy.name, content_type="video/mp4")


def _stored_result(request, submission_id: int) -> OriginalityResult:
    """The package's result for an action on it: 404 outside the viewer's scope or before
    the first check."""
    _load(request.user, submission_id)
    result = OriginalityResult.objects.filter(submission_id=submission_id).first()
    if result is None:
        raise Http404("result")
    return result


def _back(submission_id: int):
    return redirect(reverse("manage_originality:evidence", args=[submission_id]))


@login_required
@require_POST
def clear(request, submission_id: int):
    result = _stored_result(request, submission_id)
    return run_action(
        request,
        lambda: results.clear_result(
            Actor.from_request(request), result, request.POST.get("reason", "")
        ),
        _("已核查放行，说明已记录。"),
        _back(submission_id),
        denied=_("只有负责该作品推荐的管理员可以核查放行。"),
    )


@login_required
@require_POST
def recheck(request, submission_id: int):
    _load(request.user, submission_id)
    return run_action(
        request,
        lambda: results.request_recheck(Actor.from_request(request), submission_id),
        _("已在后台重新检测，稍后刷新查看结果。"),
        _back(submission_id),
        denied=_("只有负责该作品推荐的管理员可以重新检测。"),
    )


@login_required
@require_POST
def explain(request, submission_id: int):
    result = _stored_result(request, submission_id)
    return run_action(
        request,
        lambda: results.explain(Actor.from_request(request), result, request.POST.get("note", "")),
        _("说明已保存，审核的管理员会看到它。"),
        _back(submission_id),
        denied=_("只有作品的作者可以填写说明。"),
    )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = OriginalitySettings
        fields = [
            "match_bits",
            "min_segment_seconds",
            "min_audio_seconds",
            "low_detail",
            "common_videos",
            "video_similar_share",
            "video_copy_share",
            "quoted_clip_seconds",
            "common_submissions",
            "document_similar_share",
            "document_copy_share",
            "block_likely_copy",
        ]

    def clean(self):
        data = super().clean()
        for name in (
            "video_similar_share",
            "video_copy_share",
            "document_similar_share",
            "document_copy_share",
        ):
            value = data.get(name)
            if value is not None and not 0 < value <= 1:
                self.add_error(name, _("请填写 0 到 1 之间的小数，例如 0.5 表示一半。"))
        if data.get("match_bits") is not None and data["match_bits"] > 32:
            self.add_error("match_bits", _("请填写 0 到 32 之间的整数；数值越大越容易误判。"))
        return data


@admin_required
def campaign_settings(request, campaign_id: int):
    campaign = access_campaign(request.user, campaign_id, manage=True)
    current = settings_for(campaign.pk)
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items()}
        try:
            save_settings(Actor.from_request(request), campaign, values)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            from django.contrib import messages

            messages.success(request, _("原创性检测设置已保存，之后的检测按新设置进行。"))
            return redirect(reverse("manage_originality:settings", args=[campaign.pk]))
    return render(
        request,
        "manage/originality_settings.html",
        {"campaign": campaign, "form": form, "here": _("原创性检测设置")},
    )
