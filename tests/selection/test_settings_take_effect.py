"""Every campaign setting changes behaviour: the ones this branch added or made work."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.selection.conftest import level, submitted
from tests.submissions.conftest import stored_upload
from youke.campaigns.domain.campaigns import check_settings
from youke.campaigns.models import Criterion, Level, MaterialRequirement, UploadWindow, VideoRule
from youke.core.actor import Actor
from youke.selection.domain.entries import confirm_list, decide
from youke.selection.enums import EntryState
from youke.selection.models import LevelEntry
from youke.submissions.models import Material

pytestmark = pytest.mark.django_db

RECORDING_MISSING = (
    "《晒课一》没有通过检查的课堂实录：报送“市级遴选”及以上须提交课堂实录。"
    "请改为不推荐，或请教师补交后由学校重新报送。"
)


def with_recording(submission, state="passed"):
    recording = MaterialRequirement.objects.get(
        category=submission.category, code="classroom_recording"
    )
    upload = stored_upload(submission.teacher, "实录.mp4", b"\x00\x00\x00\x18ftypmp42")
    return Material.objects.create(
        submission=submission, requirement=recording, upload=upload, check_state=state
    )


@pytest.fixture
def at_county(province, otol_campaign, catalog):
    entry = submitted(otol_campaign, province.teacher_a, catalog.lesson4, "晒课一")
    school = Actor(province.school_a_admin)
    decide(school, entry, EntryState.RECOMMENDED)  # school → county: no recording needed yet
    confirm_list(school, otol_campaign, level(otol_campaign, "school"), province.school_a)
    return LevelEntry.objects.get(level__key="county", submission=entry.submission)


def test_recording_required_to_recommend_to_city(province, otol_campaign, at_county):
    county = Actor(province.county_a_admin)
    with pytest.raises(ValidationError) as info:
        decide(county, at_county, EntryState.RECOMMENDED)
    assert info.value.messages == [RECORDING_MISSING]
    with_recording(at_county.submission, state="failed")
    with pytest.raises(ValidationError):
        decide(county, at_county, EntryState.RECOMMENDED)
    Material.objects.filter(submission=at_county.submission).update(check_state="warned")
    decide(county, at_county, EntryState.RECOMMENDED)
    confirm_list(county, otol_campaign, level(otol_campaign, "county"), province.county_a)
    assert LevelEntry.objects.filter(level__key="city").count() == 1


def test_recording_rechecked_when_the_list_is_confirmed(province, otol_campaign, at_county):
    county = Actor(province.county_a_admin)
    material = with_recording(at_county.submission)
    decide(county, at_county, EntryState.RECOMMENDED)
    material.delete()
    with pytest.raises(ValidationError) as info:
        confirm_list(county, otol_campaign, level(otol_campaign, "county"), province.county_a)
    assert info.value.messages == [RECORDING_MISSING]


def test_without_the_setting_no_recording_needed(province, otol_campaign, at_county):
    MaterialRequirement.objects.filter(code="classroom_recording").update(required_from_level="")
    decide(Actor(province.county_a_admin), at_county, EntryState.RECOMMENDED)
    assert LevelEntry.objects.get(pk=at_county.pk).state == "recommended"


def _settings_errors(campaign):
    return check_settings(
        campaign,
        list(Level.objects.filter(campaign=campaign)),
        list(UploadWindow.objects.filter(campaign=campaign)),
        list(Criterion.objects.filter(category__campaign=campaign).select_related("category")),
        list(VideoRule.objects.filter(requirement__category__campaign=campaign)),
    )


def test_video_due_after_screening_needs_a_trial_lecture_level(otol_campaign):
    otol_campaign.video_due = "after_screening"
    otol_campaign.filming_days = 0
    assert _settings_errors(otol_campaign) == {
        "video_due": [
            "“初选通过后拍摄提交”需要一个含试讲的初选级别，本活动没有：请改为随作品一并提交。"
        ],
        "filming_days": ["拍摄期限应为 1 到 90 天，请调整。"],
    }
    Level.objects.filter(campaign=otol_campaign, key="county").update(has_trial_lecture=True)
    otol_campaign.filming_days = 7
    assert _settings_errors(otol_campaign) == {}
