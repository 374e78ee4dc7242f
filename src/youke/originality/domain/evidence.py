"""What a viewer may see of a package's matches: the other party is named only to someone
who may see that package in full, never in a blind view ("另一份2025年的作品" instead)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from youke.originality.enums import MatchKind
from youke.originality.models import OriginalityMatch, OriginalityResult
from youke.selection.domain.viewing import FULL, viewing_mode
from youke.selection.models import LevelEntry


@dataclass
class MatchView:
    match: OriginalityMatch
    other_label: str
    identified: bool
    other_mode: str | None  # how the viewer may play the other package (None: not at all)
    campaign: str
    year: int
    level: str
    date: object
    segments: list[dict] = field(default_factory=list)
    passages: list[dict] = field(default_factory=list)
    # The package's own citation that excuses the match (R14); its text names the other
    # party, so a viewer who may not see who that is gets only the fact that it is cited.
    cited: str = ""

    @property
    def is_video(self) -> bool:
        """A match on a video's picture or on its sound: both compare in the players."""
        return self.match.kind in (MatchKind.VIDEO, MatchKind.AUDIO)

    @property
    def channel(self) -> str:
        return _channel(self.match.kind)

    @property
    def percent(self) -> int:
        return round(self.match.share * 100)


def _channel(kind: str) -> str:
    """What of the video matched: 画面 (picture) or 音频 (sound)."""
    return _("音频") if kind == MatchKind.AUDIO else _("画面")


def clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return (
        f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
        if hours
        else f"{rest // 60:02d}:{rest % 60:02d}"
    )


def match_views(person, result: OriginalityResult, mode: str) -> list[MatchView]:
    matches = list(
        result.matches.select_related(
            "other_submission__campaign",
            "other_submission__teacher",
            "other_submission__unit",
            "material__requirement",
            "other_material__requirement",
        )
    )
    others = {m.other_submission_id for m in matches}
    other_modes = {sid: viewing_mode(person, sid) for sid in others}
    reached: dict[int, tuple[int, str]] = {}
    for submission_id, order, name in LevelEntry.objects.filter(
        submission_id__in=others
    ).values_list("submission_id", "level__order", "level__name"):
        if submission_id not in reached or order > reached[submission_id][0]:
            reached[submission_id] = (order, name)
    views = []
    for m in matches:
        other = m.other_submission
        other_mode = other_modes[m.other_submission_id]
        identified = mode == FULL and other_mode == FULL
        year = other.campaign.year
        if identified:
            label = _("%(teacher)s（%(unit)s）《%(title)s》") % {
                "teacher": other.teacher.full_name,
                "unit": other.unit.name,
                "title": other.title,
            }
        else:
            label = _("另一份%(year)s年的作品") % {"year": year}
        view = MatchView(
            match=m,
            other_label=label,
            identified=identified,
            other_mode=other_mode,
            campaign=other.campaign.name,
            year=year,
            level=reached.get(m.other_submission_id, (0, _("未报送")))[1],
            date=other.submitted_at or other.created_at,
            cited=(m.cited if identified else _("已注明出处")) if m.cited else "",
        )
        if view.is_video:
            view.segments = [
                {
                    **s,
                    "channel": m.kind,
                    "channel_label": _channel(m.kind),
                    "this_label": f"{clock(s['this_start'])}–{clock(s['this_end'])}",
                    "other_label": f"{clock(s['other_start'])}–{clock(s['other_end'])}",
                }
                for s in m.evidence
            ]
        else:
            view.passages = m.evidence
        views.append(view)
    return views


def compared_segments(views: list[MatchView], chosen: MatchView) -> list[dict]:
    """The chosen match's segments and those of the same two videos' other channel (picture
    and sound side by side), in time order; copies, so seeking offsets can be added."""
    pair = (chosen.match.material_id, chosen.match.other_material_id)
    return sorted(
        (
            dict(s)
            for v in views
            if v.is_video and (v.match.material_id, v.match.other_material_id) == pair
            for s in v.segments
        ),
        key=lambda s: (s["this_start"], s["channel"] != MatchKind.VIDEO),
    )
