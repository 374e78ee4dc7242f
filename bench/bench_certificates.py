"""Certificates (issue 9): one batch of N certificates, the verify page, CLI verification.

Generates its own data in a fresh data dir (SQLite there, or the empty PostgreSQL database
named by DATABASE_URL): a province → city → county → school tree, N teachers (one in ten
with an ID-card number), N packages with a city-level entry and a city award each, a key
generation and a template with two sealed authorities. Then measures:

- the batch as the job runs it: issuing (rows, serials, signed payloads) and rendering
  (ReportLab + PAdES signature per PDF), wall time and the process's peak RSS growth;
- the public verify page: p50/p95 over ``--requests`` requests (in-process client);
- ``youke certs verify FILE.pdf`` as an operator runs it, with the register and offline
  with ``--keys keys.json`` (its own process, start-up included; no Django since issue 9's
  follow-up), Django's start-up for comparison, and the same checks in-process;
- the portable credential (Open Badges 3.0 as ``vc+jwt``): building and signing one, and
  checking one (signature and register), in-process.

    .venv/bin/python bench/bench_certificates.py                  # 10,000 certificates
    .venv/bin/python bench/bench_certificates.py --count 500 --data-dir bench/out/certs_small
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from common import OUT_DIR, REPO_DIR, median, percentile, setup_django, table

CHUNK = 2000


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--data-dir", type=Path, default=OUT_DIR / "certs")
    return parser.parse_args(argv)


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(count: int):
    """The awards to issue from; returns (template, city admin actor)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    from youke.campaigns.domain.templates import create_campaign_from_template
    from youke.campaigns.models import AwardGrade, Category, Level
    from youke.catalog.models import CourseNode
    from youke.certificates.domain import keys as keyring
    from youke.certificates.domain.templates import add_authority, save_template, set_seal
    from youke.core.actor import Actor
    from youke.orgs.models import Person, Unit
    from youke.selection.enums import EntryState
    from youke.selection.models import Award, LevelEntry
    from youke.submissions.models import Submission

    ministry = Unit.add_root(kind="ministry", name="教育部", code="100000")
    province = ministry.add_child(kind="province", name="示范省", code="990000")
    city = province.add_child(kind="city", name="青山市", code="990100")
    county = city.add_child(kind="county", name="东湖区", code="990101", area_type="urban")
    school = county.add_child(
        kind="school", name="东湖区实验小学", code="9901010001", area_type="urban"
    )
    admin = Person.objects.create(
        username="bench_cert_admin", full_name="平台管理员", unit=ministry, is_platform_admin=True
    )
    actor = Actor(admin)
    node = CourseNode.add_root(code="B01", name="小学", level="stage")
    lesson = node.add_child(code="B0101", name="圆的面积", level="lesson")
    campaign = create_campaign_from_template(
        actor, province, "quality_course", name="精品课性能测试", year=2026
    )
    category = Category.objects.filter(campaign=campaign).order_by("order", "id").first()
    level = Level.objects.get(campaign=campaign, key="city")
    grade = AwardGrade.objects.create(campaign=campaign, level=level, name="一等奖")
    for start in range(0, count, CHUNK):
        size = min(CHUNK, count - start)
        teachers = Person.objects.bulk_create(
            [
                Person(
                    username=f"bench_cert_{start + i:06d}",
                    full_name=f"教师{start + i:05d}",
                    unit=school,
                    password="!",
                    must_change_password=False,
                )
                for i in range(size)
            ]
        )
        subs = Submission.objects.bulk_create(
            [
                Submission(
                    campaign=campaign,
                    category=category,
                    node=lesson,
                    teacher=t,
                    unit=school,
                    title=f"微课{t.username[-5:]}",
                    state="submitted",
                )
                for t in teachers
            ]
        )
        entries = LevelEntry.objects.bulk_create(
            [
                LevelEntry(submission=s, level=level, unit=city, state=EntryState.RECOMMENDED)
                for s in subs
            ]
        )
        Award.objects.bulk_create([Award(entry=e, grade=grade, level=level) for e in entries])
    # One in ten with an ID-card number (its masked form is printed and signed); save()
    # encrypts it and sets the keyed hash.
    for person in Person.objects.filter(username__startswith="bench_cert_").order_by("id")[::10]:
        person.id_card = f"110101199003{person.pk % 1_000_000:06d}"
        person.save(update_fields=["id_card"])
    keyring.generate()
    template = save_template(
        actor,
        campaign=campaign,
        level=level,
        unit=city,
        title="荣誉证书",
        body="{教师}老师（{学校}）的作品《{课题}》在{活动}中荣获{级别}{奖项}。",
        orientation="landscape",
    )
    for name in ("青山市电化教育馆", "青山市教育科学研究院"):
        image = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
        ImageDraw.Draw(image).ellipse((10, 10, 290, 290), outline=(200, 20, 20, 230), width=12)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        authority = add_authority(actor, template, unit=city, name=name)
        set_seal(actor, authority, SimpleUploadedFile("seal.png", buffer.getvalue()))
    return template, actor


def main(argv=None) -> None:
    args = parse_args(argv)
    shutil.rmtree(args.data_dir, ignore_errors=True)
    setup_django(args.data_dir)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from youke.certificates.domain import issuing
    from youke.certificates.domain.verify import check_pdf
    from youke.certificates.models import Certificate

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    template, actor = generate(args.count)
    print(
        f"generated {args.count:,} awards on {connection.vendor} in {time.perf_counter() - started:.1f} s"
    )

    rss_before = rss_mib()
    started = time.perf_counter()
    issued = issuing.issue_missing(actor, template)
    issue_s = time.perf_counter() - started
    rss_issue = rss_mib()
    started = time.perf_counter()
    rendered = issuing.render_missing(template)
    render_s = time.perf_counter() - started
    rss_render = rss_mib()

    client = Client(HTTP_HOST="localhost")
    payloads = list(Certificate.objects.values_list("payload", flat=True)[: args.requests])
    times = []
    for payload in (payloads * (args.requests // len(payloads) + 1))[: args.requests]:
        t0 = time.perf_counter()
        response = client.get(reverse("public:certificate_verify", args=[payload]))
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    certificate = Certificate.objects.order_by("id").first()
    pdf_path = args.data_dir / "one.pdf"
    pdf_path.write_bytes(certificate.pdf.read())
    t0 = time.perf_counter()
    report = check_pdf(pdf_path)
    inproc_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(REPO_DIR / "src")}
    cli = subprocess.run(
        [sys.executable, "-m", "youke.cli", "certs", "verify", str(pdf_path)],
        env=env,
        capture_output=True,
        text=True,
    )
    cli_s = time.perf_counter() - t0
    keys_file = args.data_dir / "keys.json"
    keys_file.write_text(client.get(reverse("public:certificate_keys")).content.decode())
    t0 = time.perf_counter()
    offline = subprocess.run(
        [
            sys.executable,
            "-m",
            "youke.cli",
            "certs",
            "verify",
            str(pdf_path),
            "--keys",
            str(keys_file),
        ],
        env=env,
        capture_output=True,
    )
    offline_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "youke.cli", "check"], env=env, capture_output=True)
    startup_s = time.perf_counter() - t0
    size_kib = certificate.pdf.size / 1024
    from youke.certificates.domain.credential import check_credential, credential_jwt

    sign_ms, check_ms = [], []
    for _ in range(50):
        t0 = time.perf_counter()
        token = credential_jwt(certificate)
        sign_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        checked = check_credential(token)
        check_ms.append((time.perf_counter() - t0) * 1000)

    print()
    print(
        table(
            ["phase", "count", "seconds", "per item ms", "peak RSS MiB (growth)"],
            [
                [
                    "issue rows + signed payloads",
                    issued,
                    issue_s,
                    issue_s * 1000 / max(issued, 1),
                    f"{rss_issue:.0f} (+{rss_issue - rss_before:.0f})",
                ],
                [
                    "render + PAdES-sign PDFs",
                    rendered,
                    render_s,
                    render_s * 1000 / max(rendered, 1),
                    f"{rss_render:.0f} (+{rss_render - rss_issue:.0f})",
                ],
                [
                    "whole batch",
                    issued,
                    issue_s + render_s,
                    (issue_s + render_s) * 1000 / max(issued, 1),
                    "",
                ],
            ],
        )
    )
    print()
    print(
        table(
            ["check", "value"],
            [
                [f"verify page p50 ms ({len(times)} requests)", median(times)],
                [f"verify page p95 ms ({len(times)} requests)", percentile(times, 95)],
                ["check_pdf in-process ms", inproc_ms],
                ["youke certs verify (own process) s", cli_s],
                ["youke certs verify --keys keys.json (offline) s", offline_s],
                ["Django start-up, which verify no longer pays (youke check) s", startup_s],
                ["PDF size KiB", size_kib],
                ["credential (vc+jwt) build + sign p50 ms", median(sign_ms)],
                ["credential check (signature + register) p50 ms", median(check_ms)],
                ["credential verdict", checked.status],
                [
                    "CLI verdict",
                    "pass" if cli.returncode == offline.returncode == 0 and report.ok else "FAIL",
                ],
            ],
        )
    )


if __name__ == "__main__":
    main()
