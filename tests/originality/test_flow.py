"""From a checked material to a package's result: fingerprinting in the background, look-up
against the whole index, re-checks when the index grows, the selection gate, clearing with
a reason (audited) and the teacher's explanation (issue 13 items 1, 4–7)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.originality import docs
from tests.originality.conftest import attach, submitted
from youke.core.actor import Actor
from youke.core.domain.audit_sentences import describe
from youke.core.models import AuditEvent
from youke.originality.domain import results
from youke.originality.enums import Verdict
from youke.originality.models import OriginalityResult, OriginalitySettings, VideoKey
from youke.selection.domain.entries import decide
from youke.submissions.models import Material
from youke.submissions.signals import material_checked

pytestmark = pytest.mark.django_db


def checked(material, capture):
    """What the check job does at its end: the signal after commit, jobs run inline."""
    with capture(execute=True):
        material_checked.send(sender=Material, material_id=material.pk, state="passed")


def verdict(submission):
    return OriginalityResult.objects.get(submission=submission).verdict


@pytest.fixture
def pair(province, campaign, lessons, videos, django_capture_on_commit_callbacks):
    """Teacher B's original lesson (school B, earlier) and teacher A's re-encoded copy."""
    original = submitted(campaign, province.teacher_b, lessons[0], "圆的面积").submission
    copy = submitted(campaign, province.teacher_a, lessons[1], "圆的面积（新）").submission
    checked(
        attach(original, "micro_video", "original.mp4", videos["a"]),
        django_capture_on_commit_callbacks,
    )
    checked(
        attach(copy, "micro_video", "copy.mp4", videos["reencoded"]),
        django_capture_on_commit_callbacks,
    )
    return original, copy


def test_copy_is_flagged_with_segments_and_the_earlier_one_rechecked(pair):
    original, copy = pair
    result = OriginalityResult.objects.get(submission=copy)
    assert result.verdict == Verdict.LIKELY_COPY
    (match,) = result.matches.all()
    assert match.other_submission_id == original.pk
    (segment,) = match.evidence
    assert segment["this_start"] == pytest.approx(0, abs=2)
    assert segment["this_end"] == pytest.approx(60, abs=2)
    assert segment["other_start"] == pytest.approx(0, abs=2)
    # The index grew: the original, checked first against nothing, was re-checked.
    assert verdict(original) == Verdict.LIKELY_COPY
    assert VideoKey.objects.filter(fingerprint__submission=copy).exists()


def test_a_distinct_lesson_is_not_flagged(
    province, campaign, lessons, videos, pair, django_capture_on_commit_callbacks
):
    other = submitted(campaign, province.teacher_b, lessons[2], "分数的意义").submission
    checked(
        attach(other, "micro_video", "other.mp4", videos["b"]), django_capture_on_commit_callbacks
    )
    assert verdict(other) == Verdict.NONE
    assert not OriginalityResult.objects.get(submission=other).matches.exists()


def test_fingerprinting_is_idempotent(pair):
    original, _copy = pair
    material = Material.objects.get(submission=original)
    keys = VideoKey.objects.filter(fingerprint__material=material).count()
    results.fingerprint_material(material.pk)
    assert VideoKey.objects.filter(fingerprint__material=material).count() == keys


def test_gate_blocks_a_likely_copy_until_an_admin_clears_it(province, campaign, pair):
    _original, copy = pair
    OriginalitySettings.objects.create(campaign=campaign, block_likely_copy=True)
    entry = copy.level_entries.get()
    admin = Actor(province.school_a_admin)
    with pytest.raises(ValidationError, match="疑似抄袭"):
        decide(admin, entry, "recommended")
    result = OriginalityResult.objects.get(submission=copy)
    with pytest.raises(ValidationError):
        results.clear_result(admin, result, "  ")
    with pytest.raises(PermissionDenied):
        results.clear_result(Actor(province.teacher_a), result, "我自己放行")
    # School B's admin has no entry of this package: cannot clear it.
    with pytest.raises(PermissionDenied):
        results.clear_result(Actor(province.county_b_admin), result, "不是我的")
    results.clear_result(admin, result, "对方作品为本人调动前在西岭县录制的课，已核实")
    assert decide(admin, entry, "recommended").state == "recommended"
    event = AuditEvent.objects.get(after__state="cleared")
    assert event.reason == "对方作品为本人调动前在西岭县录制的课，已核实"
    (row,) = describe(AuditEvent.objects.filter(pk=event.pk))
    assert row.sentence == (
        f"{province.school_a_admin.full_name} 核查了《圆的面积（新）》的原创性检测结果并允许推荐"
    )


def test_gate_is_off_by_default(province, pair):
    _original, copy = pair
    entry = copy.level_entries.get()
    assert decide(Actor(province.school_a_admin), entry, "recommended").state == "recommended"


def test_teacher_explains_but_only_their_own(province, pair):
    original, copy = pair
    result = OriginalityResult.objects.get(submission=copy)
    results.explain(Actor(province.teacher_a), result, "对方是我本人往年的课")
    assert OriginalityResult.objects.get(submission=copy).teacher_note == "对方是我本人往年的课"
    with pytest.raises(PermissionDenied):
        results.explain(
            Actor(province.teacher_b), OriginalityResult.objects.get(submission=copy), "不是我的"
        )


DESIGN = docs.design(1)
EDITED = (
    DESIGN.replace("，", ",").replace("学生", "學生").replace("第3步", "第三步")[:-30]
    + "最后布置分层作业，巩固所学。"
)


@pytest.mark.parametrize(
    ("kind", "make"),
    [
        ("docx", docs.docx_bytes),
        ("pptx", docs.pptx_bytes),
        ("pdf", docs.pdf_bytes),
        ("xlsx", docs.xlsx_bytes),
    ],
)
def test_lifted_design_with_light_edits_is_found(
    province, campaign, lessons, kind, make, django_capture_on_commit_callbacks
):
    original = submitted(campaign, province.teacher_b, lessons[0], "圆的面积").submission
    lifted = submitted(campaign, province.teacher_a, lessons[0], "圆的面积再探").submission
    checked(
        attach(original, "teaching_design", f"设计.{kind}", make(DESIGN)),
        django_capture_on_commit_callbacks,
    )
    checked(
        attach(lifted, "teaching_design", f"我的设计.{kind}", make(EDITED)),
        django_capture_on_commit_callbacks,
    )
    result = OriginalityResult.objects.get(submission=lifted)
    assert result.verdict == Verdict.LIKELY_COPY
    (match,) = result.matches.all()
    assert match.kind == "document" and match.other_submission_id == original.pk
    longest = match.evidence[0]
    assert longest["this"] == longest["other"]
    assert len(longest["this"]) >= 50


def test_designs_sharing_only_the_textbook_are_not_flagged(
    province, campaign, lessons, django_capture_on_commit_callbacks
):
    teachers = [province.teacher_a, province.teacher_b, province.teacher_a]
    made = []
    for index, teacher in enumerate(teachers):
        package = submitted(campaign, teacher, lessons[0], f"圆的面积{index}").submission
        body = docs.design(100 + index)
        text = body[: len(body) // 2] + docs.TEXTBOOK + body[len(body) // 2 :]
        checked(
            attach(package, "teaching_design", "设计.docx", docs.docx_bytes(text)),
            django_capture_on_commit_callbacks,
        )
        made.append(package)
    assert [verdict(p) for p in made] == [Verdict.NONE] * 3
