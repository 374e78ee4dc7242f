"""Bulletins: the snapshot equals the live figures, the PDF carries the Chinese text,
numbers are per issuing unit and year, publishing notifies the units below, and a
published bulletin never changes."""

from __future__ import annotations

import datetime
import shutil
import subprocess

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from youke.core.actor import Actor
from youke.monitoring.domain import bulletins
from youke.monitoring.domain.bulletin_files import render_pdf
from youke.monitoring.domain.reading import unit_report
from youke.notifications.models import Notification
from youke.orgs.domain.units import PermissionDenied

pytestmark = pytest.mark.django_db

KEYS = ["participation", "lessons_per_teacher", "excellent_rate"]


def compose(province, tree, **extra):
    fields = {
        "title": "关于一师一优课晒课进展情况的通报",
        "doc_prefix": "青教电通",
        "period_start": datetime.date(2026, 3, 1),
        "period_end": datetime.date(2026, 3, 31),
        "indicators": KEYS,
        "intro": "现将本市晒课进展情况通报如下。",
        "closing": "请各县区加快进度。",
        "is_public": True,
    }
    fields.update(extra)
    return bulletins.compose(
        Actor(province.city_admin), unit=province.city, campaign=tree.campaign, **fields
    )


def test_snapshot_equals_live_figures_at_its_time(province, tree):
    bulletin = compose(province, tree)
    live = unit_report(tree.campaign, province.city)
    assert bulletin.snapshot["total"] == live.total.as_dict() | {
        "cells": [c for c in live.total.as_dict()["cells"] if c["key"] in KEYS]
    }
    assert bulletin.figures_at == live.refreshed_at
    table = bulletin.snapshot["tables"][0]
    assert [row["name"] for row in table["rows"]] == ["西岭县", "东湖区"]  # ranked by participation
    assert bulletin.snapshot["commended"] == ["西岭县"]
    assert bulletin.snapshot["behind"] == [
        {"name": "东湖区", "indicators": ["晒课教师比例", "人均晒课节数"]}
    ]


def test_publish_numbers_files_and_notifies(province, tree, run_on_commit):
    first = run_on_commit(bulletins.publish, Actor(province.city_admin), compose(province, tree))
    second = run_on_commit(bulletins.publish, Actor(province.city_admin), compose(province, tree))
    assert (first.number, second.number) == (1, 2)
    assert second.doc_number == f"青教电通〔{second.year}〕2号"
    assert first.pdf.name and first.xlsx.name
    notified = Notification.objects.filter(kind="bulletin").values_list(
        "person__username", flat=True
    )
    # both counties' admins (the units directly below the city), once per bulletin
    assert sorted(notified) == ["countya", "countya", "countyb", "countyb"]
    with pytest.raises(ValidationError):
        bulletins.retake_snapshot(Actor(province.city_admin), first)


def test_pdf_renders_chinese_text(province, tree, tmp_path):
    bulletin = bulletins.publish(Actor(province.city_admin), compose(province, tree))
    data = bulletin.pdf.open("rb").read()
    text = "".join(page.extract_text() for page in PdfReader(bulletin.pdf.open("rb")).pages)
    assert "关于一师一优课晒课进展情况的通报" in text
    assert "东湖区" in text and "西岭县" in text
    assert bulletin.doc_number in text
    source = tmp_path / "b.pdf"
    source.write_bytes(data)
    fonts = [
        font.get_object() for font in PdfReader(source).pages[0]["/Resources"]["/Font"].values()
    ]
    cjk = [font for font in fonts if "/FontDescriptor" in font]  # ReportLab's subset names
    # the Chinese font is embedded (TrueType outlines in the file), not left to the reader
    assert cjk and all("/FontFile2" in font["/FontDescriptor"] for font in cjk), fonts
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "40", "-png", str(source), str(tmp_path / "p")], check=True
        )
        pages = sorted(tmp_path.glob("p*.png"))
        assert pages and pages[0].stat().st_size > 1000
    assert render_pdf(bulletin)[:5] == b"%PDF-"


def test_scope_of_composing_and_seeing(province, tree):
    with pytest.raises(PermissionDenied):
        bulletins.compose(
            Actor(province.county_a_admin),
            unit=province.county_b,
            campaign=tree.campaign,
            title="x",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 1, 2),
            indicators=KEYS,
        )
    draft = compose(province, tree)
    # a draft stays with its issuing unit; once published, the units below receive it
    assert not bulletins.bulletins_visible_to(province.county_a_admin).filter(pk=draft.pk).exists()
    bulletins.publish(Actor(province.city_admin), draft)
    assert bulletins.bulletins_visible_to(province.county_a_admin).filter(pk=draft.pk).exists()
    assert bulletins.bulletins_visible_to(province.school_a_admin).filter(pk=draft.pk).exists()


def test_bad_input_names_the_fix(province, tree):
    with pytest.raises(ValidationError) as caught:
        compose(province, tree, period_end=datetime.date(2026, 2, 1), indicators=["nope"])
    assert set(caught.value.message_dict) == {"period_end", "indicators"}


def test_pdf_charts_each_indicator_with_lights_and_targets(province, tree, tmp_path):
    """Issue 11 item 4: the bulletin's charts, drawn from the snapshot, bars coloured by the
    traffic light (西岭县 meets every target, 东湖区 misses participation)."""
    from PIL import Image

    bulletin = bulletins.publish(Actor(province.city_admin), compose(province, tree))
    reader = PdfReader(bulletin.pdf.open("rb"))
    text = "".join(page.extract_text() for page in reader.pages)
    table = bulletin.snapshot["tables"][0]["title"]
    for indicator in bulletin.snapshot["indicators"]:
        assert f"{indicator['name']}（{table}，虚线为目标）" in text

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm is not installed")
    source = tmp_path / "b.pdf"
    source.write_bytes(bulletin.pdf.open("rb").read())
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(source), str(tmp_path / "p")], check=True)
    counts: dict[tuple, int] = {}
    for path in sorted(tmp_path.glob("p*.png")):
        for n, colour in Image.open(path).convert("RGB").getcolors(maxcolors=1 << 24):
            counts[colour] = counts.get(colour, 0) + n

    def near(colour):
        return sum(n for c, n in counts.items() if all(abs(a - b) < 12 for a, b in zip(c, colour)))

    assert near((0x2F, 0x9E, 0x44)) > 50  # green bars
    assert near((0xE0, 0x31, 0x31)) > 50  # red bars
