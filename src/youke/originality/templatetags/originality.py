"""Badges for lists: ``{% originality_results page as found %}`` loads the shown rows'
results in one query; ``{% originality_badge found submission_id %}`` draws one."""

from django import template

from youke.originality.models import OriginalityResult

register = template.Library()


@register.simple_tag
def originality_results(rows) -> dict:
    ids = {getattr(row, "submission_id", None) or getattr(row, "pk", None) for row in rows}
    return {r.submission_id: r for r in OriginalityResult.objects.filter(submission_id__in=ids)}


@register.inclusion_tag("originality/_badge.html")
def originality_badge(found: dict, submission_id: int) -> dict:
    return {"result": found.get(submission_id), "submission_id": submission_id}
