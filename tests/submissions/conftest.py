"""A published 精品课 campaign run by the province, open now, and helpers for files."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from tests.campaigns.conftest import catalog  # noqa: F401  (fixture)
from youke.campaigns.domain.campaigns import set_campaign_state
from youke.campaigns.domain.templates import create_campaign_from_template
from youke.campaigns.models import Campaign, Level, MaterialRequirement
from youke.core.actor import Actor
from youke.media.domain.sniff import sniff_file
from youke.media.models import Upload

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def campaign(province, catalog) -> Campaign:  # noqa: F811
    campaign = create_campaign_from_template(
        Actor(province.province_admin),
        province.province,
        "quality_course",
        name="精品课测试",
        year=2026,
    )
    now = timezone.now()
    Campaign.objects.filter(pk=campaign.pk).update(
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=300)
    )
    for index, level in enumerate(Level.objects.filter(campaign=campaign).order_by("order")):
        Level.objects.filter(pk=level.pk).update(
            deadline=now + datetime.timedelta(days=10 + 10 * index)
        )
    campaign.refresh_from_db()
    set_campaign_state(campaign, "published", actor=Actor(province.province_admin))
    campaign.refresh_from_db()
    return campaign


def requirement(campaign, category_code: str, code: str) -> MaterialRequirement:
    return MaterialRequirement.objects.get(
        category__campaign=campaign, category__code=category_code, code=code
    )


def stored_upload(owner, filename: str, content: bytes | Path, **metadata) -> Upload:
    """A finished upload as the tus endpoint leaves it (file in storage, type sniffed)."""
    data = content.read_bytes() if isinstance(content, Path) else content
    name = default_storage.save(f"uploads/test/{filename}", ContentFile(data))
    upload = Upload.objects.create(
        owner=owner,
        purpose="material",
        filename=filename,
        length=len(data),
        offset=len(data),
        content_type=sniff_file(default_storage.path(name)),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_name=name,
        state="complete",
        metadata=metadata,
        completed_at=timezone.now(),
    )
    return upload
