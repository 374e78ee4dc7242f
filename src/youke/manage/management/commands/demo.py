from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from youke.manage.demo import DEFAULT_PASSWORD, DEFAULT_SEED, build


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a real str, so translate when the parser is built
        return _(
            "载入演示数据：示范省的单位、人员、课程目录、进行中的精品课和一师一优课活动及其作品；可重复运行，已有的数据不会重复创建。"
        )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--password", default=DEFAULT_PASSWORD, help=_("所有演示账号的密码（默认 %(default)s）")
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=_("随机数种子，种子相同则生成的数据相同（默认 %(default)s）"),
        )

    def handle(self, *args, password: str, seed: int, **options) -> None:
        build(self.stdout, password=password, seed=seed)
