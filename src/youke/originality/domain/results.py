"""The package's originality result: computed from its matches, cleared, explained, re-checked.

``_write_verdict`` is the only writer of ``OriginalityResult.verdict`` and checks
``VERDICT_TRANSITIONS``; a clearance holds until a re-check finds something stronger.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.campaigns.enums import MaterialKind
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.originality import rules
from youke.originality.domain import (
    alignment,
    audio_index,
    document_index,
    quotes,
    video_index,
)
from youke.originality.domain.settings import settings_for
from youke.originality.enums import VERDICT_RANK, VERDICT_TRANSITIONS, MatchKind, Verdict
from youke.originality.models import (
    AudioFingerprint,
    DocumentFingerprint,
    OriginalityMatch,
    OriginalityResult,
    VideoFingerprint,
)
from youke.submissions.models import Material, Submission

logger = logging.getLogger(__name__)


def ensure_result(submission_id: int) -> OriginalityResult:
    result, _created = OriginalityResult.objects.get_or_create(submission_id=submission_id)
    return result


def _verdict(share: float, similar: float, copy: float) -> str:
    if share >= copy:
        return Verdict.LIKELY_COPY
    if share >= similar:
        return Verdict.SIMILAR
    return Verdict.NONE


def fingerprint_material(material_id: int) -> set[int]:
    """Index one checked material, re-check its package; the other packages it matched
    (whose results may change now that the index grew) are returned for re-checks."""
    material = (
        Material.objects.select_related("upload", "requirement", "submission")
        .filter(pk=material_id)
        .first()
    )
    if material is None or not material.upload.storage_name:
        return set()
    s = settings_for(material.submission.campaign_id)
    try:
        if material.requirement.kind == MaterialKind.VIDEO:
            video_index.fingerprint_material(material, s.low_detail)
        else:
            document_index.fingerprint_material(material)
    except Exception:  # an unreadable file is the check's business, not this job's
        logger.exception("originality: cannot fingerprint material %s", material_id)
        return set()
    if material.requirement.kind == MaterialKind.VIDEO:
        try:
            # The sound track: a copy whose picture was altered still carries it.
            audio_index.fingerprint_material(material)
        except Exception:  # a broken sound track leaves the picture's evidence standing
            logger.exception("originality: cannot fingerprint the audio of %s", material_id)
    _matches, others = check_submission(material.submission_id)
    return others


def check_submission(submission_id: int) -> tuple[OriginalityResult, set[int]]:
    """Compare every fingerprinted material of the package with the whole index."""
    submission = Submission.objects.get(pk=submission_id)
    s = settings_for(submission.campaign_id)
    rows: list[OriginalityMatch] = []
    shares: list[float] = []
    seen_others: set[int] = set()
    verdict = Verdict.NONE
    citations = list(submission.citations.values_list("source", "author", "note"))
    videos = {
        fp.material_id: fp for fp in VideoFingerprint.objects.filter(submission_id=submission_id)
    }
    sounds = {
        fp.material_id: fp for fp in AudioFingerprint.objects.filter(submission_id=submission_id)
    }
    for material_id in sorted(videos.keys() | sounds.keys()):
        found: list[tuple[str, object]] = []
        duration = 0.0
        if material_id in videos:
            fp = videos[material_id]
            found += [(MatchKind.VIDEO, m) for m in video_index.find_matches(fp, s)]
            duration = fp.duration
        if material_id in sounds:
            fp = sounds[material_id]
            found += [(MatchKind.AUDIO, m) for m in audio_index.find_matches(fp, s)]
            duration = duration or fp.duration
        cited = _cited_quotes([m for _kind, m in found], citations, s.quoted_clip_seconds)
        # Picture and sound segments are times of one video: their union is what was copied.
        segments = [
            seg for _kind, m in found if m.other.material_id not in cited for seg in m.segments
        ]
        union = min(alignment.covered_seconds(segments) / max(duration, 1e-6), 1.0)
        shares.append(union)
        for kind, m in found:
            seen_others.add(m.other.submission_id)
            quote = cited.get(m.other.material_id, "")
            mv = (
                Verdict.NONE
                if quote
                else _verdict(m.share, s.video_similar_share, s.video_copy_share)
            )
            if mv == Verdict.NONE and not quote:
                continue
            rows.append(
                OriginalityMatch(
                    kind=kind,
                    material_id=material_id,
                    other_material_id=m.other.material_id,
                    other_submission_id=m.other.submission_id,
                    verdict=mv,
                    share=round(m.share, 4),
                    evidence=[seg.as_dict() for seg in m.segments],
                    cited=quote,
                )
            )
        verdict = _stronger(verdict, _verdict(union, s.video_similar_share, s.video_copy_share))
    for fp in DocumentFingerprint.objects.filter(submission_id=submission_id):
        matches = document_index.find_matches(fp, s)
        for m in matches:
            seen_others.add(m.other.submission_id)
            mv = _verdict(m.share, s.document_similar_share, s.document_copy_share)
            shares.append(m.share)
            if mv == Verdict.NONE:
                continue
            rows.append(
                OriginalityMatch(
                    kind=MatchKind.DOCUMENT,
                    material_id=fp.material_id,
                    other_material_id=m.other.material_id,
                    other_submission_id=m.other.submission_id,
                    verdict=mv,
                    share=round(m.share, 4),
                    evidence=m.passages,
                )
            )
            verdict = _stronger(verdict, mv)
    with transaction.atomic():
        result = ensure_result(submission_id)
        result = OriginalityResult.objects.select_for_update().get(pk=result.pk)
        result.matches.all().delete()
        for row in rows:
            row.result = result
        OriginalityMatch.objects.bulk_create(rows)
        _write_verdict(result, verdict, max(shares, default=0.0))
    return result, seen_others


def _cited_quotes(matches, citations, limit_seconds: int) -> dict[int, str]:
    """Other material id → the citation that excuses its clips (R14), for short quotes only."""
    if not citations or not matches:
        return {}
    others = {
        row["pk"]: row
        for row in Submission.objects.filter(
            pk__in={m.other.submission_id for m in matches}
        ).values("pk", "title", "teacher__full_name")
    }
    # Picture and sound of one other material are excused together: every segment short.
    segments: dict[int, list] = {}
    for m in matches:
        segments.setdefault(m.other.material_id, []).extend(m.segments)
    excused = {}
    for m in matches:
        other = others.get(m.other.submission_id)
        if other is None or not quotes.is_short_quote(segments[m.other.material_id], limit_seconds):
            continue
        found = quotes.citation_naming(citations, other["title"], other["teacher__full_name"])
        if found:
            excused[m.other.material_id] = found
    return excused


def _stronger(a: str, b: str) -> str:
    return a if VERDICT_RANK[a] >= VERDICT_RANK[b] else b


def _write_verdict(result: OriginalityResult, verdict: str, share: float) -> None:
    before = result.verdict
    if verdict not in VERDICT_TRANSITIONS[before]:
        raise ValueError(f"originality {before} → {verdict}")
    fields = ["verdict", "copied_share", "checked_at", "updated_at"]
    if result.cleared and VERDICT_RANK[verdict] > VERDICT_RANK[before]:
        # Something stronger than what was cleared: the clearance no longer covers it.
        result.cleared_at, result.cleared_by, result.cleared_reason = None, None, ""
        fields += ["cleared_at", "cleared_by", "cleared_reason"]
    result.verdict, result.copied_share, result.checked_at = verdict, share, timezone.now()
    result.save(update_fields=fields)
    if before != verdict:
        record(
            Actor.system(),
            AuditAction.UPDATE,
            result,
            unit=result.submission.unit,
            before={"state": before},
            after={"state": verdict, "share": round(share, 4)},
        )


def clear_result(actor: Actor, result: OriginalityResult, reason: str) -> OriginalityResult:
    """An admin over the package lets a flagged package move up again, with a reason."""
    reason = reason.strip()
    if not rules.can_clear(actor.person, result.submission_id):
        raise PermissionDenied("originality")
    if not reason:
        raise ValidationError({"reason": _("请填写核查说明：例如核实对方作品为本人早年作品。")})
    with transaction.atomic():
        result = OriginalityResult.objects.select_for_update().get(pk=result.pk)
        if result.verdict not in (Verdict.SIMILAR, Verdict.LIKELY_COPY):
            raise ValidationError(_("该作品没有需要核查的相似结果。"))
        result.cleared_at, result.cleared_by, result.cleared_reason = (
            timezone.now(),
            actor.person,
            reason[:1000],
        )
        result.save(update_fields=["cleared_at", "cleared_by", "cleared_reason", "updated_at"])
        record(
            actor,
            AuditAction.UPDATE,
            result,
            unit=result.submission.unit,
            after={"state": "cleared", "verdict": result.verdict},
            reason=reason,
        )
    return result


def explain(actor: Actor, result: OriginalityResult, note: str) -> OriginalityResult:
    """The teacher answers a match (e.g. the other entry is their own earlier lesson)."""
    note = note.strip()
    if not rules.is_author(actor.person, result.submission_id):
        raise PermissionDenied("originality")
    if not note:
        raise ValidationError({"note": _("请填写说明，例如：对方作品是我本人往年的课。")})
    result.teacher_note, result.teacher_note_at = note[:1000], timezone.now()
    result.save(update_fields=["teacher_note", "teacher_note_at", "updated_at"])
    record(
        actor,
        AuditAction.UPDATE,
        result,
        unit=result.submission.unit,
        after={"state": "explained"},
        reason=note[:1000],
    )
    return result


def request_recheck(actor: Actor, submission_id: int) -> OriginalityResult:
    if not rules.can_recheck(actor.person, submission_id):
        raise PermissionDenied("originality")
    result = ensure_result(submission_id)
    record(
        actor, AuditAction.UPDATE, result, unit=result.submission.unit, after={"state": "recheck"}
    )
    from youke.originality.tasks import queue_check

    queue_check(submission_id)
    return result


def blocks(campaign, entries: list) -> list[str]:
    """The selection gate: uncleared likely copies may not move up where the campaign says so."""
    if not entries or not settings_for(campaign.pk).block_likely_copy:
        return []
    flagged = OriginalityResult.objects.filter(
        submission_id__in=[e.submission_id for e in entries],
        verdict=Verdict.LIKELY_COPY,
        cleared_at__isnull=True,
    ).values_list("submission_id", flat=True)
    flagged = set(flagged)
    return [
        _("《%(title)s》被检测为疑似抄袭，须由管理员在原创性检测页核查并填写说明后才能推荐。")
        % {"title": e.submission.title}
        for e in entries
        if e.submission_id in flagged
    ]
