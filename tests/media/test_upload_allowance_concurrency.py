"""The unfinished-upload allowance under real concurrency (PostgreSQL row lock on the owner)."""

import pytest
from django.db import connection

from tests.media.conftest import PURPOSE
from tests.selection.test_concurrency import run_all
from youke.core.actor import Actor
from youke.media.domain.purposes import UploadRefused
from youke.media.domain.uploads import create_upload
from youke.media.models import Upload

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_twenty_parallel_creations_open_five(province, purpose):
    actor = Actor(province.teacher_a)
    metadata = {"purpose": PURPOSE, "filename": "微课.mp4"}

    results = run_all(
        [lambda: create_upload(actor, length=1000, metadata=metadata) for _ in range(20)]
    )

    refused = [r for r in results if isinstance(r, UploadRefused)]
    assert len(refused) == 15, [r for r in results if isinstance(r, Exception)][:3]
    assert {r.status for r in refused} == {429}
    assert Upload.objects.filter(owner=province.teacher_a).count() == 5
