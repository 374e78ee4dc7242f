"""Demo originality: a re-encoded copy of another teacher's lesson and a teaching design
lifted with light edits, both flagged with their evidence, and two lessons that look alike
(same opening-title template, same classroom) but are original, not flagged.

Called from ``youke demo`` after the selection demo. The packages are submitted packages
at the demo school (school_admin's inbox) and elsewhere in the province; the videos are
generated (PyAV) and stored as the tus endpoint stores uploads.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from youke.campaigns.enums import MaterialKind
from youke.media.domain.sniff import sniff_file
from youke.media.enums import AssetState
from youke.media.models import MediaAsset, Upload
from youke.orgs.models import Person
from youke.originality import synthetic as syn
from youke.originality.domain import results
from youke.originality.enums import Verdict
from youke.originality.models import OriginalityResult
from youke.selection.models import LevelEntry
from youke.submissions.domain import blind_copies
from youke.submissions.enums import CheckState, SubmissionState
from youke.submissions.models import Material, Submission

SCHOOL_ADMIN = "school_admin"
TEXTBOOK = (
    "把圆平均分成若干份，拼成一个近似的长方形。长方形的长相当于圆周长的一半，"
    "宽相当于圆的半径。因为长方形的面积等于长乘宽，所以圆的面积等于πr乘r，即S等于πr²。"
)
DESIGN = (
    "一、教学目标：经历圆面积公式的推导过程，体会“化曲为直”的转化思想；能正确运用公式计算圆的面积，"
    "解决草坪喷灌、圆桌桌布等生活问题。二、学情分析：六年级学生已掌握平行四边形、三角形和梯形面积公式的"
    "推导方法，具备用割补法转化图形的经验，但对曲线图形向直线图形的转化缺少体会。三、教学过程：（一）情境导入，"
    "出示学校新建的圆形花坛，请学生估一估需要铺多少草皮；（二）动手操作，小组合作把圆片分成八份、十六份，"
    "尝试拼成学过的图形，比较拼成的图形与原来的圆有什么联系；（三）推导公式，"
    + TEXTBOOK
    + "（四）巩固练习，完成教材练习十五第1至3题，并说说每一步的依据；（五）课堂小结，"
    "回顾转化的过程，说一说还有哪些图形可以用这种方法研究。四、板书设计：圆的面积——转化——长方形。"
)
LIFTED = (
    DESIGN.replace("，", ", ")
    .replace("学生", "學生")
    .replace("六年级", "六年級")
    .replace("圆形花坛", "圆形喷泉池")
    .replace("草皮", "瓷砖")
    + "五、课后作业：测量家中一个圆形物品的半径，计算它的面积。"
)
OWN_DESIGN = (
    "一、教学目标：通过数方格、剪拼等活动探索圆面积的计算方法，发展空间观念和推理能力。二、教学重难点："
    "重点是理解公式的推导，难点是体会极限思想。三、教学过程：先让学生在方格纸上估算半径为五厘米的圆的面积，"
    "交流不同的数法；再借助课件演示等分的份数越多，拼成的图形越接近长方形；"
    + TEXTBOOK
    + "最后让学生用自己的话解释公式中每个字母的含义，并设计一道与校园生活有关的题目互相解答。"
)


def _store(owner: Person, filename: str, data: bytes) -> Upload:
    name = default_storage.save(f"uploads/demo/originality/{filename}", ContentFile(data))
    return Upload.objects.create(
        owner=owner,
        purpose="material",
        filename=filename,
        length=len(data),
        offset=len(data),
        content_type=sniff_file(default_storage.path(name))
        if hasattr(default_storage, "path")
        else "",
        sha256=hashlib.sha256(data).hexdigest(),
        storage_name=name,
        state="complete",
        completed_at=timezone.now(),
    )


def _put(submission: Submission, kind: str, filename: str, data: bytes, seconds=None) -> Material:
    requirement = submission.category.materials.filter(kind=kind).order_by("order", "id").first()
    upload = _store(submission.teacher, filename, data)
    if kind == MaterialKind.VIDEO:
        # The generated lesson is an H.264 MP4 the player can play as it is.
        MediaAsset.objects.create(
            upload=upload,
            state=AssetState.PASSED,
            container="mp4",
            video_codec="h264",
            width=320,
            height=180,
            duration_seconds=seconds,
        )
    replaced = (
        Material.objects.filter(submission=submission, requirement=requirement, period=1)
        .values_list("upload_id", flat=True)
        .first()
    )
    material, _created = Material.objects.update_or_create(
        submission=submission,
        requirement=requirement,
        period=1,
        defaults={"upload": upload, "check_state": CheckState.PASSED},
    )
    if replaced and not Material.objects.filter(upload_id=replaced).exists():
        # One upload per material, as in the rest of the demo (the shared file stays).
        Upload.objects.filter(pk=replaced).delete()
    return material


def _packages() -> list[Submission]:
    """Six submitted packages of one campaign: the demo school's first, then others."""
    admin = Person.objects.filter(username=SCHOOL_ADMIN).first()
    entries = LevelEntry.objects.filter(
        submission__state=SubmissionState.SUBMITTED, level__order=1
    ).select_related("submission__category", "submission__teacher", "submission__campaign")
    own = list(entries.filter(unit=admin.unit).order_by("id")[:3]) if admin else []
    if not own:
        return []
    campaign_id = own[0].submission.campaign_id
    own = [e for e in own if e.submission.campaign_id == campaign_id]
    teachers = {e.submission.teacher_id for e in own}
    others = list(
        entries.filter(submission__campaign_id=campaign_id)
        .exclude(unit=own[0].unit)
        .exclude(submission__teacher_id__in=teachers)
        .order_by("id")[:6]
    )
    picked = [e.submission for e in own + others]
    return [s for s in picked if s.category.materials.filter(kind=MaterialKind.VIDEO).exists()]


def build_originality() -> dict[str, int]:
    """{} when already built or when the demo has no packages to use."""
    if OriginalityResult.objects.exists():
        return {}
    packages = _packages()
    if len(packages) < 6:
        return {}
    copy, alike_a, lifted, original, alike_b, design_source = packages[:6]
    seconds = 45.0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder)
        lesson = syn.Lesson(seed=501, seconds=seconds, width=320, height=180, title_seconds=4)
        syn.write_lesson(str(path / "original.mp4"), lesson)
        syn.transform_file(
            str(path / "original.mp4"),
            str(path / "copy.mp4"),
            syn.trim(4),
            size=(256, 144),
            bit_rate=300_000,
        )
        for name, seed in (("alike_a", 502), ("alike_b", 503)):
            syn.write_lesson(
                str(path / f"{name}.mp4"),
                syn.Lesson(
                    seed=seed,
                    seconds=seconds,
                    width=320,
                    height=180,
                    title_seconds=4,
                    classroom_seed=77,
                ),
            )
        videos = {
            n: (path / f"{n}.mp4").read_bytes() for n in ("original", "copy", "alike_a", "alike_b")
        }
    made = [
        _put(original, MaterialKind.VIDEO, "课堂实录.mp4", videos["original"], seconds),
        _put(alike_a, MaterialKind.VIDEO, "微课.mp4", videos["alike_a"], seconds),
        _put(alike_b, MaterialKind.VIDEO, "微课.mp4", videos["alike_b"], seconds),
        _put(copy, MaterialKind.VIDEO, "微课（定稿）.mp4", videos["copy"], seconds - 4),
    ]
    # The lifted design is filed under the same course node as its source (and a third
    # package of that node shares only the textbook passage with them).
    Submission.objects.filter(pk__in=[lifted.pk, alike_b.pk]).update(node=design_source.node)
    made += [
        _put(design_source, MaterialKind.DOCUMENT, "教学设计.docx", _docx(DESIGN)),
        _put(alike_b, MaterialKind.DOCUMENT, "教学设计.docx", _docx(OWN_DESIGN)),
        _put(lifted, MaterialKind.DOCUMENT, "教学设计.docx", _docx(LIFTED)),
    ]
    for material in made:
        results.fingerprint_material(material.pk)
        if material.requirement.kind == MaterialKind.VIDEO:
            # Admins outside the other package's scope compare with its blind copy.
            blind_copies.make_blind_copies(material.pk)
    for package in packages[:6]:
        results.check_submission(package.pk)
    flagged = OriginalityResult.objects.filter(
        verdict__in=[Verdict.SIMILAR, Verdict.LIKELY_COPY]
    ).count()
    return {"originality_checked": len(packages[:6]), "originality_flagged": flagged}


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for part in text.split("。"):
        if part:
            document.add_paragraph(part + "。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
