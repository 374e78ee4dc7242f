"""The results of a review round: one sorted, filtered, searched page of entries read from
the maintained summaries, the round's totals, the experts' leniency, and the export job."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from youke.core.actor import Actor
from youke.manage.views.common import PAGE_SIZE, admin_required, start_job
from youke.selection.domain import checklist, review, review_export, review_results

SORT_LABELS = {
    "rank": gettext_lazy("名次"),
    "mean": gettext_lazy("平均分"),
    "trimmed_mean": gettext_lazy("去极值平均分"),
    "zscore": gettext_lazy("标准分"),
    "spread": gettext_lazy("分歧（分差）"),
    "title": gettext_lazy("作品标题"),
}
SHOW_LABELS = {
    "": gettext_lazy("全部"),
    "flagged": gettext_lazy("有分歧"),
    "veto": gettext_lazy("一票否决"),
    "incomplete": gettext_lazy("评审未完成"),
    "unscored": gettext_lazy("尚无评分"),
}


# The totals already count every filter's rows: the page need not count them again.
COUNTED_BY = {"": "entries", "flagged": "flagged", "veto": "veto"}
COUNTED_BY |= {"incomplete": "incomplete", "unscored": "unscored"}


class CountedPaginator(Paginator):
    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def _number(value: float | None, digits: int) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _row(row: dict, tallies: dict) -> dict:
    """Numbers formatted here, once, instead of a template filter per cell."""
    row["rank_text"] = "—" if row["rank"] is None else str(row["rank"])
    row["mean_text"] = _number(row["mean"], 2)
    row["trimmed_text"] = _number(row["trimmed_mean"], 2)
    row["zscore_text"] = _number(row["zscore"], 3)
    row["items"] = tallies.get(row["entry_id"], [])
    return row


def _links(base: dict, key: str, options: dict) -> list[dict]:
    """One link per option, keeping the other parameters (and starting again at page 1)."""
    return [
        {
            "label": label,
            "active": base.get(key, "") == value,
            "query": urlencode({**{k: v for k, v in base.items() if v}, key: value}),
        }
        for value, label in options.items()
    ]


@admin_required
def round_results(request, round_id):
    review_round = review.access_round(request.user, round_id)
    sort = request.GET.get("sort", "rank")
    sort = sort if sort in SORT_LABELS else "rank"
    show = request.GET.get("show", "")
    show = show if show in SHOW_LABELS else ""
    query = request.GET.get("q", "").strip()[:100]
    rows = review_results.results_page(review_round, sort=sort, show=show, query=query)
    totals = review_results.round_totals(review_round)
    paginator = (
        Paginator(rows, PAGE_SIZE)
        if query
        else CountedPaginator(rows, PAGE_SIZE, totals[COUNTED_BY[show]])
    )
    page = paginator.get_page(request.GET.get("page"))
    rows = review_results.describe(list(page.object_list))
    tallies = checklist.round_entry_tallies(review_round, [r["entry_id"] for r in rows])
    base = {"sort": sort, "show": show, "q": query}
    experts = [
        {
            "name": e["expert__full_name"],
            "count": e["count"],
            "mean": _number(e["mean"], 2),
            "stdev": _number(e["stdev"], 2),
            "deviation": _number(e["deviation"], 2),
        }
        for e in review_results.expert_rows(review_round)
    ]
    return render(
        request,
        "manage/review_results.html",
        {
            "round": review_round,
            "page": page,
            "rows": [_row(row, tallies) for row in rows],
            "totals": totals,
            "experts": experts,
            "sorts": _links(base, "sort", SORT_LABELS),
            "shows": _links(base, "show", SHOW_LABELS),
            "sort": sort,
            "show": show,
            "query": query,
            "filters": {k: v for k, v in base.items() if v},
        },
    )


@admin_required
@require_POST
def results_export(request, round_id):
    review_round = review.access_round(request.user, round_id)
    return start_job(
        request,
        lambda: review_export.request_review_export(Actor.from_request(request), review_round),
        redirect("manage_reviews:results", review_round.pk),
    )
