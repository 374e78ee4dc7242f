"""Chinese text → the space-separated tokens both full-text backends index.

jieba splits text into words; the catalog's own terms (node names, edition names) and the
library's lesson titles are loaded as a user dictionary first, so "圆周率" or "人教版" stay
one word. Every text is folded first (full width → half width, traditional → simplified,
lower case), the same fold the query gets. Besides words, a lesson carries:

- ``pinyin``: full pinyin and initials of each word and of the whole title
  ("yuanzhoulv", "yzl"), so a query typed without an input method still finds it;
- ``grams``: the title's single characters and character pairs, so one- and two-character
  queries (which jieba rarely yields as index words) match through the same index.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from youke.core.chinese import fold

_HAN = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[\u3400-\u9fff]+|[a-z0-9]+")
# Words too common to narrow anything; they stay searchable through ``grams``.
STOPWORDS = frozenset(
    ["的", "了", "和", "与", "及", "之", "在", "是", "a", "an", "the", "of", "第", "课", "课时"]
)

_lock = threading.Lock()
_loaded_terms: set[str] = set()


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba


# Longer names ("欧姆定律在串、并联电路中的应用") would hide the words inside them: a
# dictionary word is never split again. Only short terms go into the dictionary.
MAX_TERM = 6


def load_terms(terms) -> int:
    """Add words to jieba's dictionary (once each per process); returns how many were new."""
    jieba = _jieba()
    added = 0
    with _lock:
        for raw in terms:
            term = fold(raw or "").strip()
            if len(term) < 2 or len(term) > MAX_TERM or term in _loaded_terms:
                continue
            if not re.fullmatch(r"[\u3400-\u9fff]+", term):
                continue
            _loaded_terms.add(term)
            # A high frequency makes jieba prefer the whole term over its pieces.
            jieba.add_word(term, freq=20000)
            added += 1
    return added


def ensure_dictionary() -> None:
    """Load the catalog's names and the published titles, once per process."""
    if _loaded_terms:
        return
    from youke.catalog.models import CourseNode
    from youke.library.models import LibraryLesson

    names = CourseNode.objects.values_list("name", flat=True)
    titles = LibraryLesson.objects.values_list("title", flat=True).distinct()[:50_000]
    # Catalog names often carry a prefix or list several texts ("短文两篇（陋室铭 爱莲说）"):
    # load each part too.
    terms = []
    for name in list(names) + list(titles):
        terms.append(name)
        terms.extend(re.split(r"[\s·、，,：:（）()《》“”—]+", name))
    load_terms(terms)
    if not _loaded_terms:
        _loaded_terms.add("")  # nothing to load: do not ask the database again


def _dictionary_words(token: str) -> list[str]:
    """Every dictionary word inside a longer token (jieba's search mode stops at three
    characters, so "欧姆定律" inside "闭合电路的欧姆定律" would be lost)."""
    freq = _jieba().dt.FREQ
    out = []
    for size in range(2, len(token)):
        for start in range(len(token) - size + 1):
            part = token[start : start + size]
            if freq.get(part):
                out.append(part)
    return out


def words(text: str) -> list[str]:
    """Search-engine segmentation: each word plus the dictionary words inside it."""
    folded = fold(text or "")
    jieba = _jieba()
    out: list[str] = []
    for token in jieba.cut(folded):
        for part in _WORD.findall(token):
            if len(part) > 2 and _HAN.match(part):
                out.extend(_dictionary_words(part))
            out.append(part)
    return out


def precise_words(text: str) -> list[str]:
    """jieba's precise cut: the query's main words, each of which must match."""
    out: list[str] = []
    for token in _jieba().cut(fold(text or "")):
        out.extend(_WORD.findall(token))
    return list(dict.fromkeys(out))


def query_words(text: str) -> list[str]:
    """The words of a query that narrow the result (no stop words, no repeats)."""
    seen: list[str] = []
    for word in words(text):
        if word not in STOPWORDS and word not in seen:
            seen.append(word)
    return seen


def grams(text: str) -> list[str]:
    """Each Han character and each pair of neighbouring Han characters."""
    out: list[str] = []
    for run in re.findall(r"[\u3400-\u9fff]+", fold(text or "")):
        out.extend(run)
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def _pinyin(word: str) -> tuple[str, str]:
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(word, style=Style.NORMAL, errors="ignore", v_to_u=False)
    return "".join(syllables), "".join(s[0] for s in syllables if s)


def pinyin_tokens(title: str) -> list[str]:
    """Full pinyin and initials of every Han word of the title and of the whole title."""
    out: list[str] = []
    folded = fold(title or "")
    han_words = [w for w in words(folded) if _HAN.search(w)]
    whole = "".join(re.findall(r"[\u3400-\u9fff]+", folded))
    for word in [*han_words, whole]:
        if not word:
            continue
        full, initials = _pinyin(word)
        if full:
            out.append(full)
        if len(initials) > 1:
            out.append(initials)
    return list(dict.fromkeys(out))


def is_pinyin_query(text: str) -> bool:
    """Latin letters only (spaces allowed): typed without a Chinese input method."""
    folded = fold(text or "").strip()
    return bool(folded) and re.fullmatch(r"[a-z' ]+", folded) is not None


def pinyin_query(text: str) -> str:
    return re.sub(r"[^a-z]", "", fold(text or ""))


def short_query(text: str) -> bool:
    """One or two Han characters: matched through ``grams``."""
    folded = re.sub(r"\s+", "", fold(text or ""))
    return 0 < len(folded) <= 2 and all(_HAN.match(c) for c in folded)


def index_columns(*, title: str, body_parts: list[str]) -> dict[str, str]:
    """The four ``search_*`` columns of a lesson."""
    return {
        "search_title": " ".join(words(title)),
        "search_body": " ".join(words(" ".join(p for p in body_parts if p))),
        "search_pinyin": " ".join(pinyin_tokens(title)),
        "search_grams": " ".join(grams(title)),
    }
