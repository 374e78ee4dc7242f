"""``core.params.int_param``: the one hand parser of ids, pages and counts in views."""

from __future__ import annotations

import pytest

from youke.core.params import MAX_INT, int_param


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("42", 42),
        (" 7 ", 7),
        (3, 3),
        ("0", 0),
        (None, None),
        ("", None),
        ("abc", None),
        ("4.5", None),
        ("²", None),  # a digit to str.isdigit(), not to int()
        ("١٢", None),  # Arabic-Indic digits
        ("1_000", None),
        ("-3", None),  # below the default minimum 0
        (str(MAX_INT), MAX_INT),
        (str(MAX_INT + 1), None),  # no integer column holds it
        ("9" * 40, None),
    ],
)
def test_int_param(raw, expected):
    assert int_param(raw) == expected


def test_int_param_default_and_bounds():
    assert int_param("x", 20) == 20
    assert int_param("0", 1, minimum=1) == 1
    assert int_param("-3", minimum=None) == -3
    assert int_param("+3") == 3
    assert int_param("11", maximum=10) is None
