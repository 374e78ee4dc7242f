"""Audio fingerprints: a copy that keeps a lesson's sound under another picture, another
sample rate and bit rate, trimmed, is aligned with the right times; a different lesson,
silence and one quiet room recorded twice are not (issue 13 item 1, the audio part).
Pure fingerprints and alignment, no database."""

from __future__ import annotations

import pytest

from youke.originality.domain import audio

PARAMS = audio.AudioParams(min_segment_seconds=15)


@pytest.fixture(scope="module")
def prints(sounds):
    cache = {}

    def get(name):
        if name not in cache:
            cache[name] = audio.fingerprint_file(str(sounds[name]))
        return cache[name]

    return get


def segments(prints, this, other):
    a, b = prints(this), prints(other)
    found = audio.align(a.hashes, b.hashes, a.valid(), b.valid(), PARAMS)
    return [(s.this_start, s.this_end, s.other_start, s.other_end) for s in found]


def test_fingerprint_has_a_sub_fingerprint_every_32_ms(prints):
    fp = prints("voice")
    assert fp.step == pytest.approx(0.032)
    assert fp.duration == pytest.approx(40, abs=0.2)
    assert len(fp.hashes) == pytest.approx(40 / 0.032, abs=20)
    assert fp.weak.shape == (len(fp.hashes), audio.WEAK)
    assert fp.valid().mean() > 0.95


def test_copy_keeping_the_sound_is_aligned_with_its_trim(prints):
    ((this_start, this_end, other_start, other_end),) = segments(prints, "overdub", "voice")
    assert this_start == pytest.approx(0, abs=1)
    assert this_end == pytest.approx(32, abs=1)
    assert other_start == pytest.approx(8, abs=1)
    assert other_end == pytest.approx(40, abs=1)
    # And from the original's side: its seconds 8–40 are in the copy.
    ((this_start, _end, other_start, _other_end),) = segments(prints, "voice", "overdub")
    assert (this_start, other_start) == (pytest.approx(8, abs=1), pytest.approx(0, abs=1))


def test_copy_shares_index_keys_and_a_distinct_lesson_does_not(prints):
    def keys(name):
        fp = prints(name)
        return set(audio.keys(fp.hashes, fp.valid()).tolist())

    assert len(keys("overdub") & keys("voice")) >= 10
    assert len(keys("voice2") & keys("voice")) <= 1
    # A query also flips each frame's weak bits: more of the original's keys are hit.
    copy = prints("overdub")
    wanted = set(audio.query_keys(copy.hashes, copy.valid(), copy.weak).tolist())
    assert len(wanted & keys("voice")) > len(keys("overdub") & keys("voice"))


@pytest.mark.parametrize(("this", "other"), [("voice2", "voice"), ("room1", "room2")])
def test_different_recordings_are_not_aligned(prints, this, other):
    assert segments(prints, this, other) == []


@pytest.mark.parametrize("name", ["silent1", "mute"])
def test_silent_or_mute_video_has_no_audio_fingerprint(prints, name):
    assert prints(name) is None


def test_bytes_round_trip(prints):
    fp = prints("voice")
    assert (audio.from_bytes(audio.to_bytes(fp.hashes)) == fp.hashes).all()
