"""The consolidated contact sheet (汇总联系表) as xlsx, in the notice's layout (seed 003
附件2): one row per unit × role, for every return that has been confirmed."""

from __future__ import annotations

from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from youke.collections.domain.returns import ROLE_ORDER
from youke.collections.enums import ReturnState
from youke.collections.models import CollectionReturn, CollectionTask
from youke.core.tabular import safe_cell
from youke.orgs.enums import ContactRole


def headers() -> list[str]:
    return [
        _("单位"),
        _("职责"),
        _("姓名"),
        _("性别"),
        _("职务"),
        _("负责部门"),
        _("办公电话"),
        _("手机"),
        _("电子邮箱"),
    ]


def contact_rows(task: CollectionTask) -> list[list[str]]:
    returns = (
        CollectionReturn.objects.filter(
            task=task, state__in=[ReturnState.SUBMITTED, ReturnState.APPROVED]
        )
        .select_related("unit")
        .prefetch_related("contacts")
        .order_by("unit__path")
    )
    rows = []
    for collection_return in returns:
        by_role = {c.role: c for c in collection_return.contacts.all()}
        for role in ROLE_ORDER:
            entry = by_role.get(role)
            if entry is None:
                continue
            rows.append(
                [
                    collection_return.unit.name,
                    str(ContactRole(role).label),
                    entry.name,
                    entry.get_gender_display(),
                    entry.position,
                    entry.department,
                    entry.office_phone,
                    entry.mobile,
                    entry.email,
                ]
            )
    return rows


def write_contact_sheet(handle: IO[bytes], task: CollectionTask) -> int:
    """Write the workbook; returns the number of data rows."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("联系表"))
    sheet.append([safe_cell(task.title)])
    sheet.append(headers())
    rows = contact_rows(task)
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    book.save(handle)
    return len(rows)
