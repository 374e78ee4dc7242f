"""Generated lessons and their transformed copies (PyAV, 160×120, 5 fps), made once per
session; packages with real stored files in the province fixture."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.campaigns.conftest import catalog  # noqa: F401  (fixture)
from tests.selection.conftest import lessons, submitted  # noqa: F401  (fixture)
from tests.submissions.conftest import campaign, requirement, stored_upload  # noqa: F401
from youke.originality import synthetic as syn
from youke.submissions.enums import CheckState
from youke.submissions.models import Material

SECONDS = 60.0


@dataclass
class Videos:
    folder: Path

    def __getitem__(self, name: str) -> Path:
        return self.folder / f"{name}.mp4"


@pytest.fixture(scope="session")
def videos(tmp_path_factory) -> Videos:
    folder = tmp_path_factory.mktemp("originality")
    v = Videos(folder)
    syn.write_lesson(str(v["a"]), syn.Lesson(seed=1, seconds=SECONDS))
    syn.write_lesson(str(v["b"]), syn.Lesson(seed=2, seconds=SECONDS))
    a = str(v["a"])
    syn.transform_file(a, str(v["reencoded"]), codec="mpeg4", bit_rate=150_000)
    syn.transform_file(a, str(v["upscaled"]), size=(240, 180))
    syn.transform_file(a, str(v["downscaled"]), size=(128, 96))
    syn.transform_file(a, str(v["cropped"]), syn.crop(0.06))
    syn.transform_file(a, str(v["letterboxed"]), syn.letterbox(0.1))
    syn.transform_file(a, str(v["trimmed"]), syn.trim(12))
    syn.transform_file(a, str(v["cut"]), syn.cut(20, 35))
    syn.transform_file(a, str(v["faster"]), syn.speed(1.1))
    syn.transform_file(a, str(v["slower"]), syn.speed(0.9))
    syn.concat_files(str(v["concat"]), [(a, 0, 30), (str(v["b"]), 30, 60)])
    # Distinct lessons that legitimately look alike.
    for name, lesson in {
        "title1": syn.Lesson(seed=11, seconds=SECONDS, title_seconds=5),
        "title2": syn.Lesson(seed=12, seconds=SECONDS, title_seconds=5),
        "room1": syn.Lesson(seed=21, seconds=SECONDS, classroom_seed=5),
        "room2": syn.Lesson(seed=22, seconds=SECONDS, classroom_seed=5),
        "static1": syn.Lesson(seed=31, seconds=SECONDS, static_from=10),
        "static2": syn.Lesson(seed=32, seconds=SECONDS, static_from=10),
    }.items():
        syn.write_lesson(str(v[name]), lesson)
    return v


def attach(submission, code: str, filename: str, content) -> Material:
    upload = stored_upload(submission.teacher, filename, content)
    return Material.objects.create(
        submission=submission,
        requirement=requirement(submission.campaign, "subject", code),
        upload=upload,
        check_state=CheckState.PASSED,
    )


AUDIO_SECONDS = 40


@pytest.fixture(scope="session")
def sounds(tmp_path_factory) -> Videos:
    """Lessons with a speech-like sound track: an original, a copy keeping only its sound
    (trimmed 8 s, 22.05 kHz, 32 kbit/s, a noise picture), a distinct lesson, silent tracks,
    two recordings of the same quiet room, and a video without any audio stream."""
    import numpy as np

    v = Videos(tmp_path_factory.mktemp("originality_audio"))
    seconds = AUDIO_SECONDS

    def pictures(seed):
        lesson = syn.Lesson(seed=seed, seconds=seconds)
        return ((i / lesson.fps, lesson.frame_at(i / lesson.fps)) for i in range(seconds * 5))

    syn.write_media(str(v["voice"]), pictures(41), syn.speech(1, seconds))
    kept = syn.read_sound(str(v["voice"]), 22050)[8 * 22050 :]
    syn.write_media(
        str(v["overdub"]), syn.noise_frames(3, seconds - 8), kept, rate=22050, audio_bit_rate=32000
    )
    syn.write_media(str(v["voice2"]), pictures(42), syn.speech(2, seconds))
    silence = np.zeros(seconds * 16000, dtype=np.float32)
    syn.write_media(str(v["silent1"]), pictures(43), silence)
    syn.write_media(str(v["silent2"]), pictures(44), silence)
    rng = np.random.default_rng(9)
    for name in ("room1", "room2"):
        hum = 0.01 * np.sin(2 * np.pi * 440 * np.arange(seconds * 16000) / 16000)
        room = rng.normal(0, 0.01, seconds * 16000) + hum
        syn.write_media(str(v[name]), syn.noise_frames(len(name), seconds), room.astype("f4"))
    syn.write_frames(str(v["mute"]), pictures(45))
    return v
