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
