import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from youke.orgs.models import Person

pytestmark = pytest.mark.django_db


def test_import_command_reports_rows(province, tmp_path, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # the command runs the job inline itself
    workbook = Workbook()
    workbook.active.append(["姓名", "手机号", "身份证号", "学校代码", "称号", "电子邮箱"])
    workbook.active.append(["许老师", "13522223333", "", "", "", ""])
    workbook.active.append(["错号", "99", "", "", "", ""])
    path = tmp_path / "teachers.xlsx"
    workbook.save(path)
    out = io.StringIO()
    call_command(
        "import", "teachers", str(path), "--as", "countya", "--school", "9901010001", stdout=out
    )
    assert "新增 1 条" in out.getvalue()
    assert "第 3 行 [手机号]" in out.getvalue()
    assert Person.objects.get(mobile="13522223333").unit == province.school_a
