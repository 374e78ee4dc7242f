"""The JavaScript message catalog (djangojs): every user-facing JS string goes through it, it
is served under the strict CSP from 'self', cached, and carries the Chinese msgids."""

from __future__ import annotations

import gettext
import json
import re
from email.utils import format_datetime
from pathlib import Path

import pytest
from django.urls import reverse

import youke
from youke.core.i18n import catalog_stamp

SOURCE = Path(youke.__file__).resolve().parent
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
GETTEXT_CALL = re.compile(r"\b(?:gettext|ngettext|pgettext|npgettext)\(\s*$")


def app_scripts() -> list[Path]:
    return sorted(
        p for p in SOURCE.glob("*/static/**/*.js") if "vendor" not in p.relative_to(SOURCE).parts
    )


def string_literals(code: str):
    """(literal, code before it) for each '…', "…" and `…` literal outside comments."""
    i, n = 0, len(code)
    while i < n:
        c = code[i]
        if code.startswith("//", i):
            i = code.find("\n", i)
            i = n if i < 0 else i
        elif code.startswith("/*", i):
            i = code.find("*/", i + 2)
            i = n if i < 0 else i + 2
        elif c in "'\"`":
            j = i + 1
            while j < n and code[j] != c:
                j += 2 if code[j] == "\\" else 1
            yield code[i + 1 : j], code[:i]
            i = j + 1
        else:
            i += 1


def untranslated(code: str) -> list[str]:
    """CJK literals not passed straight to gettext() (for ngettext, both forms)."""
    found, previous_ok = [], False
    for literal, before in string_literals(code):
        if not CJK.search(literal):
            previous_ok = False
            continue
        direct = GETTEXT_CALL.search(before) is not None
        # ngettext("一", "多", n): the second form follows the first after a comma.
        plural = previous_ok and re.search(r"ngettext\(\s*(['\"`]).*\1\s*,\s*$", before[-400:])
        previous_ok = direct
        if not (direct or plural):
            found.append(literal)
    return found


def test_the_scanner_finds_what_it_should():
    code = (
        '// 注释里的中文不算\n/* 多行\n注释 */ var a = gettext("已上传");\n'
        'var b = ngettext("%(n)s 个文件", "%(n)s 个文件", n);\n'
        'var c = "未翻译"; var d = \'也未翻译\'; var e = gettext( "可以" ) + "ok";\n'
    )
    assert untranslated(code) == ["未翻译", "也未翻译"]


def test_no_app_script_has_a_chinese_literal_outside_gettext():
    scripts = app_scripts()
    assert SOURCE / "media/static/media/upload.js" in scripts
    assert not any("vendor" in p.parts for p in scripts)
    problems = {
        str(p.relative_to(SOURCE)): bad
        for p in scripts
        if (bad := untranslated(p.read_text(encoding="utf-8")))
    }
    assert problems == {}


def catalog_url(language: str) -> str:
    return reverse("javascript_catalog", args=[language])


@pytest.mark.django_db
def test_english_catalog_carries_the_chinese_msgids(client):
    compiled = SOURCE / "locale/en/LC_MESSAGES/djangojs.mo"
    with compiled.open("rb") as handle:
        messages = {k: v for k, v in gettext.GNUTranslations(handle)._catalog.items() if k}
    assert len(messages) >= 25
    assert messages["正在读取视频信息…"] == "Reading the video's details…"
    response = client.get(catalog_url("en"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    for msgid, english in messages.items():
        assert f"{json.dumps(msgid)}: {json.dumps(english)}" in body, msgid
    assert "globals.gettext = django.gettext" in body


@pytest.mark.django_db
def test_chinese_catalog_is_served_and_unknown_languages_are_404(client):
    response = client.get(catalog_url("zh-hans"))
    assert response.status_code == 200
    body = response.content.decode()
    # No translation needed: gettext() answers the Chinese msgid itself.
    assert "globals.gettext = django.gettext" in body
    assert json.dumps("正在读取视频信息…") not in body
    assert client.get(catalog_url("xx")).status_code == 404


@pytest.mark.django_db
def test_catalog_is_cached_and_revalidates(client):
    url = catalog_url("en")
    first = client.get(url)
    stamp = format_datetime(catalog_stamp(), usegmt=True)
    assert first["Last-Modified"] == stamp
    assert "max-age=86400" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_MODIFIED_SINCE=stamp)
    assert again.status_code == 304


@pytest.mark.django_db
def test_base_template_loads_the_catalog_first_from_self(client, province):
    client.force_login(province.teacher_a)
    response = client.get(reverse("portal:dashboard"))
    html = response.content.decode()
    tag = f'<script src="{catalog_url("zh-hans")}" defer></script>'
    assert html.count(tag) == 1
    assert html.index(tag) < html.index("htmx.min.js")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    client.cookies["django_language"] = "en"
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert f'<script src="{catalog_url("en")}" defer></script>' in html


@pytest.mark.django_db
def test_a_person_who_must_change_the_password_still_gets_the_catalog(client, province):
    teacher = province.teacher_a
    teacher.must_change_password = True
    teacher.save(update_fields=["must_change_password"])
    client.force_login(teacher)
    assert client.get(catalog_url("zh-hans")).status_code == 200
