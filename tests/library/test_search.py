"""Chinese search on SQLite FTS5 and PostgreSQL alike (run the file with DATABASE_URL)."""

import pytest

from tests.library.conftest import NO_FILTERS, make_lesson
from youke.library.domain import search
from youke.library.domain.highlight import highlight
from youke.library.domain.queries import Filters


@pytest.fixture
def shelf(province, catalog, lessons):
    return {
        "pi": make_lesson(
            lessons[0], "圆周率的认识", description="测量圆的周长与直径，发现圆周率", views=5
        ),
        "area": make_lesson(lessons[1], "圆的面积", description="剪拼推导圆的面积公式", views=50),
        "poem": make_lesson(
            lessons[2], "静夜思", description="李白的五言绝句，体会思乡之情", views=9
        ),
        "mention": make_lesson(
            lessons[3], "长方形的周长", description="复习时提到圆周率的由来", views=500
        ),
        "trad": make_lesson(lessons[4], "分数的意义", description="认识分数单位", views=1),
    }


def titles(query, filters=NO_FILTERS, **kw):
    found = search.search(query, filters, **kw)
    from youke.library.models import LibraryLesson

    by_id = LibraryLesson.objects.in_bulk(found.ids)
    return [by_id[i].title for i in found.ids]


def test_segmented_words_find_the_lesson(shelf):
    assert titles("圆周率")[0] == "圆周率的认识"
    assert titles("面积公式") == ["圆的面积"]


def test_title_match_comes_before_a_more_viewed_description_match(shelf):
    # "长方形的周长" has 100× the views but names 圆周率 only in its description.
    assert titles("圆周率") == ["圆周率的认识", "长方形的周长"]


@pytest.mark.parametrize("query", ["yuanzhoulv", "yzl", "YuanZhouLv", "yuan zhou lv", "yuanzhou"])
def test_pinyin_full_and_initials(shelf, query):
    assert titles(query)[0] == "圆周率的认识"


@pytest.mark.parametrize(
    "query, expected", [("圆", "圆的面积"), ("周率", "圆周率的认识"), ("思", "静夜思")]
)
def test_one_and_two_character_queries(shelf, query, expected):
    found = titles(query)
    assert expected in found
    if query == "圆":
        # Both titles holding 圆 and nothing else.
        assert sorted(found) == ["圆周率的认识", "圆的面积"]


def test_traditional_characters_find_simplified_titles(shelf):
    assert titles("圓周率")[0] == "圆周率的认识"
    assert titles("靜夜思") == ["静夜思"]


def test_partial_words_fall_back_to_any_word(shelf):
    # No lesson has both 李白 and 面积; each alone is found.
    assert set(titles("李白 面积")) == {"静夜思", "圆的面积"}


def test_filters_apply_to_search(shelf, lessons):
    only = Filters(node_path=lessons[1].path)
    assert titles("圆", only) == ["圆的面积"]
    assert titles("圆", Filters(year=1999)) == []


def test_sort_by_views_replaces_relevance(shelf):
    assert titles("圆周率", sort="views") == ["长方形的周长", "圆周率的认识"]


def test_unpublished_lessons_are_not_found(shelf):
    shelf["pi"].state = "unpublished"
    shelf["pi"].save(update_fields=["state"])
    assert titles("圆周率") == ["长方形的周长"]


def test_later_title_edit_reindexes(shelf):
    from youke.library.domain import segment

    lesson = shelf["poem"]
    lesson.title = "望庐山瀑布"
    columns = segment.index_columns(title=lesson.title, body_parts=[lesson.description])
    for name, value in columns.items():
        setattr(lesson, name, value)
    lesson.save(update_fields=["title", *columns])
    assert titles("瀑布") == ["望庐山瀑布"]
    assert titles("静夜思") == []


def test_empty_and_odd_queries_find_nothing_without_error(shelf):
    assert titles("") == []
    assert titles('"*圆 OR ) NEAR(') != None  # noqa: E711 - FTS syntax in the query is quoted
    assert titles("'; drop table x; --") == []


def test_highlight_marks_matches_and_escapes():
    assert str(highlight("圆周率<b>", ["圆周率"])) == "<mark>圆周率</mark>&lt;b&gt;"
    assert str(highlight("圓周率", ["圆周率"])) == "<mark>圓周率</mark>"


def test_paging_past_the_end_is_empty(shelf):
    found = search.search("圆", NO_FILTERS, offset=40, limit=20)
    assert (found.ids, found.total) == ([], 2)


def test_counts_stop_at_the_cap_and_ranking_is_unchanged(shelf, monkeypatch, client):
    uncapped = search.search("圆", NO_FILTERS, limit=20)
    assert uncapped.total == len(uncapped.ids) >= 2 and not uncapped.more
    cap = uncapped.total - 1
    monkeypatch.setattr(search, "COUNT_CAP", cap)
    capped = search.search("圆", NO_FILTERS, limit=20)
    assert (capped.total, capped.more) == (cap, True)
    assert capped.ids == uncapped.ids  # the ranked page is not cut by the count
    assert search.search("圆", NO_FILTERS, limit=1).ids == uncapped.ids[:1]
    html = client.get("/library/", {"q": "圆"}).content.decode()
    assert f"找到超过 {cap} 个课例" in html
