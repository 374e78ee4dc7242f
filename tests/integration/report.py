"""Print the cluster database's final state as one JSON line (run by ``Cluster.python``)."""

from __future__ import annotations

import json

import django

django.setup()

from youke.media.models import MediaAsset, Upload  # noqa: E402
from youke.selection.models import Award, LevelEntry, ReviewRound, Score  # noqa: E402
from youke.submissions.models import Material, Submission  # noqa: E402


def report() -> dict:
    return {
        "submissions": {s.title: s.state for s in Submission.objects.all()},
        "entries": sorted(
            (e.submission.title, e.level.key, e.state)
            for e in LevelEntry.objects.select_related("submission", "level")
        ),
        "rounds": [(r.name, r.state) for r in ReviewRound.objects.all()],
        "scores": Score.objects.count(),
        "awards": sorted(
            (a.entry.submission.title, a.grade.name, a.revoked_at is None)
            for a in Award.objects.select_related("entry__submission", "grade")
        ),
        "uploads": {
            u.filename: {"state": u.state, "sha256": u.sha256, "storage_name": u.storage_name}
            for u in Upload.objects.all()
        },
        "materials": {
            m.upload.filename: m.check_state for m in Material.objects.select_related("upload")
        },
        "assets": {
            a.upload.filename: {
                "state": a.state,
                "attempts": a.attempts,
                "poster": a.poster.name,
                "rendition": a.rendition.name,
                "hls_master": a.hls_master,
                "hls_heights": a.hls_heights,
                "thumbnails": list(a.thumbnails.values_list("image", flat=True)),
            }
            for a in MediaAsset.objects.select_related("upload")
        },
    }


if __name__ == "__main__":
    print(json.dumps(report(), ensure_ascii=False, default=str))
