"""`youke rebuild_review_summaries [ROUND_ID ...]`: recompute the review aggregates.

The summaries are kept current as reviews are submitted or reopened; run this after
writing reviews outside the domain functions (imports, bulk repairs) or after an upgrade.
Without ids it rebuilds every round that has started.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from youke.selection.domain.review_summary import rebuild_round
from youke.selection.enums import RoundState
from youke.selection.models import ReviewRound


class Command(BaseCommand):
    help = _("根据已提交的评分重新计算评审轮次的作品汇总、专家统计和排名。")

    def add_arguments(self, parser):
        parser.add_argument("round_ids", nargs="*", type=int, help=_("评审轮次编号（默认全部）"))

    def handle(self, *args, round_ids: list[int], **options):
        rounds = ReviewRound.objects.exclude(state=RoundState.DRAFT).order_by("id")
        if round_ids:
            rounds = ReviewRound.objects.filter(pk__in=round_ids).order_by("id")
            missing = set(round_ids) - set(rounds.values_list("id", flat=True))
            if missing:
                raise CommandError(
                    _("找不到评审轮次：%(ids)s。请检查编号。")
                    % {"ids": "、".join(str(pk) for pk in sorted(missing))}
                )
        count = 0
        for review_round in rounds:
            rebuild_round(review_round)
            count += 1
        self.stdout.write(_("已重新计算 %(n)s 个评审轮次的评审汇总。") % {"n": count})
