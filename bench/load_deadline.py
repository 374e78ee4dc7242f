"""Deadline night at province scale (issue 8 item 9): a locust load run with a DB check after.

A province of 500,000 teachers (20 cities, 200 counties, 20,000 schools; the org and
submission generators), an open 精品课 campaign at deadline night, lists at each level, a
province review round of 200 experts and a published 公示 list. For each run, before the
load starts (not counted): ``--teachers`` teachers each get a draft package and a bearer
token; ``--admins`` school admins each get a school with 20 submitted packages pending in
their inbox, a school quota, a token and a session; the 200 experts get a token and a
session; a 公示 of a city list is published once.

Then ``youke serve`` (gunicorn, ``--web-workers`` × ``--web-threads``) and ``--workers``
``youke worker`` processes on a Redis broker (``--redis``) serve locust
(``bench/locustfile_deadline.py``, headless, ``--minutes``, only against 127.0.0.1):

- teachers: open the package, save its fields, upload its four documents by tus in 64 KiB
  chunks (one of them resumed through HEAD), confirm originality, wait for the checks,
  submit; then start the next package;
- admins: inbox page, quota page, recommend within the quota / not recommend / return with a
  reason, confirm the list when nothing is pending;
- experts: queue page, scoring page, assignment, draft scores, submitted scores;
- public: 公示 index, a 公示 page, its page 2…, a search.

After the run: a table of throughput, p50/p95/max per action and errors; every package the
load reported submitted must be submitted with its four files (SHA-256 and size as sent,
bytes on disk), every score it reported saved must be present with the same points. Exits
non-zero on request errors or missing data. JSON figures in ``--out``.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/youke_load \\
        .venv/bin/python bench/load_deadline.py --generate --minutes 2
    DATABASE_URL=... .venv/bin/python bench/load_deadline.py --minutes 15
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import hashlib
import http.client
import json
import os
import platform
import random
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench_orgs import free_port
from common import BENCH_DIR, OUT_DIR, percentile, setup_django, stop_on_signal, table

DEFAULT_DIR = OUT_DIR / "load"
USERS_FILE = "load_users.json"
EVENTS_FILE = "load_events.jsonl"
TOKEN_LABEL = "load-deadline"
ADMIN_PREFIX = "load_school_admin_"
PACKAGES_PER_ADMIN_SCHOOL = 20
SCHOOL_QUOTA = 8
PUBLICITY_CITY = "990200"
PUBLICITY_ENTRIES = 3_000
DOCUMENTS = ("teaching_design", "task_sheet", "courseware", "exercises")
SCALE = {  # the province of the issue
    "cities": 20,
    "schools": 20_000,
    "teachers": 500_000,
    "submissions": 100_000,
    "experts": 200,
    "reviews": 20_000,
    "big_list": 100_000,
    # Most assignments still open, so 200 experts have work for the whole run.
    "submitted_share": 0.2,
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--out", type=Path, default=OUT_DIR / "load_deadline.json")
    parser.add_argument("--generate", action="store_true", help="(re)generate the province")
    parser.add_argument("--minutes", type=float, default=15.0)
    parser.add_argument("--teachers", type=int, default=2_000)
    parser.add_argument("--admins", type=int, default=300)
    parser.add_argument("--experts", type=int, default=200)
    parser.add_argument("--public", type=int, default=100, help="simultaneous public readers")
    parser.add_argument("--spawn-rate", type=float, default=15.0, help="users started per second")
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--web-threads", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="youke worker processes")
    parser.add_argument("--worker-concurrency", type=int, default=1)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--settle", type=int, default=180, help="seconds to wait for queued checks after the run"
    )
    return parser.parse_args(argv)


# --- data --------------------------------------------------------------------------------------


def generate(data_dir: Path) -> None:
    """The province: orgs + 100,000 packages, then levels, quotas, the review round."""
    python = sys.executable
    subprocess.run(
        [python, str(BENCH_DIR / "generate_submissions.py"), "--data-dir", str(data_dir),
         "--force", "--cities", str(SCALE["cities"]), "--schools", str(SCALE["schools"]),
         "--teachers", str(SCALE["teachers"]), "--submissions", str(SCALE["submissions"])],
        check=True,
    )  # fmt: skip
    subprocess.run(
        [python, str(BENCH_DIR / "generate_selection.py"), "--data-dir", str(data_dir),
         "--in-place", "--experts", str(SCALE["experts"]), "--reviews", str(SCALE["reviews"]),
         "--big-list", str(SCALE["big_list"]),
         "--submitted-share", str(SCALE["submitted_share"])],
        check=True,
    )  # fmt: skip


def pdf_bytes(label: str, size: int) -> bytes:
    """A real one-page PDF naming ``label``, padded by a binary stream to about ``size``."""
    from io import BytesIO

    from reportlab.pdfgen import canvas

    buffer = BytesIO()
    page = canvas.Canvas(buffer, pagesize=(595, 842))
    page.setTitle(label)
    page.drawString(72, 770, label)
    # Random pixels do not compress: the file is about ``size`` bytes.
    noise = random.Random(label).randbytes(max(0, size - 4000))
    page.drawInlineImage(_noise_image(noise), 72, 300, width=200, height=200)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _noise_image(noise: bytes):
    from PIL import Image

    side = max(1, int((len(noise) / 3) ** 0.5))
    return Image.frombytes("RGB", (side, side), noise[: side * side * 3])


def _issue_tokens(people: list) -> dict[int, str]:
    from youke.orgs.models import ApiToken

    raw = {p.pk: secrets.token_urlsafe(32) for p in people}
    ApiToken.objects.bulk_create(
        [ApiToken(person_id=pk, digest=ApiToken.digest_of(t), label=TOKEN_LABEL) for pk, t in raw.items()]
    )  # fmt: skip
    return raw


def _sessions(people: list) -> dict[int, str]:
    """Logged-in sessions written directly (a real log-in hashes Argon2 per person)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    store_class = import_string(settings.SESSION_ENGINE + ".SessionStore")
    keys = {}
    for person in people:
        store = store_class()
        store[SESSION_KEY] = str(person.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = person.get_session_auth_hash()
        store.create()
        keys[person.pk] = store.session_key
    return keys


def prepare(args, rng: random.Random) -> dict:  # noqa: PLR0915 (one linear script)
    """Accounts, tokens, sessions, drafts and inbox work for one run (not counted)."""
    from django.db import transaction
    from django.db.models import Count, Q
    from django.utils import timezone

    import generate_submissions
    from youke.campaigns.models import Campaign, Category, Level, MaterialRequirement
    from youke.catalog.enums import NodeLevel
    from youke.catalog.models import CourseNode
    from youke.core.actor import Actor
    from youke.media.models import Upload
    from youke.orgs.enums import Role, UnitKind
    from youke.orgs.models import ApiToken, Person, RoleGrant, Unit
    from youke.selection.domain import publicity as publicity_domain
    from youke.selection.enums import AssignmentState, EntryState, ListState
    from youke.selection.models import Assignment, LevelEntry, LevelList, Publicity, Quota
    from youke.submissions.models import Material, Submission

    meta = json.loads((args.data_dir / "bench_meta.json").read_text())
    sel = json.loads((args.data_dir / "selection_meta.json").read_text())
    campaign = Campaign.objects.get(pk=meta["campaign_id"])
    generate_submissions.reopen_campaign(campaign)  # deadline night: open, deadline ahead
    category = Category.objects.get(campaign=campaign, code="subject")
    requirements = {
        r.code: r.pk for r in MaterialRequirement.objects.filter(category=category, code__in=DOCUMENTS)
    }  # fmt: skip
    levels = {lv.key: lv for lv in Level.objects.filter(campaign=campaign)}
    lessons = list(CourseNode.objects.filter(level=NodeLevel.LESSON).values_list("pk", flat=True))
    ApiToken.objects.filter(label=TOKEN_LABEL).delete()
    timings = {}

    # Teachers: people from the 500,000 with no package yet, one fresh draft each.
    t = time.perf_counter()
    busy = Submission.objects.filter(campaign=campaign).values("teacher_id")
    candidates = list(
        Person.objects.filter(grants__role=Role.TEACHER, unit__kind=UnitKind.SCHOOL)
        .exclude(pk__in=busy)
        .order_by("?")
        .values_list("pk", "unit_id")[: args.teachers]
    )
    teacher_schools = {unit for _pk, unit in candidates}
    with transaction.atomic():
        Person.objects.filter(pk__in=[pk for pk, _u in candidates]).update(
            must_change_password=False
        )
        drafts = Submission.objects.bulk_create(
            [
                Submission(
                    campaign=campaign,
                    category=category,
                    node_id=rng.choice(lessons),
                    teacher_id=pk,
                    unit_id=unit,
                    title="草稿",
                    periods=1,
                    state="draft",
                )
                for pk, unit in candidates
            ]
        )
        people = list(Person.objects.filter(pk__in=[pk for pk, _u in candidates]))
        tokens = _issue_tokens(people)
    teachers = [
        {"token": tokens[d.teacher_id], "submission": d.pk, "person": d.teacher_id} for d in drafts
    ]
    timings["teachers_s"] = time.perf_counter() - t

    # School admins: schools no teacher of this run belongs to, each with 20 packages pending.
    t = time.perf_counter()
    used = set(LevelList.objects.filter(level=levels["school"]).values_list("unit_id", flat=True))
    used |= set(
        RoleGrant.objects.filter(role=Role.UNIT_ADMIN, unit__kind=UnitKind.SCHOOL).values_list(
            "unit_id", flat=True
        )
    )
    schools = list(
        Unit.objects.filter(kind=UnitKind.SCHOOL)
        .exclude(pk__in=used | teacher_schools)
        .annotate(n=Count("grants", filter=Q(grants__role=Role.TEACHER)))
        .filter(n__gte=3)
        .order_by("?")
        .values_list("pk", flat=True)[: args.admins]
    )
    run_tag = datetime.datetime.now(datetime.UTC).strftime("%m%d%H%M")
    admins = []
    with transaction.atomic():
        for i, school_id in enumerate(schools):
            person = Person.objects.create(
                username=f"{ADMIN_PREFIX}{run_tag}_{i:03d}",
                full_name=f"学校管理员{i:03d}",
                unit_id=school_id,
                password="!",
                must_change_password=False,
            )
            RoleGrant.objects.create(person=person, unit_id=school_id, role=Role.UNIT_ADMIN)
            admins.append(person)
        authors = list(
            RoleGrant.objects.filter(role=Role.TEACHER, unit_id__in=schools).values_list(
                "person_id", "unit_id"
            )
        )
        by_school: dict[int, list[int]] = {}
        for person_id, unit_id in authors:
            by_school.setdefault(unit_id, []).append(person_id)
        now = timezone.now()
        subs = []
        for school_id in schools:
            nodes = rng.sample(lessons, PACKAGES_PER_ADMIN_SCHOOL)  # R5: one per node
            for n in range(PACKAGES_PER_ADMIN_SCHOOL):
                subs.append(
                    Submission(
                        campaign=campaign,
                        category=category,
                        node_id=nodes[n],
                        teacher_id=rng.choice(by_school[school_id]),
                        unit_id=school_id,
                        title=f"基准待审作品{n + 1}",
                        periods=1,
                        state="submitted",
                        originality_confirmed_at=now,
                        submitted_at=now,
                    )
                )
        Submission.objects.bulk_create(subs)
        uploads, materials = [], []
        for sub in subs:
            for code, req_id in requirements.items():
                upload = Upload(
                    owner_id=sub.teacher_id,
                    purpose="material",
                    filename=f"{code}.pdf",
                    length=300_000,
                    offset=300_000,
                    content_type="application/pdf",
                    sha256=hashlib.sha256(f"{sub.pk}-{req_id}".encode()).hexdigest(),
                    storage_name=f"uploads/bench/{sub.pk}/{code}.pdf",
                    state="complete",
                    metadata={"purpose": "material", "submission": str(sub.pk)},
                    completed_at=now,
                )
                uploads.append(upload)
                materials.append(
                    Material(
                        submission_id=sub.pk,
                        requirement_id=req_id,
                        period=1,
                        upload_id=upload.pk,
                        check_state="passed",
                    )
                )
        Upload.objects.bulk_create(uploads)
        Material.objects.bulk_create(materials)
        LevelEntry.objects.bulk_create(
            [LevelEntry(submission=s, level=levels["school"], unit_id=s.unit_id) for s in subs]
        )
        Quota.objects.bulk_create(
            [
                Quota(campaign=campaign, level=levels["school"], unit_id=s, allowed=SCHOOL_QUOTA)
                for s in schools
            ]
        )
        admin_tokens = _issue_tokens(admins)
        admin_sessions = _sessions(admins)
    admin_rows = [
        {
            "token": admin_tokens[p.pk],
            "session": admin_sessions[p.pk],
            "unit": p.unit_id,
            "person": p.pk,
        }
        for p in admins
    ]
    timings["admins_s"] = time.perf_counter() - t

    # Experts: the generated panel of the province round.
    t = time.perf_counter()
    experts = list(
        Person.objects.filter(
            pk__in=Assignment.objects.filter(
                round_id=sel["round"], state=AssignmentState.ASSIGNED
            ).values("expert_id")
        ).order_by("username")[: args.experts]
    )
    expert_tokens = _issue_tokens(experts)
    expert_sessions = _sessions(experts)
    expert_rows = [
        {"token": expert_tokens[p.pk], "session": expert_sessions[p.pk], "person": p.pk}
        for p in experts
    ]
    timings["experts_s"] = time.perf_counter() - t

    # 公示: one confirmed city list published once (kept between runs).
    t = time.perf_counter()
    city = Unit.objects.get(code=PUBLICITY_CITY)
    publicity = Publicity.objects.filter(level=levels["city"], unit=city).first()
    if publicity is None:
        chosen = list(
            Submission.objects.filter(
                campaign=campaign, state="submitted", unit__path__startswith=city.path
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:PUBLICITY_ENTRIES]
        )
        province_admin = Person.objects.get(username=meta["admins"]["province"]["username"])
        with transaction.atomic():
            LevelEntry.objects.bulk_create(
                [
                    LevelEntry(
                        submission_id=pk,
                        level=levels["city"],
                        unit=city,
                        state=EntryState.RECOMMENDED,
                    )
                    for pk in chosen
                ]
            )
            LevelList.objects.create(
                campaign=campaign,
                level=levels["city"],
                unit=city,
                state=ListState.CONFIRMED,
                confirmed_at=timezone.now(),
            )
            publicity = publicity_domain.open_publicity(
                Actor(province_admin),
                campaign,
                levels["city"],
                city,
                starts_at=timezone.now() - datetime.timedelta(hours=1),
                ends_at=timezone.now() + datetime.timedelta(days=7),
                title="基准2市精品课推荐结果公示",
            )
    sample = list(
        LevelEntry.objects.filter(level=levels["city"], unit=city)
        .select_related("submission__teacher", "submission__unit")
        .order_by("?")[:50]
    )
    queries = sorted(
        {e.submission.unit.name for e in sample[:25]}
        | {e.submission.teacher.full_name for e in sample[25:]}
    )
    timings["publicity_s"] = time.perf_counter() - t

    users = {
        "campaign": campaign.pk,
        "category": category.pk,
        "requirements": requirements,
        "lessons": rng.sample(lessons, min(len(lessons), 2000)),
        "school_level": levels["school"].pk,
        "round": sel["round"],
        "publicity": publicity.pk,
        "queries": queries,
        "teachers": teachers,
        "admins": admin_rows,
        "experts": expert_rows,
    }
    return {"users": users, "timings": timings}


# --- processes ---------------------------------------------------------------------------------


class Processes:
    """``youke serve --no-worker`` and N ``youke worker``, each in its own process group."""

    def __init__(self, args, port: int, log_dir: Path) -> None:
        self.args = args
        self.port = port
        self.log_dir = log_dir
        self.env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="youke.settings",
            YOUKE_DATA_DIR=str(args.data_dir.resolve()),
            CELERY_BROKER_URL=args.redis,
            YOUKE_WEB_WORKERS=str(args.web_workers),
            YOUKE_WEB_THREADS=str(args.web_threads),
        )
        self.env.pop("YOUKE_JOBS_EAGER", None)
        self.procs: list[subprocess.Popen] = []
        self.logs: list = []

    def _start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.log_dir / f"{name}.log", "w")  # noqa: SIM115 (closed in __exit__)
        self.logs.append(log)
        proc = subprocess.Popen(
            [sys.executable, "-m", "youke.cli", *command],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def __enter__(self) -> Processes:
        for i in range(self.args.workers):
            self._start(
                f"worker{i + 1}",
                ["worker", "--concurrency", str(self.args.worker_concurrency), "--quiet"],
            )
        server = self._start("serve", ["serve", "--port", str(self.port), "--no-worker"])
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if server.poll() is not None:
                self.__exit__(None, None, None)
                raise RuntimeError(f"server exited; see {self.log_dir / 'serve.log'}")
            with contextlib.suppress(OSError):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/api/v1/health")
                if conn.getresponse().status == 200:
                    conn.close()
                    return self
            time.sleep(0.5)
        self.__exit__(None, None, None)
        raise RuntimeError("server did not answer within 180 s")

    def __exit__(self, *exc) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        for log in self.logs:
            log.close()


class CpuSampler:
    """CPU seconds used during the run by role: web (gunicorn), worker (Celery), postgres
    (the backends of this database) and locust, read from /proc every few seconds."""

    def __init__(self, data_dir: Path, database: str, period: float = 5.0) -> None:
        self.marker = str(data_dir.resolve()).encode()
        self.database = f" {database} "
        self.period = period
        self.first: dict[int, tuple[str, float]] = {}
        self.last: dict[int, tuple[str, float]] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _role(self, pid: str) -> str | None:
        cmd = (
            Path(f"/proc/{pid}/cmdline")
            .read_bytes()
            .replace(b"\0", b" ")
            .decode("utf-8", "replace")
        )
        if cmd.startswith("postgres: ") and self.database in cmd:
            return "postgres"
        env = Path(f"/proc/{pid}/environ").read_bytes()
        if "locust" in cmd and b"LOAD_USERS_FILE" in env:
            return "locust"
        if self.marker not in env:
            return None
        if "gunicorn" in cmd:
            return "web"
        if " worker" in cmd or "celery" in cmd:
            return "worker"
        return None

    def sample(self) -> dict[int, tuple[str, float]]:
        tick = os.sysconf("SC_CLK_TCK")
        found = {}
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            with contextlib.suppress(OSError):
                role = self._role(pid)
                if role is None:
                    continue
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                found[int(pid)] = (role, (int(fields[11]) + int(fields[12])) / tick)
        return found

    def _run(self) -> None:
        while not self.stop.wait(self.period):
            for pid, value in self.sample().items():
                self.first.setdefault(pid, value)
                self.last[pid] = value

    def __enter__(self) -> CpuSampler:
        self.started = time.monotonic()
        self.first = self.sample()
        self.last = dict(self.first)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()
        self.seconds = time.monotonic() - self.started

    def result(self) -> dict:
        used: dict[str, float] = {}
        for pid, (role, cpu) in self.last.items():
            used[role] = used.get(role, 0.0) + cpu - self.first.get(pid, (role, 0.0))[1]
        return {
            "seconds": round(self.seconds, 1),
            "cpu_s": {k: round(v, 1) for k, v in sorted(used.items())},
            "cores_busy": {k: round(v / self.seconds, 2) for k, v in sorted(used.items())},
        }


def run_locust(args, port: int, users_path: Path, events_path: Path, csv_prefix: Path) -> dict:
    total = args.teachers + args.admins + args.experts + args.public
    env = dict(
        os.environ,
        LOAD_USERS_FILE=str(users_path),
        LOAD_EVENTS_FILE=str(events_path),
        LOAD_PUBLIC_USERS=str(args.public),
        LOAD_TEACHERS=str(args.teachers),
        LOAD_ADMINS=str(args.admins),
        LOAD_EXPERTS=str(args.experts),
    )
    command = [
        str(Path(sys.executable).with_name("locust")),
        "-f", str(BENCH_DIR / "locustfile_deadline.py"),
        "--headless", "--host", f"http://127.0.0.1:{port}",
        "-u", str(total), "-r", str(args.spawn_rate),
        "--run-time", f"{int(args.minutes * 60)}s", "--stop-timeout", "60",
        "--csv", str(csv_prefix), "--only-summary", "--exit-code-on-error", "0",
        "--loglevel", "WARNING",
    ]  # fmt: skip
    loads = []
    started = time.monotonic()
    with open(csv_prefix.with_suffix(".log"), "w") as log:
        proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        while proc.poll() is None:
            loads.append((round(time.monotonic() - started), os.getloadavg()[0]))
            time.sleep(10)
    return {"returncode": proc.returncode, "wall_s": time.monotonic() - started, "loadavg": loads}


# --- results -----------------------------------------------------------------------------------


def read_stats(csv_prefix: Path) -> list[dict]:
    rows = []
    with open(f"{csv_prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            rows.append(
                {
                    "action": row["Name"] if row["Name"] != "Aggregated" else "(all)",
                    "method": row["Type"],
                    "requests": int(row["Request Count"]),
                    "errors": int(row["Failure Count"]),
                    "req_per_s": float(row["Requests/s"]),
                    "p50_ms": float(row["50%"] or 0),
                    "p95_ms": float(row["95%"] or 0),
                    "max_ms": float(row["Max Response Time"] or 0),
                }
            )
    return rows


def read_failures(csv_prefix: Path) -> list[dict]:
    path = Path(f"{csv_prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path, newline="") as handle:
        return [
            {"action": r["Name"], "error": r["Error"][:300], "count": int(r["Occurrences"])}
            for r in csv.DictReader(handle)
        ]


def read_events(events_path: Path) -> list[dict]:
    if not events_path.exists():
        return []
    return [json.loads(line) for line in events_path.read_text().splitlines() if line.strip()]


def verify(events: list[dict], sent_files: dict[str, dict]) -> dict:
    """Every reported submission and score is in the database, as reported."""
    from django.core.files.storage import default_storage

    from youke.selection.models import Assignment, Score
    from youke.submissions.models import Material, Submission

    submitted = {e["submission"]: e for e in events if e["kind"] == "submitted"}
    scored = {e["assignment"]: e for e in events if e["kind"] == "scored"}
    states = dict(Submission.objects.filter(pk__in=submitted).values_list("pk", "state"))
    not_submitted = sorted(pk for pk in submitted if states.get(pk) != "submitted")
    materials = Material.objects.filter(submission_id__in=submitted).select_related("upload")
    files: dict[int, dict[str, object]] = {}
    for m in materials:
        files.setdefault(m.submission_id, {})[m.upload.filename] = m
    missing_files, bad_files, checked_on_disk = [], [], 0
    rng = random.Random(7)
    spot = set(rng.sample(sorted(submitted), min(50, len(submitted))))
    for pk, event in submitted.items():
        have = files.get(pk, {})
        for name in event["files"]:
            material = have.get(name)
            if material is None:
                missing_files.append((pk, name))
                continue
            sent = sent_files[name]
            upload = material.upload
            if upload.sha256 != sent["sha256"] or upload.length != sent["size"]:
                bad_files.append((pk, name, "sha256/size"))
            elif pk in spot:  # read the bytes back for a sample
                with default_storage.open(upload.storage_name, "rb") as handle:
                    if hashlib.sha256(handle.read()).hexdigest() != sent["sha256"]:
                        bad_files.append((pk, name, "bytes"))
                checked_on_disk += 1
    assignments = {
        a.pk: a for a in Assignment.objects.filter(pk__in=scored).only("pk", "state", "total")
    }
    saved: dict[int, dict[str, int]] = {}
    for s in Score.objects.filter(assignment_id__in=scored):
        saved.setdefault(s.assignment_id, {})[str(s.criterion_id)] = s.points
    missing_scores, wrong_scores = [], []
    for pk, event in scored.items():
        a = assignments.get(pk)
        if a is None or a.state != "submitted":
            missing_scores.append(pk)
        elif saved.get(pk) != event["points"]:
            wrong_scores.append(pk)
    spot_scores = [
        {"assignment": pk, "sent": scored[pk]["points"], "stored": saved.get(pk)}
        for pk in sorted(scored)[:3]
    ]
    return {
        "packages_reported": len(submitted),
        "packages_not_submitted": not_submitted[:20],
        "packages_not_submitted_n": len(not_submitted),
        "files_reported": sum(len(e["files"]) for e in submitted.values()),
        "files_missing": missing_files[:20],
        "files_missing_n": len(missing_files),
        "files_bad": bad_files[:20],
        "files_bad_n": len(bad_files),
        "files_read_back": checked_on_disk,
        "scores_reported": len(scored),
        "score_rows_reported": sum(len(e["points"]) for e in scored.values()),
        "scores_missing": missing_scores[:20],
        "scores_missing_n": len(missing_scores),
        "scores_wrong": wrong_scores[:20],
        "scores_wrong_n": len(wrong_scores),
        "scores_spot_check": spot_scores,
        "decisions_reported": sum(1 for e in events if e["kind"] == "decided"),
        "lists_confirmed_reported": sum(1 for e in events if e["kind"] == "confirmed"),
    }


def verify_admin_work(events: list[dict]) -> dict:
    """Every decision and confirmed list the load reported is in the database."""
    from youke.selection.models import LevelEntry, LevelList

    decided = {e["entry"]: e["state"] for e in events if e["kind"] == "decided"}
    stored = dict(LevelEntry.objects.filter(pk__in=decided).values_list("pk", "state"))
    wrong = sorted(pk for pk, state in decided.items() if stored.get(pk) != state)
    confirmed = [e["unit"] for e in events if e["kind"] == "confirmed"]
    level_ids = {e["level"] for e in events if e["kind"] == "confirmed"}
    have = set(
        LevelList.objects.filter(
            unit_id__in=confirmed, level_id__in=level_ids, state="confirmed"
        ).values_list("unit_id", flat=True)
    )
    return {
        "decisions_wrong": wrong[:20],
        "decisions_wrong_n": len(wrong),
        "lists_missing": sorted(set(confirmed) - have)[:20],
        "lists_missing_n": len(set(confirmed) - have),
    }


def queue_state() -> dict:
    """Checks still queued or running for uploads made during the run."""
    from youke.submissions.models import Material

    return {
        state: Material.objects.filter(check_state=state, upload__storage_name__startswith="uploads/")
        .exclude(upload__storage_name__startswith="uploads/bench/")
        .count()
        for state in ("queued", "processing", "failed")
    }  # fmt: skip


def db_sizes() -> dict:
    """Rows and bytes (table + indexes + TOAST) of youke's tables, for docs/CAPACITY.md."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.reltuples::bigint, pg_total_relation_size(c.oid) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname = 'public' ORDER BY 3 DESC"
        )
        tables = {name: {"rows": rows, "bytes": size} for name, rows, size in cursor.fetchall()}
        cursor.execute("SELECT pg_database_size(current_database())")
        total = cursor.fetchone()[0]
    return {"database_bytes": total, "tables": tables}


def print_report(report: dict) -> None:
    print(
        f"\n== deadline night: {report['minutes']} min, {report['users']} users "
        f"(teachers {report['counts']['teachers']}, admins {report['counts']['admins']}, "
        f"experts {report['counts']['experts']}, public {report['counts']['public']}); "
        f"web {report['web_workers']}×{report['web_threads']}, "
        f"{report['workers']} workers; load average "
        f"{report['load']['min']:.1f}–{report['load']['max']:.1f} (mean {report['load']['mean']:.1f}) =="
    )  # fmt: skip
    rows = [
        [r["action"], r["requests"], r["errors"], r["req_per_s"], r["p50_ms"], r["p95_ms"], r["max_ms"]]
        for r in report["stats"]
    ]  # fmt: skip
    print(table(["action", "requests", "errors", "req/s", "p50 ms", "p95 ms", "max ms"], rows))
    for failure in report["failures"]:
        print(f"   error: {failure['action']} ×{failure['count']}: {failure['error']}")
    print("\n== afterwards, in the database ==")
    for key, value in report["verify"].items():
        print(f"   {key}: {value}")
    print(f"   checks still queued/processing/failed: {report['queue_after']}")
    cpu = report["cpu"]
    requests = next((r["requests"] for r in report["stats"] if r["action"] == "(all)"), 0)
    print(f"\n== CPU during the run ({cpu['seconds']:.0f} s) ==")
    for role, seconds in cpu["cpu_s"].items():
        per = 1000 * seconds / requests if requests else float("nan")
        print(
            f"   {role}: {seconds:,.0f} CPU s, {cpu['cores_busy'][role]:.2f} cores, {per:.1f} ms per request"
        )


def main(argv: list[str] | None = None) -> int:  # noqa: PLR0915 (one linear script)
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, stop_on_signal)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    if args.generate:
        generate(args.data_dir)
    setup_django(args.data_dir)
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        print("note: the load run is meant for PostgreSQL (set DATABASE_URL)")
    rng = random.Random(args.seed + int(time.time()))
    t = time.perf_counter()
    prepared = prepare(args, rng)
    prepared["timings"]["total_s"] = time.perf_counter() - t
    print(f"prepared in {prepared['timings']['total_s']:.1f} s: {prepared['timings']}")

    files_dir = args.data_dir / "load_files"
    files_dir.mkdir(exist_ok=True)
    sent_files = {}
    for code in DOCUMENTS:
        data = pdf_bytes(f"基准{code}", 128 * 1024)
        path = files_dir / f"{code}.pdf"
        path.write_bytes(data)
        sent_files[path.name] = {
            "path": str(path),
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
    prepared["users"]["files"] = sent_files
    users_path = args.data_dir / USERS_FILE
    users_path.write_text(json.dumps(prepared["users"], ensure_ascii=False))
    events_path = args.data_dir / EVENTS_FILE
    events_path.unlink(missing_ok=True)
    csv_prefix = args.data_dir / "locust"
    port = args.port or free_port()
    connection.close()  # the server and workers take over; we come back for the check

    before_load = os.getloadavg()
    with Processes(args, port, args.data_dir) as _procs:
        print(f"serving on 127.0.0.1:{port}; locust for {args.minutes} min …", flush=True)
        with CpuSampler(args.data_dir, settings.DATABASES["default"]["NAME"]) as cpu:
            run = run_locust(args, port, users_path, events_path, csv_prefix)
        # Let the workers finish the checks queued in the last minutes (not counted).
        settle_until = time.monotonic() + args.settle
        while time.monotonic() < settle_until:
            state = queue_state()
            connection.close()
            if state["queued"] + state["processing"] == 0:
                break
            time.sleep(5)

    events = read_events(events_path)
    stats = read_stats(csv_prefix)
    failures = read_failures(csv_prefix)
    checked = verify(events, sent_files)
    checked.update(verify_admin_work(events))
    loads = [value for _t, value in run["loadavg"]] or [0.0]
    report = {
        "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": connection.vendor,
        "minutes": args.minutes,
        "users": args.teachers + args.admins + args.experts + args.public,
        "counts": {
            "teachers": args.teachers,
            "admins": args.admins,
            "experts": args.experts,
            "public": args.public,
        },
        "web_workers": args.web_workers,
        "web_threads": args.web_threads,
        "workers": args.workers,
        "worker_concurrency": args.worker_concurrency,
        "load": {
            "before": before_load[0],
            "min": min(loads),
            "max": max(loads),
            "mean": sum(loads) / len(loads),
            "p95": percentile(loads, 95),
            "samples": run["loadavg"],
        },
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "prepare": prepared["timings"],
        "cpu": cpu.result(),
        "locust_returncode": run["returncode"],
        "wall_s": run["wall_s"],
        "stats": stats,
        "failures": failures,
        "events": {
            kind: sum(1 for e in events if e["kind"] == kind)
            for kind in sorted({e["kind"] for e in events})
        },
        "verify": checked,
        "queue_after": queue_state(),
        "db": db_sizes(),
        "data_dir": str(settings.DATA_DIR),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print_report(report)
    print(f"\nwrote {args.out}")
    errors = sum(r["errors"] for r in stats if r["action"] == "(all)")
    lost = sum(
        checked[k]
        for k in (
            "packages_not_submitted_n",
            "files_missing_n",
            "files_bad_n",
            "scores_missing_n",
            "scores_wrong_n",
            "decisions_wrong_n",
            "lists_missing_n",
        )
    )
    if errors or lost or run["returncode"] not in (0, None):
        print(f"FAILED: {errors} request errors, {lost} missing or wrong records")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
