"""Tests for the plain-text demo curriculum outline and its parser."""

from __future__ import annotations

from collections import Counter

import pytest

from youke.catalog.demo.outline import (
    DEMO_CATALOG_DIR,
    LEVELS,
    OutlineNode,
    iter_paths,
    load_demo_outline,
    merge_outlines,
    parse_outline,
)

SAMPLE = """\
# comment lines and blank lines are ignored
小学
  数学
    人教版
      三年级上册

        第一单元 时、分、秒
          秒的认识
          # an indented comment
          时间的计算
        第二单元 测量
          千米的认识
  语文
    统编版
初中
"""


def leaf(level: str, name: str) -> OutlineNode:
    return OutlineNode(level=level, name=name, children=())


def test_parse_outline_builds_the_tree() -> None:
    unit_1 = OutlineNode(
        "unit", "第一单元 时、分、秒", (leaf("lesson", "秒的认识"), leaf("lesson", "时间的计算"))
    )
    unit_2 = OutlineNode("unit", "第二单元 测量", (leaf("lesson", "千米的认识"),))
    volume = OutlineNode("volume", "三年级上册", (unit_1, unit_2))
    math = OutlineNode("subject", "数学", (OutlineNode("edition", "人教版", (volume,)),))
    chinese = OutlineNode("subject", "语文", (leaf("edition", "统编版"),))
    assert parse_outline(SAMPLE) == [
        OutlineNode("stage", "小学", (math, chinese)),
        leaf("stage", "初中"),
    ]


def test_parse_outline_strips_names_and_accepts_crlf() -> None:
    assert parse_outline("小学  \r\n  数学\r\n") == [
        OutlineNode("stage", "小学", (leaf("subject", "数学"),))
    ]


def test_parse_outline_of_empty_text() -> None:
    assert parse_outline("\n# nothing here\n\n") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("小学\n\t数学\n", "line 2: tab character"),
        ("小学\n  数学\n   人教版\n", "line 3: indentation of 3 spaces"),
        (
            "小学\n    数学\n",
            r"line 2: indentation jumps from level 1 to 3; expected level 2 \(subject\)",
        ),
        ("  小学\n", "line 1: indentation jumps from level 0 to 2; expected a stage"),
        (
            "a\n  b\n    c\n      d\n        e\n          f\n            g\n",
            "line 7: outline is deeper than 6 levels",
        ),
        ("小学\n  \u3000\n", "line 2: empty name"),
    ],
    ids=["tab", "odd-indent", "jump", "indented-first-line", "too-deep", "empty-name"],
)
def test_parse_outline_rejects_malformed_text(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_outline(text)


def test_merge_outlines_merges_same_named_nodes_in_first_seen_order() -> None:
    first = parse_outline("小学\n  语文\n    统编版\n初中\n  语文\n")
    second = parse_outline("高中\n  物理\n小学\n  数学\n  语文\n    人教版\n")
    merged = merge_outlines([first, second])
    assert [
        (path[-1].level, " / ".join(node.name for node in path)) for path in iter_paths(merged)
    ] == [
        ("stage", "小学"),
        ("subject", "小学 / 语文"),
        ("edition", "小学 / 语文 / 统编版"),
        ("edition", "小学 / 语文 / 人教版"),
        ("subject", "小学 / 数学"),
        ("stage", "初中"),
        ("subject", "初中 / 语文"),
        ("stage", "高中"),
        ("subject", "高中 / 物理"),
    ]


def test_load_demo_outline_merges_files_and_reports_the_file(tmp_path) -> None:
    (tmp_path / "02_b.txt").write_text("小学\n  数学\n", encoding="utf-8")
    (tmp_path / "01_a.txt").write_text("小学\n  语文\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an outline\n\tat all", encoding="utf-8")
    assert load_demo_outline(tmp_path) == [
        OutlineNode("stage", "小学", (leaf("subject", "语文"), leaf("subject", "数学")))
    ]

    (tmp_path / "03_bad.txt").write_text("小学\n\t数学\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"03_bad\.txt: line 2: tab character"):
        load_demo_outline(tmp_path)


# --- the shipped demo data -------------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> list[OutlineNode]:
    return load_demo_outline()


def assert_unique_siblings(nodes: tuple[OutlineNode, ...] | list[OutlineNode], where: str) -> None:
    duplicates = [name for name, count in Counter(n.name for n in nodes).items() if count > 1]
    assert not duplicates, f"duplicate names under {where}: {duplicates}"


def test_each_demo_file_parses_and_has_unique_siblings() -> None:
    # Checked per file as well, because merging would hide a duplicate inside one file.
    files = sorted(DEMO_CATALOG_DIR.glob("*.txt"))
    assert len(files) >= 12
    for path in files:
        roots = parse_outline(path.read_text(encoding="utf-8"))
        assert_unique_siblings(roots, path.name)
        for node_path in iter_paths(roots):
            assert_unique_siblings(node_path[-1].children, f"{path.name}: {node_path[-1].name}")


def test_demo_stages_subjects_and_editions(demo: list[OutlineNode]) -> None:
    assert [stage.name for stage in demo] == ["小学", "初中", "高中"]
    for stage in demo:
        assert len(stage.children) >= 4, stage.name
        for subject in stage.children:
            assert 1 <= len(subject.children) <= 2, f"{stage.name} {subject.name}"


def test_demo_shape(demo: list[OutlineNode]) -> None:
    assert_unique_siblings(demo, "root")
    for path in iter_paths(demo):
        node = path[-1]
        where = " / ".join(n.name for n in path)
        assert node.level == LEVELS[len(path) - 1], where
        assert_unique_siblings(node.children, where)
        if not node.children:
            assert node.level == "lesson", f"{where} stops before lesson level"
        if node.level == "volume":
            # A few senior-high volumes really have only two or three chapters.
            assert 2 <= len(node.children) <= 8, where
        if node.level == "unit":
            assert 2 <= len(node.children) <= 6, where
        if node.level == "lesson":
            assert node.name and len(node.name) <= 40, where


def test_demo_size(demo: list[OutlineNode]) -> None:
    levels = Counter(path[-1].level for path in iter_paths(demo))
    assert levels["lesson"] >= 2500
    assert levels["stage"] == 3
