"""Load uploads for a person: missing and not-yours both raise Http404 (no leak)."""

from django.http import Http404

from youke.media import rules
from youke.media.models import Upload


def access_upload(viewer, upload_id) -> Upload:
    upload = rules.uploads_visible_to(viewer).filter(pk=upload_id).first()
    if upload is None:
        raise Http404("upload")
    return upload
