"""Selection (遴选): level entries, decisions, list confirmation, quotas (R7), screening (R8).

Every entry is scoped by ``selection.rules.entries_visible_to`` (the pages' twin), so an id
outside the caller's units is 404. Writes call the selection domain with the caller as actor;
quota, R5/R6, deadline and screening refusals come back as 422 with the domain's message.
"""

from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from ninja import Query, Router

from youke.api.common import actor, paginated, viewer
from youke.api.schemas import ErrorOut, ValidationErrorOut
from youke.api.schemas_selection import (
    ConfirmListIn,
    EntryFilters,
    EntryOut,
    LevelListOut,
    ProportionalIn,
    ProportionalOut,
    QuotaFilters,
    QuotaIn,
    QuotaOut,
    ReasonIn,
    RecommendIn,
    ScreeningIn,
    ScreeningOut,
)
from youke.campaigns.access import access_campaign
from youke.campaigns.models import Campaign, Category, Level
from youke.orgs import rules as org_rules
from youke.orgs.access import access_unit
from youke.orgs.models import Person
from youke.selection import rules
from youke.selection.domain import entries as entry_domain
from youke.selection.domain import quotas as quota_domain
from youke.selection.domain.screening import record_screening as record_screening_domain
from youke.selection.enums import EntryState
from youke.selection.models import LevelEntry, LevelList, Quota

router = Router(tags=["selection"])

WRITE_ERRORS = {404: ErrorOut, 422: ValidationErrorOut}
ENTRY_RELATED = ("level", "unit", "submission__teacher", "submission__unit")


def _entry(person: Person, entry_id: int) -> LevelEntry:
    entry = (
        rules.entries_visible_to(person).select_related(*ENTRY_RELATED).filter(pk=entry_id).first()
    )
    if entry is None:
        raise Http404("entry")
    return entry


def _level(campaign: Campaign, level_id: int) -> Level:
    level = Level.objects.filter(pk=level_id, campaign=campaign).first()
    if level is None:
        raise Http404("level")
    return level


# --- entries ---------------------------------------------------------------------------------


@router.get("/selection/entries", response=list[EntryOut], operation_id="list_entries")
@paginated
def list_entries(request, filters: Query[EntryFilters]):
    """Entries at the levels of the caller's units and every unit below them (admins only)."""
    entries = rules.entries_visible_to(viewer(request))
    if filters.campaign is not None:
        entries = entries.filter(level__campaign_id=filters.campaign)
    if filters.level is not None:
        entries = entries.filter(level_id=filters.level)
    if filters.state:
        entries = entries.filter(state=filters.state)
    if filters.unit is not None:
        entries = entries.filter(unit_id=filters.unit)
    return entries.select_related(*ENTRY_RELATED).order_by("level__order", "unit__path", "id")


@router.get(
    "/selection/entries/{entry_id}",
    response={200: EntryOut, 404: ErrorOut},
    operation_id="get_entry",
)
def get_entry(request, entry_id: int):
    return _entry(viewer(request), entry_id)


def _decide(request, entry_id: int, decision: str, *, reason: str = "", override: str = ""):
    person = viewer(request)
    entry = rules.access_entry(person, entry_id)
    entry_domain.decide(actor(request), entry, decision, reason=reason, override_reason=override)
    return _entry(person, entry_id)


@router.post(
    "/selection/entries/{entry_id}/recommend",
    response={200: EntryOut, **WRITE_ERRORS},
    operation_id="recommend_entry",
)
def recommend_entry(request, entry_id: int, payload: RecommendIn):
    """Recommend to the next level under the quota (R7); one per node (R5) and per teacher
    (R6) may be exceeded only with ``override_reason``, which is recorded."""
    return _decide(request, entry_id, EntryState.RECOMMENDED, override=payload.override_reason)


@router.post(
    "/selection/entries/{entry_id}/not-recommend",
    response={200: EntryOut, **WRITE_ERRORS},
    operation_id="not_recommend_entry",
)
def not_recommend_entry(request, entry_id: int, payload: ReasonIn):
    return _decide(
        request,
        entry_id,
        EntryState.NOT_RECOMMENDED,
        reason=payload.reason,
        override=payload.override_reason,
    )


@router.post(
    "/selection/entries/{entry_id}/return",
    response={200: EntryOut, **WRITE_ERRORS},
    operation_id="return_entry",
)
def return_entry(request, entry_id: int, payload: ReasonIn):
    """Return for correction; at the school level the teacher gets a draft again."""
    return _decide(
        request,
        entry_id,
        EntryState.RETURNED,
        reason=payload.reason,
        override=payload.override_reason,
    )


@router.post(
    "/selection/entries/{entry_id}/screening",
    response={200: ScreeningOut, **WRITE_ERRORS},
    operation_id="record_screening",
)
def record_screening(request, entry_id: int, payload: ScreeningIn):
    """County screening (R8): only the fields sent change; JSON null clears a text field."""
    entry = rules.access_entry(viewer(request), entry_id)
    values = payload.model_dump(exclude_unset=True)
    for name, value in list(values.items()):
        if value is None and name != "trial_date":
            values[name] = ""
    screening = record_screening_domain(actor(request), entry, **values)
    screening.entry_id = entry.pk
    return screening


# --- lists -----------------------------------------------------------------------------------


@router.post(
    "/selection/lists/confirm",
    response={200: LevelListOut, **WRITE_ERRORS},
    operation_id="confirm_list",
)
def confirm_list(request, payload: ConfirmListIn):
    """Lock the unit's list at the level and send every recommended entry up as pending.

    Refused (422) while entries are pending or the list breaks a quota, one entry per node, one entry per teacher or screening.
    """
    person = viewer(request)
    campaign = access_campaign(person, payload.campaign)
    level = _level(campaign, payload.level)
    unit = access_unit(person, payload.unit)
    row = entry_domain.confirm_list(
        actor(request), campaign, level, unit, override_reason=payload.override_reason
    )
    return LevelList.objects.select_related("level", "unit").get(pk=row.pk)


# --- quotas ----------------------------------------------------------------------------------


def _quotas_with_usage(person: Person):
    """Quotas on the caller's units, each with its recommended count, in one query."""
    recommended = (
        LevelEntry.objects.filter(
            level_id=OuterRef("level_id"),
            unit_id=OuterRef("unit_id"),
            state=EntryState.RECOMMENDED,
        )
        .order_by()
        .values("level_id")
    )
    overall = recommended.annotate(n=Count("id")).values("n")[:1]
    per_category = (
        recommended.filter(submission__category_id=OuterRef("category_id"))
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    zero = Value(0)
    return (
        org_rules.scoped(Quota.objects.all(), person, "unit__path")
        .select_related("level", "unit")
        .annotate(
            used=Case(
                When(category__isnull=True, then=Coalesce(Subquery(overall), zero)),
                default=Coalesce(Subquery(per_category), zero),
                output_field=IntegerField(),
            )
        )
    )


@router.get(
    "/selection/quotas",
    response={200: list[QuotaOut], 404: ErrorOut},  # 404: campaign missing or not visible
    operation_id="list_quotas",
)
@paginated
def list_quotas(request, filters: Query[QuotaFilters]):
    """Quotas of the caller's units and of every unit below them, with used / allowed."""
    person = viewer(request)
    campaign = access_campaign(person, filters.campaign)
    quotas = _quotas_with_usage(person).filter(campaign=campaign)
    if filters.level is not None:
        quotas = quotas.filter(level_id=filters.level)
    if filters.unit is not None:
        quotas = quotas.filter(unit_id=filters.unit)
    return quotas.order_by("level__order", "unit__path", "category_id", "id")


@router.post(
    "/selection/quotas", response={200: QuotaOut, **WRITE_ERRORS}, operation_id="set_quota"
)
def set_quota(request, payload: QuotaIn):
    """Set a subordinate unit's quota at a level (R7); only the level above may."""
    person = viewer(request)
    campaign = access_campaign(person, payload.campaign)
    level = _level(campaign, payload.level)
    unit = access_unit(person, payload.unit)
    category = None
    if payload.category is not None:
        category = Category.objects.filter(pk=payload.category, campaign=campaign).first()
        if category is None:
            raise Http404("category")
    quota = quota_domain.allocate_quota(
        actor(request), campaign, level, unit, payload.allowed, category
    )
    return _quotas_with_usage(person).get(pk=quota.pk)


@router.post(
    "/selection/quotas/proportional",
    response={200: ProportionalOut, **WRITE_ERRORS},
    operation_id="apply_proportional_quotas",
)
def apply_proportional_quotas(request, payload: ProportionalIn):
    """R7's proportional rule for the direct subordinates of ``parent_unit``: submitted
    lesson nodes (largest remainder) plus a bonus per provincial award last year. With
    ``apply: false`` nothing is saved, so the numbers can be shown before they are."""
    person = viewer(request)
    campaign = access_campaign(person, payload.campaign)
    level = _level(campaign, payload.level)
    parent = access_unit(person, payload.parent_unit)
    if not org_rules.covers(person, parent):
        raise Http404("unit")
    if payload.apply:
        rows = quota_domain.apply_proportional(
            actor(request),
            campaign,
            level,
            parent,
            payload.total,
            bonus_per_award=payload.bonus_per_award,
        )
    else:
        rows = quota_domain.proportional_quotas(
            campaign, level, parent, payload.total, bonus_per_award=payload.bonus_per_award
        )
    return {"applied": payload.apply, "rows": rows}
