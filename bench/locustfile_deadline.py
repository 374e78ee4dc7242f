"""Locust users of the deadline-night scenario; started by bench/load_deadline.py.

Each simulated person takes the next account prepared in ``LOAD_USERS_FILE`` (tokens,
session keys, draft packages, admin schools, experts) and reports what the server confirmed
(submitted packages with their files, saved scores, decisions, confirmed lists) as JSON lines
in ``LOAD_EVENTS_FILE``, which load_deadline.py checks against the database afterwards.

Only a status the action expects counts as a success; anything else (a 4xx on a valid
request, a 5xx, a timeout) is a failure in locust's table.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import random
import urllib.parse
from pathlib import Path

import gevent
from locust import FastHttpUser, between, task

USERS = json.loads(Path(os.environ["LOAD_USERS_FILE"]).read_text())
EVENTS = Path(os.environ["LOAD_EVENTS_FILE"])
CHUNK = 64 * 1024
CHECK_POLL_S = 5
CHECK_WAIT_S = 600
FILES = {name: Path(info["path"]).read_bytes() for name, info in USERS["files"].items()}
_next = {kind: itertools.count() for kind in ("teachers", "admins", "experts")}


def report(event: dict) -> None:
    """One JSON line per confirmed write (one process, gevent: no interleaving)."""
    with EVENTS.open("a") as handle:
        handle.write(json.dumps(event) + "\n")


def think(low: float, high: float) -> None:
    gevent.sleep(random.uniform(low, high))


def items_of(data) -> list:
    return data["items"] if isinstance(data, dict) else data


class Person(FastHttpUser):
    abstract = True
    network_timeout = 120.0
    connection_timeout = 30.0
    kind = ""

    def on_start(self) -> None:
        index = next(_next[self.kind])
        pool = USERS[self.kind]
        self.account = pool[index % len(pool)]
        self.api = {"Authorization": f"Bearer {self.account['token']}"}
        session = self.account.get("session")
        self.page = {"Cookie": f"sessionid={session}"} if session else {}

    def expect(self, method: str, url: str, name: str, status: int, **kwargs):
        """The request, failed unless it answers ``status``; returns the response."""
        with self.client.request(method, url, name=name, catch_response=True, **kwargs) as r:
            if r.status_code != status:
                r.failure(f"HTTP {r.status_code}: {(r.text or '')[:200]}")
            else:
                r.success()
        return r


class Teacher(Person):
    """Fills in a package, uploads its four documents by tus, submits; then the next one."""

    fixed_count = int(os.environ.get("LOAD_TEACHERS", "2000"))
    wait_time = between(120, 300)  # after a submission, before the next package
    kind = "teachers"

    def on_start(self) -> None:
        super().on_start()
        self.submission = self.account["submission"]
        self.round = 0

    @task
    def package(self) -> None:
        sub = self.submission
        api = self.api
        url = f"/api/v1/submissions/{sub}"
        r = self.expect("GET", url, "teacher: open package", 200, headers=api)
        if r.status_code != 200:
            return
        think(30, 120)  # typing the title and description
        body = {
            "title": f"《第{random.randint(1, 30)}课》教学设计与微课",
            "description": "本课围绕核心素养设计学习任务，" * random.randint(2, 8),
        }
        if self.expect("PATCH", url, "teacher: save fields", 200, headers=api, json=body).status_code != 200:  # fmt: skip
            return
        names = []
        for n, (code, req_id) in enumerate(USERS["requirements"].items()):
            think(10, 40)  # finding the file
            name = f"{code}.pdf"
            if not self.upload(name, req_id, resume=(n == 1)):
                return
            names.append(name)
        think(5, 20)  # reading the declaration
        if self.expect("POST", f"{url}/originality", "teacher: originality", 200, headers=api).status_code != 200:  # fmt: skip
            return
        if not self.wait_for_checks(url):
            return
        r = self.expect("POST", f"{url}/submit", "teacher: submit", 200, headers=api)
        if r.status_code == 200 and r.json()["state"] == "submitted":
            report({"kind": "submitted", "submission": sub, "files": names})
            self.next_draft()

    def upload(self, name: str, requirement: int, *, resume: bool) -> bool:
        data = FILES[name]
        meta = {
            "purpose": "material",
            "filename": name,
            "filetype": "application/pdf",
            "submission": self.submission,
            "requirement": requirement,
            "period": 1,
        }
        encoded = ",".join(
            f"{k} {base64.b64encode(str(v).encode()).decode()}" for k, v in meta.items()
        )
        tus = {**self.api, "Tus-Resumable": "1.0.0"}
        r = self.expect(
            "POST",
            "/api/v1/uploads/",
            "teacher: upload create",
            201,
            headers={**tus, "Upload-Length": str(len(data)), "Upload-Metadata": encoded},
        )
        if r.status_code != 201:
            return False
        path = urllib.parse.urlsplit(r.headers["Location"]).path
        offset = 0
        while offset < len(data):
            if resume and offset == CHUNK:
                # The connection dropped here: ask the server where to go on (tus HEAD).
                think(1, 3)
                h = self.expect("HEAD", path, "teacher: upload resume (HEAD)", 200, headers=tus)
                if h.status_code != 200 or int(h.headers["Upload-Offset"]) != offset:
                    return False
            chunk = data[offset : offset + CHUNK]
            r = self.expect(
                "PATCH",
                path,
                "teacher: upload chunk",
                204,
                headers={
                    **tus,
                    "Content-Type": "application/offset+octet-stream",
                    "Upload-Offset": str(offset),
                },
                data=chunk,
            )
            if r.status_code != 204:
                return False
            offset = int(r.headers["Upload-Offset"])
        return True

    def wait_for_checks(self, url: str) -> bool:
        """Poll the package like its page does until no blocking slot is being checked."""
        waited = 0
        while waited < CHECK_WAIT_S:
            r = self.expect("GET", url, "teacher: poll checks", 200, headers=self.api)
            if r.status_code != 200:
                return False
            slots = r.json()["materials"]
            if any(s["state"] == "failed" for s in slots):
                return False
            if not any(s["blocks_submission"] for s in slots):
                return True
            gevent.sleep(CHECK_POLL_S)
            waited += CHECK_POLL_S
        return False

    def next_draft(self) -> None:
        """Start another package (a new lesson) through the API."""
        self.round += 1
        body = {
            "campaign_id": USERS["campaign"],
            "category_id": USERS["category"],
            "node_id": random.choice(USERS["lessons"]),
            "title": "草稿",
            "periods": 1,
        }
        r = self.expect(
            "POST", "/api/v1/submissions", "teacher: new draft", 201, headers=self.api, json=body
        )
        if r.status_code == 201:
            self.submission = r.json()["id"]


class Admin(Person):
    """A school admin at deadline night: inbox, decisions within the quota, the list."""

    fixed_count = int(os.environ.get("LOAD_ADMINS", "300"))
    wait_time = between(30, 90)
    kind = "admins"

    def on_start(self) -> None:
        super().on_start()
        self.confirmed = False

    @task
    def work(self) -> None:
        level, unit = USERS["school_level"], self.account["unit"]
        self.expect("GET", "/manage/selection/", "admin: inbox page", 200, headers=self.page)
        if self.confirmed:
            return
        query = f"level={level}&unit={unit}&state=pending"
        r = self.expect(
            "GET", f"/api/v1/selection/entries?{query}", "admin: pending entries", 200,
            headers=self.api,
        )  # fmt: skip
        if r.status_code != 200:
            return
        pending = items_of(r.json())
        if not pending:
            self.confirm(level, unit)
            return
        q = self.expect(
            "GET", f"/api/v1/selection/quotas?campaign={USERS['campaign']}&level={level}",
            "admin: quotas", 200, headers=self.api,
        )  # fmt: skip
        if q.status_code != 200:
            return
        quota = next((x for x in items_of(q.json()) if x["unit"]["id"] == unit), None)
        used, allowed = (quota["used"], quota["allowed"]) if quota else (0, 0)
        for entry in pending[: random.randint(2, 5)]:
            think(10, 40)
            self.expect(
                "GET", f"/manage/selection/entries/{entry['id']}/", "admin: entry page", 200,
                headers=self.page,
            )  # fmt: skip
            think(5, 15)
            roll = random.random()
            base = f"/api/v1/selection/entries/{entry['id']}"
            if used < allowed and roll < 0.6:
                action, body, state = "recommend", {}, "recommended"
            elif roll < 0.75:
                action, body, state = "return", {"reason": "请补充教学反思后重新提交"}, "returned"
            else:
                action, body, state = "not-recommend", {"reason": "本校名额有限，择优推荐"}, "not_recommended"  # fmt: skip
            d = self.expect(
                "POST", f"{base}/{action}", f"admin: {action}", 200, headers=self.api, json=body
            )
            if d.status_code != 200:
                return
            if state == "recommended":
                used += 1
            report({"kind": "decided", "entry": entry["id"], "state": state})

    def confirm(self, level: int, unit: int) -> None:
        think(5, 15)
        body = {"campaign": USERS["campaign"], "level": level, "unit": unit}
        r = self.expect(
            "POST", "/api/v1/selection/lists/confirm", "admin: confirm list", 200,
            headers=self.api, json=body,
        )  # fmt: skip
        if r.status_code == 200:
            self.confirmed = True
            report({"kind": "confirmed", "unit": unit, "level": level})


class Expert(Person):
    """Opens the queue, reads an entry, saves a draft, then submits the scores."""

    fixed_count = int(os.environ.get("LOAD_EXPERTS", "200"))
    wait_time = between(20, 60)
    kind = "experts"

    @task
    def score(self) -> None:
        self.expect("GET", "/manage/reviews/queue/", "expert: queue page", 200, headers=self.page)
        r = self.expect(
            "GET", f"/api/v1/reviews/assignments?round={USERS['round']}&state=assigned",
            "expert: open assignments", 200, headers=self.api,
        )  # fmt: skip
        if r.status_code != 200:
            return
        open_ones = items_of(r.json())  # experts see only their own assignments
        if not open_ones:
            return
        assignment = random.choice(open_ones)["id"]
        think(3, 10)
        self.expect(
            "GET", f"/manage/reviews/assignments/{assignment}/", "expert: scoring page", 200,
            headers=self.page,
        )  # fmt: skip
        url = f"/api/v1/reviews/assignments/{assignment}"
        d = self.expect("GET", url, "expert: assignment", 200, headers=self.api)
        if d.status_code != 200:
            return
        detail = d.json()
        points = {
            str(c["id"]): (0 if c["is_veto"] else random.randint(c["points"] // 2, c["points"]))
            for c in detail["criteria"]
        }
        scores = [{"criterion": int(k), "points": v} for k, v in points.items()]
        checklist = [{"item": i["item"], "confirmed": True} for i in detail["checklist"]]
        think(30, 90)  # reading the materials
        draft = {"scores": scores[: len(scores) // 2], "comment": "初评", "submit": False}
        if self.expect("POST", f"{url}/scores", "expert: save draft", 200, headers=self.api, json=draft).status_code != 200:  # fmt: skip
            return
        think(10, 30)
        final = {
            "scores": scores,
            "comment": "设计合理，资源完整。",
            "submit": True,
            "checklist": checklist,
        }
        s = self.expect("POST", f"{url}/scores", "expert: submit scores", 200, headers=self.api, json=final)  # fmt: skip
        if s.status_code == 200 and s.json()["state"] == "submitted":
            report({"kind": "scored", "assignment": assignment, "points": points})


class Public(FastHttpUser):
    """A reader of the 公示: the index, the list, later pages, a search."""

    fixed_count = int(os.environ.get("LOAD_PUBLIC_USERS", "100"))
    wait_time = between(5, 20)
    network_timeout = 120.0
    pages = itertools.cycle(range(2, 40))

    def expect(self, url: str, name: str) -> None:
        with self.client.get(url, name=name, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")

    @task(1)
    def index(self) -> None:
        self.expect("/public/publicity/", "public: 公示 index")

    @task(4)
    def first_page(self) -> None:
        self.expect(f"/public/publicity/{USERS['publicity']}/", "public: 公示 page 1")

    @task(3)
    def later_page(self) -> None:
        page = next(self.pages)
        self.expect(f"/public/publicity/{USERS['publicity']}/?page={page}", "public: 公示 page 2…")

    @task(2)
    def search(self) -> None:
        query = random.choice(USERS["queries"])
        self.expect(f"/public/publicity/{USERS['publicity']}/?q={query}", "public: 公示 search")
