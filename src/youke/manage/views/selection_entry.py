"""The entry page: one package as an admin's inbox shows it, with player, documents,
check results and its path through the levels. Scoped exactly as the inbox
(``selection.rules.access_entry``): 404 for any entry the inbox would not show."""

from __future__ import annotations

from django.shortcuts import render

from youke.catalog.domain.nodes import ancestors_by_path, trail
from youke.manage.views.common import admin_required
from youke.manage.views.selection import _inbox_url
from youke.portal.player import player_context
from youke.selection import rules
from youke.selection.domain.path import path_context
from youke.selection.domain.viewing import FULL
from youke.submissions.domain.packages import package_materials
from youke.submissions.models import CoAuthor


@admin_required
def entry_detail(request, entry_id: int):
    entry = rules.access_entry(request.user, entry_id)
    submission = entry.submission  # with its campaign, category, node, teacher and unit
    ancestors = ancestors_by_path([submission.node])
    return render(
        request,
        "manage/selection_entry.html",
        {
            "entry": entry,
            "submission": submission,
            "trail": trail(submission.node, ancestors),
            "coauthors": list(
                CoAuthor.objects.filter(submission=submission).values_list(
                    "person__full_name", flat=True
                )
            ),
            "back": _inbox_url(entry.level.campaign_id, entry.unit_id, entry.level_id),
            **player_context(
                request.user, submission, FULL, package_materials(submission, request.user)
            ),
            **path_context(request.user, submission),
        },
    )
