"""The demo 精品课 campaign in the middle of its selection (issue 4).

Every step goes through the selection domain functions, so the rules (quotas, R5, screening,
deadlines, round states, score ranges) are enforced and every action is in the audit log,
exactly as if the admins and experts had clicked through the pages:

- school level: an entry for every submitted package; every school decides and confirms
  except the demo school admin's, whose inbox stays full of pending entries;
- county level (trial lectures): quotas from the city (R7 proportional rule), screening
  records, decisions; the demo county and most of the third city's counties are still
  deciding, the others have confirmed;
- city level: the second city ran and closed its expert review (all scores submitted),
  recommended by ranking under its quota, granted 市级精品课 (which writes ``PastAward``),
  confirmed its list and opened a publicity window (公示) that has one open objection; the
  demo city's review is running, with submitted, draft and untouched assignments, and the
  demo ``expert`` on its panel;
- province level: the second city's entries wait for the province.

Nothing is batched around the domain: ~600 domain calls take a few seconds on SQLite.
Counties prefer entries some panel expert can review (the demo expert first), so the demo
rounds have work for everyone; that is a choice a county could make, not a rule bypassed.
"""

from __future__ import annotations

import datetime
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from youke.campaigns.domain.campaigns import update_campaign
from youke.campaigns.enums import CampaignState, LevelKey, TemplateKey
from youke.campaigns.models import Campaign, Criterion, Level
from youke.core.actor import Actor
from youke.manage.demo.blind import DEMO_CUT_SECONDS, make_demo_blind_copies
from youke.manage.demo.names import NameBook
from youke.manage.demo.province import PROVINCE_CODE
from youke.orgs.enums import Role, UnitKind
from youke.orgs.models import Person, RoleGrant, Unit
from youke.selection.domain import checklist, filming
from youke.selection.domain.assignment import add_expert, auto_assign, expert_pool
from youke.selection.domain.awards import grant_awards, propose_awards
from youke.selection.domain.entries import confirm_list, decide, ensure_entry
from youke.selection.domain.filming import deliver_video
from youke.selection.domain.proposal import apply_proposal
from youke.selection.domain.publicity import file_objection, open_publicity, published_entries
from youke.selection.domain.quotas import allocate_quota, apply_proportional
from youke.selection.domain.review import (
    candidate_entries,
    create_round,
    save_scores,
    set_round_state,
)
from youke.selection.domain.screening import record_screening
from youke.selection.enums import (
    AssignmentState,
    EntryState,
    ListState,
    PassFail,
    RankingMethod,
    RoundState,
)
from youke.selection.models import (
    Assignment,
    Award,
    LevelEntry,
    LevelList,
    Objection,
    Publicity,
    Quota,
    ReviewRound,
)
from youke.submissions.enums import SubmissionState
from youke.submissions.models import Submission

NOT_RECOMMENDED = EntryState.NOT_RECOMMENDED
RECOMMENDED = EntryState.RECOMMENDED
# Shares of a level's entries its quotas allow (R7), and of entries a school turns down.
COUNTY_QUOTA_SHARE = 0.6
SCHOOL_DECLINE_SHARE = 0.15
# A county still deciding has decided this share of its entries.
PARTIAL_SHARE = 0.5
ROUND_DAYS = 10  # review rounds close this many days from now
PUBLICITY_STARTED_DAYS_AGO = 2
CHECKLIST_REFUSED_SHARE = 0.1
CHECKLIST_NOTE = "02:15 处机位切换不够及时"
PUBLICITY_DAYS = 7
OBJECTION_IP = "198.51.100.23"  # TEST-NET-2: a documentation address, never a real one

SCHOOL_DECLINES = (
    "本校校内评比未进入前列，今年暂不推荐。",
    "教学设计与课堂实录不一致，建议完善后明年再报。",
    "视频中学生画面未获家长授权，暂不推荐。",
)
SAME_NODE = "同一课题本级已推荐其他课例（每个节点原则上推荐一件）。"
COUNTY_QUOTA_FULL = "本县（区）名额有限，综合试讲情况本次未推荐。"
TRIAL_FAILS = (
    ("pass", "fail", "试讲中教学环节衔接不够紧凑，时间分配需调整。"),
    ("fail", "", "视频声画不同步，需重新剪辑后再审。"),
)
TRIAL_PASS_COMMENTS = (
    "教学目标清晰，学生参与度高，同意推荐。",
    "信息技术运用恰当，课堂节奏把握较好。",
    "教学设计完整，板书规范，建议推荐。",
)
REVIEW_COMMENTS = (
    "教学目标明确，环节设计合理，信息技术与学科融合自然。",
    "课堂互动充分，作业设计分层，资源较完整。",
    "整体较好，个别环节讲解略快，建议补充学生活动。",
    "选题典型，制作规范，可作为示范课例。",
)
CITY_DECLINE = "专家评审排名未进入本市推荐名额。"
OBJECTION_REASON = (
    "该课例的导入环节与某视频平台上一节公开课高度相似，怀疑未注明出处，请核实原创性。"
)


@dataclass
class _Panel:
    """Expert area paths for a city's rounds: the demo expert's first."""

    preferred: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)

    def rank(self, node_path: str) -> int:
        if any(node_path.startswith(a) for a in self.preferred):
            return 0
        return 1 if any(node_path.startswith(a) for a in self.areas) else 2


def build_selection(
    seed: int, *, expert_username: str, school_admin_username: str
) -> dict[str, int] | None:
    """Run the demo 精品课 campaign's selection; None when it has entries already."""
    campaign = Campaign.objects.filter(
        owner_unit__code=PROVINCE_CODE, template_key=TemplateKey.QUALITY_COURSE
    ).first()
    if campaign is None or campaign.state != CampaignState.PUBLISHED:
        return {}
    if LevelEntry.objects.filter(level__campaign=campaign).exists():
        return None
    levels = {level.key: level for level in Level.objects.filter(campaign=campaign)}
    cities = list(
        Unit.objects.filter(path__startswith=campaign.owner_unit.path, kind=UnitKind.CITY).order_by(
            "path"
        )
    )
    needed = {LevelKey.SCHOOL, LevelKey.COUNTY, LevelKey.CITY, LevelKey.PROVINCE}
    if not needed <= set(levels) or len(cities) < 2:
        return {}
    builder = _Builder(
        random.Random(f"{seed}:selection"), campaign, levels, cities, expert_username
    )
    return builder.run(school_admin_username)


class _Builder:
    def __init__(self, rng, campaign, levels, cities, expert_username) -> None:
        self.rng = rng
        self.campaign = campaign
        self.levels = levels
        self.now = timezone.now()
        # The demo city (demo admins and the demo expert) runs a live round; the next one
        # has finished its round; any further city is still collecting county lists.
        self.running_city, self.closed_city = cities[0], cities[1]
        self.other_cities = cities[2:]
        self.expert = Person.objects.filter(username=expert_username).first()
        self.admins = self._admins()
        self.counts: Counter = Counter()

    # --- helpers -------------------------------------------------------------------------

    def _admins(self) -> dict[int, Actor]:
        """The first active admin of every unit of the campaign's tree."""
        found: dict[int, Actor] = {}
        rows = (
            RoleGrant.objects.filter(
                role=Role.UNIT_ADMIN,
                person__is_active=True,
                unit__path__startswith=self.campaign.owner_unit.path,
            )
            .select_related("person")
            .order_by("pk")
        )
        for grant in rows:
            found.setdefault(grant.unit_id, Actor(grant.person))
        return found

    def _actor(self, unit: Unit) -> Actor:
        actor = self.admins.get(unit.pk)
        if actor is None:  # a unit without an admin: the unit above acts for it
            parent = unit.get_parent()
            return self._actor(parent) if parent is not None else Actor.system()
        return actor

    def _entries(self, level: Level, units: list[Unit] | None = None) -> dict[int, list]:
        """Entries of ``level`` by deciding unit, in a stable order."""
        rows = LevelEntry.objects.filter(level=level).select_related(
            "unit", "level__campaign", "submission__node", "submission__teacher"
        )
        if units is not None:
            rows = rows.filter(unit__in=units)
        grouped: dict[int, list[LevelEntry]] = defaultdict(list)
        for entry in rows.order_by("unit__path", "pk"):
            grouped[entry.unit_id].append(entry)
        return grouped

    def _panel(self, city: Unit) -> _Panel:
        """Areas of the experts a round of ``city`` can draw on (its own and the ones above)."""
        above = [p for p in (city.path[: len(city.path) - 4], city.path[:4]) if p]
        grants = RoleGrant.objects.filter(role=Role.EXPERT, person__is_active=True).filter(
            Q(unit__path__in=above) | Q(unit__path__startswith=city.path)
        )
        people = Person.objects.filter(pk__in=grants.values("person_id"))
        panel = _Panel()
        for pk, path in people.values_list("pk", "expert_profile__areas__path"):
            if not path:
                continue
            panel.areas.append(path)
            if self.expert is not None and pk == self.expert.pk:
                panel.preferred.append(path)
        return panel

    def _city_of(self, unit: Unit) -> Unit | None:
        for city in (self.running_city, self.closed_city, *self.other_cities):
            if unit.path.startswith(city.path):
                return city
        return None

    # --- the run ---------------------------------------------------------------------------

    def run(self, school_admin_username: str) -> dict[str, int]:
        pending_school = self._pending_school(school_admin_username)
        self._school_entries()
        self._school_decisions(pending_school)
        self._county_quotas()
        self._county_decisions(pending_school)
        self._blind_cut()
        self._closed_round()
        self._running_round()
        self._publicity()
        return self._summary()

    def _pending_school(self, username: str) -> Unit | None:
        """The demo school admin's school keeps every entry pending (a busy inbox)."""
        person = Person.objects.filter(username=username).select_related("unit").first()
        if person is not None and person.unit.kind == UnitKind.SCHOOL:
            return person.unit
        return None

    def _school_entries(self) -> None:
        submitted = (
            Submission.objects.filter(campaign=self.campaign, state=SubmissionState.SUBMITTED)
            .select_related("campaign", "unit", "teacher")
            .order_by("submitted_at", "pk")
        )
        for submission in submitted:
            # What ``packages.submit`` does for the teacher: the package enters the school list.
            ensure_entry(submission, actor=Actor(submission.teacher))

    def _school_decisions(self, pending_school: Unit | None) -> None:
        level = self.levels[LevelKey.SCHOOL]
        for entries in self._entries(level).values():
            unit = entries[0].unit
            if pending_school is not None and unit.pk == pending_school.pk:
                continue
            actor = self._actor(unit)
            nodes: set[int] = set()
            for entry in entries:
                node = entry.submission.node_id
                if node in nodes:
                    decide(actor, entry, NOT_RECOMMENDED, reason=SAME_NODE, now=self.now)
                elif len(entries) > 1 and self.rng.random() < SCHOOL_DECLINE_SHARE:
                    reason = self.rng.choice(SCHOOL_DECLINES)
                    decide(actor, entry, NOT_RECOMMENDED, reason=reason, now=self.now)
                else:
                    nodes.add(node)
                    decide(actor, entry, RECOMMENDED, now=self.now)
            confirm_list(actor, self.campaign, level, unit, now=self.now)

    def _county_quotas(self) -> None:
        """The province gives each city its own quota first; the city splits exactly that
        among its counties by the R7 proportional rule (quotas below never exceed it)."""
        level = self.levels[LevelKey.COUNTY]
        counts = Counter(
            LevelEntry.objects.filter(level=level).values_list("unit__path", flat=True)
        )
        province = self._actor(self.campaign.owner_unit)
        for city in (self.running_city, self.closed_city, *self.other_cities):
            entries = sum(n for path, n in counts.items() if path.startswith(city.path))
            if entries:
                total = math.ceil(entries * COUNTY_QUOTA_SHARE)
                allocate_quota(province, self.campaign, self.levels[LevelKey.CITY], city, total)
                apply_proportional(self._actor(city), self.campaign, level, city, total)

    def _county_plan(self, county: Unit, pending_school: Unit | None) -> str:
        """'confirm', or 'partial' for a county still deciding."""
        if pending_school is not None and pending_school.path.startswith(county.path):
            return "partial"
        if self._city_of(county) in (self.running_city, self.closed_city):
            return "confirm"
        first = Unit.objects.filter(
            path__startswith=self._city_of(county).path, kind=UnitKind.COUNTY
        ).order_by("path")[:1]
        return "confirm" if first and first[0].pk == county.pk else "partial"

    def _county_decisions(self, pending_school: Unit | None) -> None:
        level = self.levels[LevelKey.COUNTY]
        quotas = {
            q.unit_id: q.allowed for q in Quota.objects.filter(level=level, category__isnull=True)
        }
        panels = {city.pk: self._panel(city) for city in (self.running_city, self.closed_city)}
        for entries in self._entries(level).values():
            county = entries[0].unit
            plan = self._county_plan(county, pending_school)
            city = self._city_of(county)
            panel = panels.get(city.pk) if city is not None else None
            self.rng.shuffle(entries)
            if panel is not None:
                # Entries the city's experts can review go first (a sort keeps the shuffle).
                entries.sort(key=lambda e: panel.rank(e.submission.node.path))
            if plan == "partial":
                entries = entries[: max(1, int(len(entries) * PARTIAL_SHARE))]
            self._decide_county(
                county, entries, quotas.get(county.pk, len(entries)), deliver_all=plan == "confirm"
            )
            if plan == "confirm":
                confirm_list(self._actor(county), self.campaign, level, county, now=self.now)

    def _deliver(self, entry: LevelEntry) -> None:
        """The teacher filmed after the passed screening and hands the video(s) in."""
        if filming.open_request(entry.submission) is not None:
            deliver_video(Actor(entry.submission.teacher), entry.submission, now=self.now)

    def _decide_county(
        self, county: Unit, entries: list[LevelEntry], allowed: int, *, deliver_all: bool
    ) -> None:
        actor = self._actor(county)
        rng = self.rng
        used, nodes = 0, set()
        for entry in entries:
            node = entry.submission.node_id
            trial = {
                "trial_date": timezone.localdate() - datetime.timedelta(rng.randint(3, 12)),
                "panel": "县教研室学科教研员、骨干教师三人",
            }
            if used < allowed and node not in nodes and rng.random() > 0.1:
                record_screening(
                    actor,
                    entry,
                    technical_check=PassFail.PASS,
                    trial_result=PassFail.PASS,
                    comments=rng.choice(TRIAL_PASS_COMMENTS),
                    **trial,
                )
                decide(actor, entry, RECOMMENDED, now=self.now)
                # Design first: a county still deciding has entries waiting for their video.
                if deliver_all or used % 2:
                    self._deliver(entry)
                used += 1
                nodes.add(node)
                continue
            if node in nodes:
                decide(actor, entry, NOT_RECOMMENDED, reason=SAME_NODE, now=self.now)
                continue
            if used < allowed:  # turned down at the trial lecture
                technical, result, comment = rng.choice(TRIAL_FAILS)
                record_screening(
                    actor,
                    entry,
                    technical_check=technical,
                    technical_note="" if technical == "pass" else comment,
                    trial_result=result,
                    comments=comment if result else "",
                    **trial,
                )
                reason = f"初选未通过：{comment}"
                decide(actor, entry, NOT_RECOMMENDED, reason=reason, now=self.now)
                continue
            decide(actor, entry, NOT_RECOMMENDED, reason=COUNTY_QUOTA_FULL, now=self.now)

    # --- review rounds -----------------------------------------------------------------------

    def _blind_cut(self) -> None:
        """The demo's videos are 2-second miniatures: cut half a second, not a 5 s title."""
        owner = self.campaign.owner_unit
        update_campaign(
            self._actor(owner), self.campaign, fields={"blind_cut_seconds": DEMO_CUT_SECONDS}
        )
        self.campaign.refresh_from_db()

    def _open_round(self, city: Unit, name: str, *, max_load: int) -> ReviewRound | None:
        level = self.levels[LevelKey.CITY]
        if not LevelEntry.objects.filter(level=level, unit=city).exists():
            return None
        actor = self._actor(city)
        review_round = create_round(
            actor,
            self.campaign,
            level,
            city,
            name=name,
            reviews_per_entry=3,
            deadline=self.now + datetime.timedelta(days=ROUND_DAYS),
            blind=True,
            exclude_same_county=True,
            ranking_method=RankingMethod.TRIMMED_MEAN,
        )
        self.counts["blind_copies"] += make_demo_blind_copies(
            candidate_entries(review_round).values_list("submission_id", flat=True)
        )
        set_round_state(actor, review_round, RoundState.OPEN)
        for person in expert_pool(review_round):
            add_expert(actor, review_round, person, max_load)
        auto_assign(actor, review_round)
        return review_round

    def _points(self, assignment: Assignment, criteria, quality: float, complete: bool) -> dict:
        lean = (assignment.expert_id % 7 - 3) / 100  # each expert a little lenient or severe
        points = {}
        for criterion in criteria:
            if criterion.is_veto:
                points[criterion.pk] = 0
                continue
            if not complete and self.rng.random() < 0.4:
                continue  # a draft: not every criterion scored yet
            share = min(1.0, max(0.3, quality + lean + self.rng.uniform(-0.06, 0.06)))
            points[criterion.pk] = round(criterion.points * share)
        return points

    def _score(self, review_round: ReviewRound, plan) -> None:
        """Score the round's assignments; ``plan(index, assignment)`` says how far."""
        criteria: dict[int, list[Criterion]] = defaultdict(list)
        for criterion in Criterion.objects.filter(category__campaign=self.campaign).order_by(
            "order", "pk"
        ):
            criteria[criterion.category_id].append(criterion)
        quality: dict[int, float] = {}
        assignments = Assignment.objects.filter(round=review_round).select_related(
            "expert", "entry__submission"
        )
        for index, assignment in enumerate(assignments.order_by("expert_id", "entry_id")):
            step = plan(index, assignment)
            if step == AssignmentState.ASSIGNED:
                continue
            entry = assignment.entry
            if entry.pk not in quality:
                quality[entry.pk] = self.rng.uniform(0.62, 0.94)
            submit = step == AssignmentState.SUBMITTED
            points = self._points(
                assignment, criteria[entry.submission.category_id], quality[entry.pk], submit
            )
            save_scores(
                Actor(assignment.expert),
                assignment,
                points,
                comment=self.rng.choice(REVIEW_COMMENTS) if submit else "",
                submit=submit,
                checklist_answers=self._checklist(assignment, submit),
            )

    def _checklist(self, assignment: Assignment, complete: bool) -> dict:
        """Most items confirmed; now and then one is not (with a note); drafts leave some open."""
        answers = {}
        for item in checklist.items_for(assignment):
            if not complete and self.rng.random() < 0.5:
                continue
            confirmed = self.rng.random() >= CHECKLIST_REFUSED_SHARE
            answers[item.pk] = (confirmed, "" if confirmed else CHECKLIST_NOTE)
        return answers

    def _closed_round(self) -> None:
        """The second city: review, close, recommend by ranking, award, confirm."""
        city = self.closed_city
        name = f"{city.name}精品课市级评审"
        review_round = self._open_round(city, name, max_load=15)
        if review_round is None:
            return
        actor = self._actor(city)
        self._score(review_round, lambda index, assignment: AssignmentState.SUBMITTED)
        set_round_state(actor, review_round, RoundState.CLOSED)
        level = self.levels[LevelKey.CITY]
        report = apply_proposal(actor, self.campaign, level, city, round=review_round)
        for entry in LevelEntry.objects.filter(level=level, unit=city, state=EntryState.PENDING):
            decide(actor, entry, NOT_RECOMMENDED, reason=CITY_DECLINE, now=self.now)
        # 市级精品课 for the entries the city sends up, as the ranking proposes.
        chosen = {e.pk for e in report.recommended + report.kept}
        grants = [
            (p.result.entry, p.grade, "")
            for p in propose_awards(review_round)
            if p.grade is not None and p.result.entry.pk in chosen
        ]
        if grants:
            grant_awards(actor, review_round, grants)
        confirm_list(actor, self.campaign, level, city, now=self.now)

    def _running_round(self) -> None:
        """The demo city: a live round, some reviews submitted, some drafts, some untouched."""
        city = self.running_city
        name = f"{city.name}精品课市级评审"
        review_round = self._open_round(city, name, max_load=8)
        if review_round is None:
            return
        demo = self.expert.pk if self.expert is not None else None
        demo_seen = Counter()
        steps = (AssignmentState.SUBMITTED, AssignmentState.DRAFT, AssignmentState.ASSIGNED)

        def plan(index: int, assignment: Assignment) -> str:
            if assignment.expert_id == demo:
                # The demo expert: one done, one started, the rest still to do.
                demo_seen[demo] += 1
                return steps[min(demo_seen[demo] - 1, 2)]
            return steps[index % 3]

        self._score(review_round, plan)

    # --- publicity ----------------------------------------------------------------------------

    def _publicity(self) -> None:
        city = self.closed_city
        level = self.levels[LevelKey.CITY]
        row = LevelList.objects.filter(level=level, unit=city, state=ListState.CONFIRMED).first()
        if row is None:
            return
        publicity = open_publicity(
            self._actor(city),
            self.campaign,
            level,
            city,
            starts_at=self.now - datetime.timedelta(days=PUBLICITY_STARTED_DAYS_AGO),
            ends_at=self.now + datetime.timedelta(days=PUBLICITY_DAYS),
            title=f"{self.campaign.year}年{city.name}基础教育精品课市级推荐结果公示",
            now=self.now,
        )
        entries = list(published_entries(publicity))
        if not entries:
            return
        book = NameBook(self.rng)
        file_objection(
            publicity,
            self.rng.choice(entries),
            name=book.person()[0],
            contact=book.mobile(),
            reason=OBJECTION_REASON,
            ip=OBJECTION_IP,
            now=self.now,
        )

    # --- counts --------------------------------------------------------------------------------

    def _summary(self) -> dict[str, int]:
        entries = LevelEntry.objects.filter(level__campaign=self.campaign)
        rounds = ReviewRound.objects.filter(campaign=self.campaign)
        states = Counter(
            Assignment.objects.filter(round__in=rounds.filter(state=RoundState.OPEN)).values_list(
                "state", flat=True
            )
        )
        closed = Assignment.objects.filter(round__in=rounds.filter(state=RoundState.CLOSED))
        awards = Award.objects.filter(level__campaign=self.campaign, revoked_at__isnull=True)
        return {
            "blind_copies": self.counts["blind_copies"],
            "selection_entries": entries.count(),
            "selection_levels": entries.values("level").distinct().count(),
            "selection_pending": entries.filter(state=EntryState.PENDING).count(),
            "selection_lists_confirmed": LevelList.objects.filter(
                campaign=self.campaign, state=ListState.CONFIRMED
            ).count(),
            "review_rounds_closed": rounds.filter(state=RoundState.CLOSED).count(),
            "review_rounds_open": rounds.filter(state=RoundState.OPEN).count(),
            "reviews_closed": closed.count(),
            "reviews_submitted": states[AssignmentState.SUBMITTED],
            "reviews_draft": states[AssignmentState.DRAFT],
            "reviews_untouched": states[AssignmentState.ASSIGNED],
            "awards": awards.count(),
            "publicities": Publicity.objects.filter(campaign=self.campaign).count(),
            "objections": Objection.objects.filter(publicity__campaign=self.campaign).count(),
        }
