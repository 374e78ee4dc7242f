"""No internal rule codes (R5, R7 …) in anything a person reads: templates, scripts, data, messages."""

import ast
import re
from pathlib import Path

import youke

ROOT = Path(youke.__file__).parent
CODE = re.compile(r"(?<![A-Za-z0-9_])R(1[0-8]|[1-9])[ab]?(?![A-Za-z0-9_])")
TRANSLATORS = {"_", "gettext", "gettext_lazy", "_lazy", "pgettext", "pgettext_lazy", "ngettext"}


def _readable_files():
    yield from ROOT.glob("*/templates/**/*.html")
    yield from (p for p in ROOT.glob("*/static/**/*.js") if "vendor" not in p.parts)
    yield from ROOT.glob("*/templates_data/*.json")


def test_no_rule_codes_in_templates_scripts_and_data():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _readable_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if CODE.search(line)
    ]
    assert found == []


def _translated_strings(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in TRANSLATORS:
                for arg in node.args:
                    for const in ast.walk(arg):
                        if isinstance(const, ast.Constant) and isinstance(const.value, str):
                            yield node.lineno, const.value


def test_no_rule_codes_in_translated_messages():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts
        for line, text in _translated_strings(ast.parse(path.read_text(encoding="utf-8")))
        if CODE.search(text)
    ]
    assert found == []
