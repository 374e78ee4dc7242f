"""Reading and writing xlsx/CSV tables safely.

Reading checks the content (not the extension), guards against zip bombs, validates the
header row and yields rows with their spreadsheet row numbers so reports can point at them.
Writing streams (openpyxl write-only) and neutralises cells that would run as formulas.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_UNCOMPRESSED = 512 * 1024 * 1024
MAX_RATIO = 200


class TableError(Exception):
    """The file as a whole cannot be read; the message names the problem and the fix."""


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = True


@dataclass
class RowError:
    row: int
    column: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


def safe_cell(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _is_xlsx(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def _check_zip(handle: IO[bytes]) -> None:
    try:
        with zipfile.ZipFile(handle) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise TableError(
            _("文件已损坏，无法作为 xlsx 打开。请用 Excel 重新保存后再上传。")
        ) from exc
    total = sum(info.file_size for info in infos)
    compressed = sum(info.compress_size for info in infos) or 1
    if total > MAX_UNCOMPRESSED or total / compressed > MAX_RATIO:
        raise TableError(_("文件解压后异常巨大，疑似压缩炸弹，已拒绝。请上传正常的 Excel 文件。"))
    if any(info.filename.startswith("/") or ".." in info.filename.split("/") for info in infos):
        raise TableError(_("文件内部含有非法路径，已拒绝。请用 Excel 重新保存后再上传。"))
    handle.seek(0)


def _xlsx_rows(handle: IO[bytes]) -> Iterator[tuple[Any, ...]]:
    _check_zip(handle)
    try:
        from openpyxl import load_workbook  # imported on use: web workers rarely need it

        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise TableError(
            _("无法读取该 xlsx 文件（%(error)s）。请用 Excel 另存为 .xlsx 后再上传。")
            % {"error": type(exc).__name__}
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def _csv_rows(handle: IO[bytes]) -> Iterator[tuple[Any, ...]]:
    raw = handle.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError(_("CSV 文件编码无法识别，请另存为 UTF-8 编码的 CSV 后再上传。"))
    if "\x00" in text:
        raise TableError(_("该文件不是 xlsx 或 CSV 表格。请下载模板，按模板填写后上传。"))
    yield from (tuple(row) for row in csv.reader(io.StringIO(text)))


def read_table(
    handle: IO[bytes], columns: list[Column], *, allow_csv: bool = False, max_rows: int
) -> tuple[int, Iterator[tuple[int, dict[str, Any]]]]:
    """Validate headers and return (data row count, iterator of (row number, values))."""
    head = handle.read(8)
    handle.seek(0)
    if _is_xlsx(head):
        rows_factory = lambda: _xlsx_rows(handle)  # noqa: E731
    elif allow_csv and not head.startswith(codecs.BOM_UTF16_LE) and b"\x00" not in head:
        rows_factory = lambda: _csv_rows(handle)  # noqa: E731
    else:
        expected = _("xlsx 或 CSV") if allow_csv else "xlsx"
        raise TableError(
            _(
                "该文件不是 %(kind)s 表格（按内容识别，与扩展名无关）。请下载模板，按模板填写后上传。"
            )
            % {"kind": expected}
        )

    rows = rows_factory()
    header_row = next(rows, None)
    if header_row is None:
        raise TableError(_("文件是空的。请下载模板，填写后上传。"))
    headers = [str(cell).strip() if cell is not None else "" for cell in header_row]
    positions: dict[str, int] = {}
    missing = []
    for column in columns:
        if column.header in headers:
            positions[column.key] = headers.index(column.header)
        elif column.required:
            missing.append(column.header)
    if missing:
        raise TableError(
            _("表头缺少必填列：%(missing)s。请使用页面上的模板，不要修改第一行表头。")
            % {"missing": "、".join(missing)}
        )

    # Count first so progress has a total and oversize files fail before any write.
    count = 0
    for row in rows:
        if any(cell not in (None, "") for cell in row):
            count += 1
            if count > max_rows:
                raise TableError(
                    _("文件超过 %(max)s 行数据的上限。请拆分成多个文件分别导入。")
                    % {"max": max_rows}
                )
    handle.seek(0)

    def iterate() -> Iterator[tuple[int, dict[str, Any]]]:
        data = rows_factory()
        next(data, None)
        for number, row in enumerate(data, start=2):
            if not any(cell not in (None, "") for cell in row):
                continue
            values = {}
            for key, index in positions.items():
                cell = row[index] if index < len(row) else None
                if isinstance(cell, float) and cell.is_integer():
                    cell = int(cell)
                values[key] = "" if cell is None else str(cell).strip()
            yield number, values

    return count, iterate()


def write_xlsx(
    handle: IO[bytes], headers: list[str], rows: Iterable[Iterable[Any]], *, title: str = "Sheet1"
) -> None:
    """Stream rows into an xlsx file: memory stays flat however many rows there are."""
    from openpyxl import Workbook  # imported on use: web workers rarely need it

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(headers)
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    workbook.save(handle)


def write_csv(handle: IO[str], headers: list[str], rows: Iterable[Iterable[Any]]) -> None:
    writer = csv.writer(handle)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
