"""The demo's real files: a few small videos and one PDF per document kind, stored once.

Hundreds of demo materials share them: every material gets its own ``Upload`` row, but the
rows point at these few stored files, so the demo costs seconds and a few megabytes. Each
video is probed, given a poster and (when some material may play it) a playback rendition
and an HLS ladder once, exactly as the media jobs would.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage

from youke.media.domain.ladder import build_ladder
from youke.media.domain.sniff import sniff_file
from youke.media.processing import hls
from youke.media.processing import spec as video_spec
from youke.media.processing.poster import extract_poster
from youke.media.processing.probe import ProbeResult, probe
from youke.media.processing.rendition import make_rendition
from youke.media.processing.samples import make_video
from youke.submissions.domain.checks import spec_rules

STORAGE_DIR = "demo"


@dataclass(frozen=True)
class VideoSample:
    key: str
    width: int
    height: int
    seconds: float
    bitrate: int | None = None


# Real teachers' files, in miniature: a good 1080p export, a small and a 720p one, a clip
# cut too short, an old 4:3 camera recording and a phone held upright.
VIDEO_SAMPLES = (
    VideoSample("hd_1080p", 1920, 1080, 2.0, bitrate=7_000_000),
    VideoSample("small_16x9", 320, 180, 2.0),
    VideoSample("hd_720p", 1280, 720, 2.0, bitrate=1_500_000),
    VideoSample("short_16x9", 640, 360, 0.6),
    VideoSample("old_4x3", 480, 360, 2.0),
    VideoSample("phone_9x16", 360, 640, 2.0),
)


@dataclass
class StoredFile:
    name: str  # in default storage
    length: int
    sha256: str
    content_type: str
    probe: ProbeResult | None = None
    poster: str = ""
    rendition: str = ""
    hls_master: str = ""
    hls_heights: list[int] = field(default_factory=list)
    local: Path | None = None  # the generated copy, while the library is open
    rendition_local: Path | None = None


@dataclass
class CheckOutcome:
    state: str  # passed / warned / failed, as the media job would set it
    checks: list[dict] = field(default_factory=list)


class DemoFiles:
    """Generates and stores the shared files; use as a context manager (a temp directory)."""

    def __init__(self) -> None:
        self._tmp: tempfile.TemporaryDirectory | None = None
        self.videos: dict[str, StoredFile] = {}
        self._documents: dict[str, StoredFile] = {}
        self._outcomes: dict[tuple[int, str], CheckOutcome] = {}

    def __enter__(self) -> DemoFiles:
        self._tmp = tempfile.TemporaryDirectory(prefix="youke-demo-")
        folder = Path(self._tmp.name)
        for sample in VIDEO_SAMPLES:
            path = make_video(
                folder / f"{sample.key}.mp4",
                width=sample.width,
                height=sample.height,
                seconds=sample.seconds,
                bitrate=sample.bitrate,
                faststart=True,
            )
            stored = _store(path, f"{STORAGE_DIR}/videos/{sample.key}.mp4")
            # Files the platform generated itself may be probed in-process.
            stored.probe = probe(path, isolated=False)
            poster = extract_poster(path, folder / f"{sample.key}.jpg")
            stored.poster = _store(poster, f"{STORAGE_DIR}/posters/{sample.key}.jpg").name
            stored.local = path
            self.videos[sample.key] = stored
        return self

    def __exit__(self, *exc) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()

    def document(self, kind: str) -> StoredFile:
        """One PDF per document kind (教学设计, 课件 …), shared by every material of that kind."""
        if kind not in self._documents:
            digest = hashlib.sha256(kind.encode()).hexdigest()[:12]
            path = Path(self._tmp.name) / f"{digest}.pdf"
            path.write_bytes(minimal_pdf(kind, DOCUMENT_LINES))
            self._documents[kind] = _store(path, f"{STORAGE_DIR}/documents/{digest}.pdf")
        return self._documents[kind]

    def outcome(self, requirement, key: str) -> CheckOutcome:
        """The spec check of video ``key`` against ``requirement``, as the media job runs it."""
        memo = (requirement.pk, key)
        if memo not in self._outcomes:
            video = self.videos[key]
            limit = min(requirement.max_bytes, requirement.category.campaign.max_upload_bytes)
            results = video_spec.check(video.probe, spec_rules(requirement), max_bytes=limit)
            self._outcomes[memo] = CheckOutcome(
                video_spec.overall_state(results), [r.to_dict() for r in results]
            )
        return self._outcomes[memo]

    def rendition(self, key: str) -> str:
        """The playback rendition of video ``key``, made the first time a material needs it."""
        video = self.videos[key]
        if not video.rendition:
            out = video.local.with_suffix(".web.mp4")
            make_rendition(video.local, out, max_height=720)
            video.rendition = _store(out, f"{STORAGE_DIR}/renditions/{key}.mp4").name
            video.rendition_local = out
        return video.rendition

    def ladder(self, key: str) -> tuple[str, list[int]]:
        """The HLS ladder of video ``key`` (after its rendition, whose 720p rung it reuses)."""
        video = self.videos[key]
        if not video.hls_master:
            self.rendition(key)
            heights = hls.ladder_heights(video.probe.height)
            video.hls_master, video.hls_heights = build_ladder(
                video.local,
                f"{STORAGE_DIR}/hls/{key}/",
                heights,
                rendition=video.rendition_local,
                rendition_height=min(video.probe.height, 720),
                preset="ultrafast",  # two-second clips: speed over size
            )
        return video.hls_master, video.hls_heights


def _store(path: Path, name: str) -> StoredFile:
    data = path.read_bytes()
    with open(path, "rb") as handle:
        stored = default_storage.save(name, File(handle))
    return StoredFile(
        name=stored,
        length=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content_type=sniff_file(path),
    )


DOCUMENT_LINES = (
    "（演示文件）",
    "本文件由 youke demo 生成，用于演示材料上传、检查和下载流程。",
    "真实活动中，这里是教师上传的完整材料。",
)


def minimal_pdf(title: str, lines: tuple[str, ...] = ()) -> bytes:
    """A one-page PDF with Chinese text in the standard STSong-Light font (not embedded:
    every PDF viewer supplies it), so the file stays about one kilobyte."""

    def text(value: str) -> str:
        return "<" + value.encode("utf-16-be").hex().upper() + ">"

    content = [f"BT /F1 22 Tf 72 760 Td {text(title)} Tj ET"]
    for index, line in enumerate(lines):
        content.append(f"BT /F1 12 Tf 72 {720 - 22 * index} Td {text(line)} Tj ET")
    stream = "\n".join(content).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
        b"/FontDescriptor 7 0 R /DW 1000 /W [1 95 500] >>",  # Latin (CID 1-95) half width
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
        b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 880 /StemV 93 >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
