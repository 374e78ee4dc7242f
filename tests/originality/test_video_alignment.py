"""Copies survive what people do to them and are found with the right segments; lessons
that only look alike (title template, same classroom, static slides) are not (issue 13
items 2–3). Pure fingerprints and alignment, no database."""

from __future__ import annotations

import pytest

from youke.originality.domain import alignment, frames

PARAMS = alignment.Params(min_segment_seconds=15)


@pytest.fixture(scope="module")
def prints(videos):
    cache = {}

    def get(name):
        if name not in cache:
            cache[name] = frames.fingerprint_file(str(videos[name]))
        return cache[name]

    return get


def segments(prints, this, other):
    a, b = prints(this), prints(other)
    found = alignment.align(a.hashes, b.hashes, a.step, PARAMS, a.detail >= 6, b.detail >= 6)
    return [(s.this_start, s.this_end, s.other_start, s.other_end) for s in found]


def close(found, expected, tolerance=2.5):
    assert len(found) == len(expected), found
    for got, want in zip(found, expected, strict=True):
        assert all(abs(g - w) <= tolerance for g, w in zip(got, want, strict=True)), found


def test_fingerprint_samples_one_frame_per_second(prints):
    fp = prints("a")
    assert fp.step == 1.0
    assert len(fp.hashes) == 60
    assert fp.duration == pytest.approx(60, abs=0.5)


@pytest.mark.parametrize("copy", ["reencoded", "upscaled", "downscaled", "cropped", "letterboxed"])
def test_whole_copies_align_from_start_to_end(prints, copy):
    close(segments(prints, copy, "a"), [(0, 60, 0, 60)])


def test_trimmed_opening_is_an_offset(prints):
    close(segments(prints, "trimmed", "a"), [(0, 48, 12, 60)])


def test_cut_minutes_give_two_segments(prints):
    close(segments(prints, "cut", "a"), [(0, 20, 0, 20), (20, 45, 35, 60)])


def test_concatenation_of_two_lessons_matches_each(prints):
    close(segments(prints, "concat", "a"), [(0, 30, 0, 30)])
    close(segments(prints, "concat", "b"), [(30, 60, 30, 60)])


@pytest.mark.parametrize(("copy", "length"), [("faster", 60 / 1.1), ("slower", 60 / 0.9)])
def test_speed_change_is_a_slope(prints, copy, length):
    close(segments(prints, copy, "a"), [(0, length, 0, 60)], tolerance=3)


@pytest.mark.parametrize(
    ("this", "other"),
    [("a", "b"), ("title1", "title2"), ("room1", "room2"), ("static1", "static2")],
)
def test_lessons_that_only_look_alike_are_not_matched(prints, this, other):
    assert segments(prints, this, other) == []


def test_hash_bytes_round_trip(prints):
    fp = prints("a")
    assert (frames.from_bytes(frames.to_bytes(fp.hashes)) == fp.hashes).all()
