"""`youke serve` collects static files only when their sources changed (several web processes
on one machine share the data folder; a restart must not spend a minute re-compressing)."""

from __future__ import annotations

import os
import time

from youke.core.collected_static import collect_static


def _sources(settings, tmp_path):
    source = tmp_path / "source"
    (source / "app").mkdir(parents=True)
    (source / "app" / "site.css").write_text("body { color: black; }")
    settings.STATICFILES_DIRS = [source]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "data" / "static"
    return source


def test_collects_once_then_again_only_after_a_change(settings, tmp_path):
    source = _sources(settings, tmp_path)
    collected = settings.STATIC_ROOT / "app" / "site.css"

    assert collect_static() is True
    assert collected.read_text() == "body { color: black; }"
    assert collect_static() is False  # a second process (or a restart) finds it done

    (source / "app" / "site.css").write_text("body { color: navy; }")
    later = time.time() + 60  # newer than the copy, as collectstatic wants to replace it
    os.utime(source / "app" / "site.css", (later, later))
    assert collect_static() is True
    assert collected.read_text() == "body { color: navy; }"
    (source / "app" / "new.js").write_text("'use strict';")
    assert collect_static() is True
    assert (settings.STATIC_ROOT / "app" / "new.js").exists()
    assert collect_static() is False


def test_an_interrupted_collection_runs_again(settings, tmp_path):
    _sources(settings, tmp_path)
    assert collect_static() is True
    marker = settings.STATIC_ROOT.parent / "static.collected"
    assert marker.exists()
    marker.unlink()  # what a crash between the copy and the marker leaves behind
    assert collect_static() is True
    assert not (settings.STATIC_ROOT / "static.collected").exists()  # never served
