"""Writing the training-hour ledger (R12).

Rule credits: a campaign's ``campaigns.TrainingHourRule`` rows say how many hours an event
earns (晒课 → ``showcase``; a city award → ``city_excellent``; a provincial or ministry award
→ ``provincial_excellent``). They are credited when the event's signal arrives, once per
teacher, lesson and event (the table's partial unique constraint, so racing signals cannot
double-count), and reversed by a counter-entry when the award is revoked. Admins add manual
credits and corrections with a reason, for teachers in their subtree. Every write is audited.

三个课堂 workload credits (issue 12 item 10): once a term has ended, each teacher's count
of each work kind in the term earns the hours of the region's ``WorkloadHourRule``
(``credit_workload_term``): one standing line per teacher, term and kind (a partial unique
constraint). A recount that changes the figure reverses the standing line and books the
new one, so the ledger always names the current count and never holds a duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from youke.campaigns.enums import LevelKey, TrainingEvent
from youke.campaigns.models import TrainingHourRule
from youke.core.actor import Actor
from youke.core.domain.audit import record
from youke.core.enums import AuditAction
from youke.orgs import rules as org_rules
from youke.orgs.domain.units import PermissionDenied
from youke.orgs.models import Person
from youke.selection.models import Award
from youke.submissions.enums import SubmissionState
from youke.submissions.models import Submission
from youke.training.enums import CreditKind
from youke.training.models import TrainingCredit, UnitYearTotal

# Which rule an award at a level earns; a ministry award is also "provincial or higher".
EVENT_FOR_AWARD_LEVEL = {
    LevelKey.CITY: TrainingEvent.CITY_EXCELLENT,
    LevelKey.PROVINCE: TrainingEvent.PROVINCIAL_EXCELLENT,
    LevelKey.MINISTRY: TrainingEvent.PROVINCIAL_EXCELLENT,
}
MAX_MANUAL_HOURS = Decimal("500")
EARLIEST_YEAR = 2000


def rule_hours(campaign_id: int, event: str) -> Decimal | None:
    """The hours the campaign's rule table gives ``event``; None when it credits nothing."""
    hours = (
        TrainingHourRule.objects.filter(campaign_id=campaign_id, event=event)
        .values_list("hours", flat=True)
        .first()
    )
    return Decimal(hours) if hours else None


def _book(credit: TrainingCredit) -> None:
    """Add a new ledger line to its unit's yearly sums (inside the line's transaction)."""
    total, _created = UnitYearTotal.objects.get_or_create(unit_id=credit.unit_id, year=credit.year)
    # The row lock serialises writers of the unit and year, so the first-line check holds.
    UnitYearTotal.objects.select_for_update(no_key=True).filter(pk=total.pk).first()
    first_line = not (
        TrainingCredit.objects.filter(
            teacher_id=credit.teacher_id, unit_id=credit.unit_id, year=credit.year
        )
        .exclude(pk=credit.pk)
        .exists()
    )
    UnitYearTotal.objects.filter(pk=total.pk).update(
        hours=F("hours") + credit.hours,
        lines=F("lines") + 1,
        teachers=F("teachers") + int(first_line),
    )


@transaction.atomic
def rebuild_totals() -> int:
    """Recompute every unit's yearly sums from the ledger (after bulk loads); returns rows."""
    UnitYearTotal.objects.all().delete()
    rows = (
        TrainingCredit.objects.values("unit_id", "year")
        .annotate(
            sum_hours=Sum("hours"),
            line_count=Count("id"),
            teacher_count=Count("teacher_id", distinct=True),
        )
        .order_by()
    )
    made = UnitYearTotal.objects.bulk_create(
        [
            UnitYearTotal(
                unit_id=row["unit_id"],
                year=row["year"],
                hours=row["sum_hours"],
                lines=row["line_count"],
                teachers=row["teacher_count"],
            )
            for row in rows
        ],
        batch_size=2000,
    )
    return len(made)


def _audit_after(credit: TrainingCredit) -> dict:
    return {
        "teacher": credit.teacher_id,
        "year": credit.year,
        "hours": str(credit.hours),
        "kind": credit.kind,
        "event": credit.event,
        "source": credit.source,
    }


def _credit_rule(actor: Actor, submission: Submission, event: str, source: str, award=None):
    """Write one rule credit, or None when the lesson already earned this event's hours."""
    hours = rule_hours(submission.campaign_id, event)
    if hours is None:
        return None
    try:
        with transaction.atomic():
            credit = TrainingCredit.objects.create(
                teacher_id=submission.teacher_id,
                unit_id=submission.unit_id,
                year=submission.campaign.year,
                hours=hours,
                kind=CreditKind.RULE,
                event=event,
                campaign_id=submission.campaign_id,
                submission=submission,
                award=award,
                source=source[:200],
                created_by=actor.person,
            )
            _book(credit)
            record(
                actor, AuditAction.CREATE, credit, unit=submission.unit, after=_audit_after(credit)
            )
    except IntegrityError:
        return None  # credited before: the constraint is the once-only guarantee
    return credit


def credit_showcase(actor: Actor, submission_id: int) -> TrainingCredit | None:
    """A submitted package is a showcased lesson (晒课)."""
    submission = (
        Submission.objects.select_related("campaign")
        .filter(pk=submission_id, state=SubmissionState.SUBMITTED)
        .first()
    )
    if submission is None:
        return None
    source = _("晒课《%(title)s》（%(campaign)s）") % {
        "title": submission.title,
        "campaign": submission.campaign.name,
    }
    return _credit_rule(actor, submission, TrainingEvent.SHOWCASE, source)


def credit_award(actor: Actor, award_id: int) -> TrainingCredit | None:
    award = (
        Award.objects.select_related("grade", "level", "entry__submission__campaign")
        .filter(pk=award_id, revoked_at__isnull=True)
        .first()
    )
    if award is None:
        return None
    event = EVENT_FOR_AWARD_LEVEL.get(award.level.key)
    if event is None:
        return None
    submission = award.entry.submission
    source = _("《%(title)s》获%(grade)s（%(campaign)s）") % {
        "title": submission.title,
        "grade": award.grade.name,
        "campaign": submission.campaign.name,
    }
    return _credit_rule(actor, submission, event, source, award=award)


def _reverse(actor: Actor, credit: TrainingCredit, reason: str) -> TrainingCredit:
    credit.is_reversed = True
    credit.save(update_fields=["is_reversed"])
    reversal = TrainingCredit.objects.create(
        teacher_id=credit.teacher_id,
        unit_id=credit.unit_id,
        year=credit.year,
        hours=-credit.hours,
        kind=CreditKind.REVERSAL,
        event=credit.event,
        campaign_id=credit.campaign_id,
        submission_id=credit.submission_id,
        award_id=credit.award_id,
        term_id=credit.term_id,
        work_kind=credit.work_kind,
        reverses=credit,
        source=(_("冲销：%(source)s") % {"source": credit.source})[:200],
        reason=reason[:300],
        created_by=actor.person,
    )
    _book(reversal)
    record(
        actor,
        AuditAction.CREATE,
        reversal,
        unit=credit.unit,
        after={**_audit_after(reversal), "reverses": credit.pk},
        reason=reason,
    )
    return reversal


def reverse_showcase(actor: Actor, submission_id: int, reason: str) -> list[TrainingCredit]:
    """A withdrawn package is no longer a showcased lesson: its 晒课 hours are reversed (a
    later re-submission credits them again, once)."""
    with transaction.atomic():
        credits = TrainingCredit.objects.select_for_update().filter(
            submission_id=submission_id,
            event=TrainingEvent.SHOWCASE,
            kind=CreditKind.RULE,
            is_reversed=False,
        )
        why = _("作品已撤回：%(reason)s") % {"reason": reason} if reason else _("作品已撤回")
        return [_reverse(actor, credit, why) for credit in credits]


def reverse_award(actor: Actor, award_id: int, reason: str) -> list[TrainingCredit]:
    """Reverse the hours a revoked award earned, then let another standing award of the same
    lesson that earns the same event (e.g. the ministry award after the provincial one is
    revoked) credit them again, so the ledger always matches the awards that stand."""
    with transaction.atomic():
        credits = list(
            TrainingCredit.objects.select_for_update().filter(
                award_id=award_id, kind=CreditKind.RULE, is_reversed=False
            )
        )
        reversals = [_reverse(actor, credit, reason) for credit in credits]
    for credit in credits:
        others = Award.objects.filter(
            entry__submission_id=credit.submission_id, revoked_at__isnull=True
        ).select_related("level")
        for other in others:
            same_event = EVENT_FOR_AWARD_LEVEL.get(other.level.key) == credit.event
            if same_event and credit_award(actor, other.pk) is not None:
                break
    return reversals


def sync_credits(actor: Actor, campaign_ids: list[int] | None = None) -> int:
    """Credit every event that earned hours but has none yet (events before the ledger
    existed, a signal lost to a crash); safe to run any number of times."""
    campaigns = TrainingHourRule.objects.values_list("campaign_id", flat=True)
    if campaign_ids is not None:
        campaigns = campaigns.filter(campaign_id__in=campaign_ids)
    campaigns = set(campaigns)
    made = 0
    submitted = Submission.objects.filter(
        campaign_id__in=campaigns, state=SubmissionState.SUBMITTED
    ).exclude(
        pk__in=TrainingCredit.objects.filter(
            kind=CreditKind.RULE, is_reversed=False, event=TrainingEvent.SHOWCASE
        ).values("submission_id")
    )
    for submission_id in submitted.values_list("pk", flat=True).order_by("pk"):
        made += credit_showcase(actor, submission_id) is not None
    awards = Award.objects.filter(
        level__campaign_id__in=campaigns,
        level__key__in=list(EVENT_FOR_AWARD_LEVEL),
        revoked_at__isnull=True,
    ).order_by("level__order", "pk")
    for award_id in awards.values_list("pk", flat=True):
        made += credit_award(actor, award_id) is not None
    return made


# --- manual credits and corrections -------------------------------------------------------


def parse_hours(value) -> Decimal:
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {"hours": [_("“学时”应为数字（可保留一位小数），例如 8 或 2.5，请修改。")]}
        ) from None
    if not hours.is_finite() or hours != hours.quantize(Decimal("0.1")):
        raise ValidationError({"hours": [_("“学时”最多保留一位小数，例如 2.5，请修改。")]})
    return hours


def add_manual_credit(
    actor: Actor,
    teacher: Person,
    *,
    hours,
    year: int,
    source: str,
    reason: str,
    kind: str = CreditKind.MANUAL,
) -> TrainingCredit:
    """A credit (positive hours) or a correction (either sign) an admin records by hand."""
    if actor.person is None or not org_rules.covers(actor.person, teacher.unit):
        raise PermissionDenied("teacher")
    errors: dict[str, list[str]] = {}
    try:
        hours = parse_hours(hours)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        hours = None
    if kind not in (CreditKind.MANUAL, CreditKind.CORRECTION):
        errors["kind"] = [_("请选择“手工登记”或“更正”。")]
    elif hours is not None:
        if kind == CreditKind.MANUAL and not Decimal(0) < hours <= MAX_MANUAL_HOURS:
            errors["hours"] = [
                _("手工登记的学时应大于 0 且不超过 %(n)s；要减少学时请选择“更正”并填写负数。")
                % {"n": MAX_MANUAL_HOURS}
            ]
        elif kind == CreditKind.CORRECTION and not (hours and abs(hours) <= MAX_MANUAL_HOURS):
            errors["hours"] = [
                _("更正的学时不能为 0，绝对值不超过 %(n)s；减少学时请填写负数，如 -10。")
                % {"n": MAX_MANUAL_HOURS}
            ]
    this_year = current_year()
    if not EARLIEST_YEAR <= year <= this_year + 1:
        errors["year"] = [
            _("“年度”应在 %(a)s 至 %(b)s 之间，请修改。") % {"a": EARLIEST_YEAR, "b": this_year + 1}
        ]
    source = (source or "").strip()
    if not source:
        errors["source"] = [_("请填写学时来源，例如“2025年市级信息技术应用能力培训”。")]
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("请填写登记理由，它会记入日志，供教师和上级核对。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # The teacher's row is the lock: two corrections cannot both pass the balance check.
        Person.objects.select_for_update(no_key=True).filter(pk=teacher.pk).first()
        if kind == CreditKind.CORRECTION and hours < 0:
            balance = TrainingCredit.objects.filter(teacher=teacher, year=year).aggregate(
                total=Sum("hours")
            )["total"] or Decimal(0)
            if balance + hours < 0:
                raise ValidationError(
                    {
                        "hours": [
                            _(
                                "%(year)s 年度该教师现有 %(balance)s 学时，更正后不能为负数："
                                "请把减少的学时改为不超过 %(balance)s。"
                            )
                            % {"year": year, "balance": balance}
                        ]
                    }
                )
        credit = TrainingCredit.objects.create(
            teacher=teacher,
            unit_id=teacher.unit_id,
            year=year,
            hours=hours,
            kind=kind,
            source=source[:200],
            reason=reason[:300],
            created_by=actor.person,
        )
        _book(credit)
        record(
            actor,
            AuditAction.CREATE,
            credit,
            unit=teacher.unit,
            after=_audit_after(credit),
            reason=reason,
        )
    return credit


# --- 三个课堂 workload ------------------------------------------------------------------------

# Terms that ended this many days ago or less are recounted by the daily job (late
# attendance, evaluations and recordings still count); older ones only by an admin.
RECOUNT_DAYS = 60


@dataclass
class WorkloadResult:
    credited: int = 0  # new lines
    recounted: int = 0  # standing lines reversed and booked again with the new figure
    reversed: int = 0  # standing lines reversed with nothing to book (count or rule gone)
    unchanged: int = 0


def term_year(term) -> int:
    """The year a term's hours count for: the year it starts (an autumn term's work is
    mostly before the new year)."""
    return term.starts_on.year


def can_credit_term(person: Person, term) -> bool:
    """Admins of the term's region (county, city or above) count its hours."""
    from youke.classrooms.domain.workload import can_set_weights

    return person is not None and can_set_weights(person, term.unit)


def _workload_source(term, kind: str, count: int, rule) -> str:
    """The line's name, always in the site language (a recount compares it)."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return _workload_text(term, kind, count, rule)


def _workload_text(term, kind: str, count: int, rule) -> str:
    from youke.classrooms.enums import WorkKind

    text = _("三个课堂工作量 %(term)s %(kind)s %(count)d 项（每项 %(hours)s 学时）") % {
        "term": term.name,
        "kind": WorkKind(kind).label,
        "count": count,
        "hours": rule.hours,
    }
    if rule.cap is not None and rule.hours * count > rule.cap:
        text += _("，本学期上限 %(cap)s 学时") % {"cap": rule.cap}
    return text[:200]


def credit_workload_term(actor: Actor, term, *, now=None) -> WorkloadResult:
    """Credit (or recount) the term's workload hours for every teacher of its region.

    Safe to run any number of times: a line that still matches its figure is left alone;
    one whose count or rule changed is reversed and booked again; one whose figure fell to
    nothing is reversed. Refused before the term has ended.
    """
    from youke.classrooms.domain.workload import workload_rows
    from youke.training.domain.workload_rules import HourRules

    now = now or timezone.now()
    if actor.person is not None and not can_credit_term(actor.person, term):
        raise PermissionDenied("term")
    if term.ends_on >= timezone.localdate(now):
        raise ValidationError(
            _("“%(term)s”到 %(end)s 才结束；学期结束后才能把工作量计入学时。")
            % {"term": term.name, "end": term.ends_on}
        )
    rows = workload_rows(term, paths=[term.unit.path], now=now)
    rules = HourRules.around([term.unit.path])
    wanted: dict[tuple[int, str], tuple[Decimal, int, object]] = {}
    for row in rows:
        applying = rules.for_path(row.unit_path)
        for kind, count in row.counts.items():
            rule = applying.get(kind)
            if rule is not None and count:
                wanted[(row.person_id, kind)] = (rule.hours_for(count), count, rule)
    standing = {
        (teacher_id, kind): (pk, hours, source)
        for pk, teacher_id, kind, hours, source in TrainingCredit.objects.filter(
            term=term, kind=CreditKind.RULE, is_reversed=False
        ).values_list("pk", "teacher_id", "work_kind", "hours", "source")
    }
    units = dict(Person.objects.filter(pk__in={t for t, _k in wanted}).values_list("pk", "unit_id"))
    result = WorkloadResult()
    for key in sorted(set(wanted) | set(standing)):
        teacher_id, kind = key
        hours, count, rule = wanted.get(key, (Decimal(0), 0, None))
        source = _workload_source(term, kind, count, rule) if rule is not None else ""
        if key in standing and standing[key][1:] == (hours, source):
            result.unchanged += 1  # read above: no lock or write needed
            continue
        with transaction.atomic():
            current = None
            if key in standing:
                current = (
                    TrainingCredit.objects.select_for_update()
                    .filter(pk=standing[key][0], is_reversed=False)
                    .first()
                )
            if current is not None and current.hours == hours and current.source == source:
                result.unchanged += 1
                continue
            if current is not None:
                _reverse(actor, current, _("重新核算：%(term)s 工作量已变化") % {"term": term.name})
            if not hours:
                result.reversed += current is not None
                continue
            try:
                with transaction.atomic():
                    credit = TrainingCredit.objects.create(
                        teacher_id=teacher_id,
                        unit_id=units[teacher_id],
                        year=term_year(term),
                        hours=hours,
                        kind=CreditKind.RULE,
                        term=term,
                        work_kind=kind,
                        source=source,
                        created_by=actor.person,
                    )
                    _book(credit)
                    record(
                        actor,
                        AuditAction.CREATE,
                        credit,
                        unit=credit.unit,
                        after={**_audit_after(credit), "term": term.pk, "work_kind": kind},
                    )
            except IntegrityError:
                result.unchanged += 1  # a concurrent run booked it first
                continue
            if current is not None:
                result.recounted += 1
            else:
                result.credited += 1
    return result


def credit_ended_terms(actor: Actor, *, now=None) -> int:
    """The daily job: credit or recount every term that ended in the last ``RECOUNT_DAYS``."""
    import datetime as dt

    from youke.classrooms.models import Term

    now = now or timezone.now()
    today = timezone.localdate(now)
    lines = 0
    terms = Term.objects.filter(
        ends_on__lt=today, ends_on__gte=today - dt.timedelta(days=RECOUNT_DAYS)
    ).select_related("unit")
    for term in terms.order_by("ends_on", "pk"):
        done = credit_workload_term(actor, term, now=now)
        lines += done.credited + done.recounted + done.reversed
    return lines


def workload_summary(term) -> dict:
    """The standing workload lines of a term: teachers and hours."""
    found = TrainingCredit.objects.filter(term=term, kind=CreditKind.RULE, is_reversed=False)
    totals = found.aggregate(hours=Sum("hours"), teachers=Count("teacher_id", distinct=True))
    return {"hours": totals["hours"] or Decimal(0), "teachers": totals["teachers"]}


def current_year() -> int:
    return timezone.localdate().year
