"""Who may watch and read a package's materials, and what they are shown.

Three ways in, one answer per person and package (``viewing_mode``):

- the package's teacher, a co-author, the school's admins (``submissions_visible_to``);
- admins whose selection inbox shows an entry of the package (``entries_visible_to``);
- experts assigned to an entry of the package in a started round (``assignments_visible_to``).
  If any of those rounds is blind, the expert is served only the blind copies
  (``MediaAsset.blind_rendition`` for videos, ``MediaAsset.sanitised`` for documents) and
  nothing derived from the original: no HLS, no poster, no thumbnails.

Everyone else gets 404 from ``access_material`` (missing and not-yours alike).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.db.models import Exists
from django.http import Http404
from django.utils.translation import gettext as _

from youke.campaigns.enums import MaterialKind
from youke.media.enums import UploadState
from youke.media.models import MediaAsset
from youke.selection import rules
from youke.selection.domain.review import assignments_visible_to
from youke.submissions import rules as submission_rules
from youke.submissions.domain import blind_copies
from youke.submissions.domain.checks import OFFICE_TYPES
from youke.submissions.domain.packages import material_asset, package_links, package_materials
from youke.submissions.enums import CheckState
from youke.submissions.models import Material, MaterialLink, Submission

FULL = "full"
BLIND = "blind"
PDF = "application/pdf"


def viewing_mode(person, submission_id: int) -> str | None:
    """FULL, BLIND or None (may not see the package's files at all); one query.

    FULL for whoever sees the package (author, co-author, its school) or one of its level
    entries (admins); for an expert, BLIND when any of their rounds on it is blind.
    """
    if person is None or not person.is_authenticated or not person.is_active:
        return None
    reviewed = assignments_visible_to(person).filter(entry__submission_id=submission_id)
    checks = {
        "package": submission_rules.submissions_visible_to(person).filter(pk=submission_id),
        "entry": rules.entries_visible_to(person).filter(submission_id=submission_id),
        "reviewed": reviewed,
        "blind": reviewed.filter(round__blind=True),
    }
    # A queryset known to be empty (e.g. no admin role: no entries) is not sent at all.
    found = dict.fromkeys(checks, False)
    sent = {name: Exists(qs) for name, qs in checks.items() if not qs.query.is_empty()}
    if sent:
        found.update(Submission.objects.filter(pk=submission_id).values(**sent).first() or {})
    if found["package"] or found["entry"]:
        return FULL
    if not found["reviewed"]:
        return None
    return BLIND if found["blind"] else FULL


@dataclass
class MaterialAccess:
    material: Material
    asset: MediaAsset | None
    mode: str

    @property
    def blind(self) -> bool:
        return self.mode == BLIND


def access_material(person, material_id: int) -> MaterialAccess:
    material = (
        Material.objects.select_related("upload", "requirement")
        .filter(pk=material_id, upload__state=UploadState.COMPLETE)
        .first()
    )
    if material is None:
        raise Http404("material")
    mode = viewing_mode(person, material.submission_id)
    if mode is None:
        raise Http404("material")
    asset = MediaAsset.objects.filter(upload_id=material.upload_id).first()
    return MaterialAccess(material, asset, mode)


@dataclass
class CheckLine:
    outcome: str  # "fail" or "warn"
    message: str
    fix: str


@dataclass
class MaterialItem:
    material: Material
    asset: MediaAsset | None
    label: str
    state: str
    state_label: str
    problems: list[CheckLine] = field(default_factory=list)
    error: str = ""
    # videos
    hls: bool = False
    progressive: bool = False
    poster: bool = False
    thumbnails: list[int] = field(default_factory=list)
    duration: float | None = None
    resume: float = 0.0
    # documents: "file" (the PDF itself), "preview" (LibreOffice's PDF) or "" (download only)
    inline: str = ""
    no_preview_reason: str = ""
    # blind copies not made yet: nothing may be served
    waiting: bool = False

    @property
    def no_problems(self) -> bool:
        """True only for a finished check that found nothing at all."""
        return self.state == CheckState.PASSED and not self.problems and not self.error

    @property
    def is_video(self) -> bool:
        return self.material.requirement.kind == MaterialKind.VIDEO


@dataclass
class PackageMedia:
    mode: str
    videos: list[MaterialItem]
    documents: list[MaterialItem]
    # Resource links (seed 003): shown in every mode; blind rounds warn on identity in them.
    links: list[MaterialLink] = field(default_factory=list)

    @property
    def blind(self) -> bool:
        return self.mode != FULL

    @property
    def materials(self) -> list[MaterialItem]:
        return self.videos + self.documents

    @property
    def playable(self) -> list[MaterialItem]:
        return [v for v in self.videos if (v.hls or v.progressive) and not v.waiting]


def label_of(material: Material) -> str:
    if material.requirement.per_period:
        return _("%(name)s · 第 %(n)s 课时") % {
            "name": material.requirement.name,
            "n": material.period,
        }
    return material.requirement.name


def check_lines(asset: MediaAsset | None) -> list[CheckLine]:
    if asset is None:
        return []
    return [
        CheckLine(c.get("outcome", ""), c.get("message", ""), c.get("fix", ""))
        for c in asset.checks or []
        if c.get("outcome") in ("fail", "warn")
    ]


def package_media(
    person, submission: Submission, mode: str, materials=None, links=None
) -> PackageMedia:
    """Every material of the package as the person may see it: the materials with their
    assets and playback positions (one query, or none when the page passes
    ``packages.package_materials(submission, person)``, which counts the thumbnails), and the
    resource links (one, or none when the page passes ``packages.package_links``)."""
    if links is None:
        links = package_links(submission)
    if materials is None:
        materials = package_materials(submission, person)
    materials = [m for m in materials if m.upload.state == UploadState.COMPLETE]
    assets = {m.upload_id: material_asset(m) for m in materials}
    blind = mode != FULL  # anything but full access gets the blind copies only
    videos, documents = [], []
    for material in materials:
        asset = assets.get(material.upload_id)
        item = MaterialItem(
            material=material,
            asset=asset,
            label=label_of(material),
            state=material.check_state,
            state_label=material.get_check_state_display(),
            problems=check_lines(asset),
            error=asset.error if asset else "",
        )
        if material.requirement.kind == MaterialKind.VIDEO:
            _video(item, asset, blind)
            if asset is not None:
                resume = getattr(material, "resume", None)
                item.resume = float(resume) if resume is not None else 0.0
            videos.append(item)
        else:
            _document(item, asset, blind)
            documents.append(item)
    return PackageMedia(mode, videos, documents, list(links))


def _video(item: MaterialItem, asset: MediaAsset | None, blind: bool) -> None:
    if blind:
        item.progressive = blind_copies.blind_file(item.material, asset) is not None
        item.waiting = not item.progressive
    if asset is None:
        return
    item.duration = float(asset.duration_seconds) if asset.duration_seconds else None
    if blind:
        return
    item.hls = bool(asset.hls_master)
    # Without a rendition yet, the original may still play (most uploads are H.264 MP4).
    item.progressive = True
    item.poster = bool(asset.poster)
    item.thumbnails = asset.thumbnail_indexes


def _document(item: MaterialItem, asset: MediaAsset | None, blind: bool) -> None:
    upload = item.material.upload
    if blind:
        copy = blind_copies.blind_file(item.material, asset)
        if copy is None:
            item.waiting = True
        elif PurePosixPath(copy.name).suffix.lower() == ".pdf":
            item.inline = "file"
        else:
            item.no_preview_reason = _("该文件类型没有在线预览，请下载后查看。")
        return
    if upload.content_type == PDF:
        item.inline = "file"
    elif asset is not None and asset.preview:
        item.inline = "preview"
    elif item.state in (CheckState.QUEUED, CheckState.PROCESSING):
        item.no_preview_reason = _("文件检查尚未完成，预览稍后可用；现在可以下载查看。")
    elif upload.content_type in OFFICE_TYPES:
        item.no_preview_reason = _(
            "未能生成在线预览（服务器未安装 LibreOffice 或转换失败），"
            "请下载后用 WPS 或 Office 打开。"
        )
    else:
        item.no_preview_reason = _("该文件类型（%(ext)s）没有在线预览，请下载后查看。") % {
            "ext": PurePosixPath(upload.filename).suffix.lower() or _("无扩展名")
        }
