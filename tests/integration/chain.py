"""The whole chain driven over HTTP against a ``Cluster``, as the people would drive it.

Used by ``test_multiprocess_chain.py`` (which asserts) and ``bench/bench_multiprocess.py``
(which prints the time of each stage). Every call names the web process it goes to, so the
requests of one person alternate between processes and nothing may live in one of them.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import http.client
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import requests

from tests.integration.cluster import Cluster, Proc

TUS = {"Tus-Resumable": "1.0.0"}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
_PLAY = re.compile(r"/materials/(\d+)/play\.mp4")


class ChainError(AssertionError):
    pass


def expect(response: requests.Response, *statuses: int) -> requests.Response:
    if response.status_code not in statuses:
        raise ChainError(
            f"{response.request.method} {response.url} → {response.status_code}: "
            f"{response.text[:800]}"
        )
    return response


def wait_for(what: str, probe: Callable[[], object], timeout: float = 120, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(step)
    raise ChainError(f"timed out after {timeout}s waiting for {what}")


@dataclass
class User:
    """A logged-in person: one cookie jar that every web process accepts (database sessions)."""

    username: str
    session: requests.Session = field(default_factory=requests.Session)

    def login(self, web: Proc, password: str) -> None:
        page = expect(self.session.get(f"{web.url}/accounts/login/"), 200)
        token = self.session.cookies.get("csrftoken")
        assert token, page.text[:200]
        done = self.session.post(
            f"{web.url}/accounts/login/",
            data={"login": self.username, "password": password, "csrfmiddlewaretoken": token},
            allow_redirects=False,
        )
        expect(done, 302)

    def _headers(self) -> dict[str, str]:
        return {"X-CSRFToken": self.session.cookies.get("csrftoken", "")}

    def get(self, web: Proc, path: str, **params) -> dict:
        return expect(self.session.get(f"{web.url}/api/v1{path}", params=params), 200).json()

    def post(self, web: Proc, path: str, body: dict | None = None, status=(200, 201)) -> dict:
        response = self.session.post(
            f"{web.url}/api/v1{path}", json=body or {}, headers=self._headers()
        )
        return expect(response, *status).json()

    def page(self, web: Proc, path: str, **kwargs) -> requests.Response:
        return self.session.get(f"{web.url}{path}", **kwargs)

    # --- tus ---------------------------------------------------------------------------------

    def tus_create(self, web: Proc, length: int, metadata: dict[str, str]) -> str:
        encoded = ",".join(
            f"{k} {base64.b64encode(str(v).encode()).decode()}" for k, v in metadata.items()
        )
        response = self.session.post(
            f"{web.url}/api/v1/uploads/",
            headers={
                **TUS,
                **self._headers(),
                "Upload-Length": str(length),
                "Upload-Metadata": encoded,
            },
        )
        return expect(response, 201).headers["Location"]

    def tus_offset(self, web: Proc, location: str) -> int:
        response = self.session.head(f"{web.url}{location}", headers={**TUS, **self._headers()})
        return int(expect(response, 200).headers["Upload-Offset"])

    def tus_patch(self, web: Proc, location: str, offset: int, data: bytes) -> int:
        """One PATCH; 423 (another request holds the upload) is retried as tus clients do."""
        deadline = time.monotonic() + 15
        while True:
            response = self.session.patch(
                f"{web.url}{location}",
                data=data,
                headers={
                    **TUS,
                    **self._headers(),
                    "Upload-Offset": str(offset),
                    "Content-Type": "application/offset+octet-stream",
                },
            )
            if response.status_code != 423 or time.monotonic() > deadline:
                return int(expect(response, 204).headers["Upload-Offset"])
            time.sleep(0.5)

    def tus_patch_cut(
        self,
        web: Proc,
        location: str,
        offset: int,
        data: bytes,
        sent: int,
        on_cut: Callable[[], None],
    ) -> None:
        """Start a PATCH of ``data`` but send only ``sent`` bytes, then call ``on_cut`` (which
        kills the process) before the rest: a server dying in the middle of a chunk."""
        conn = http.client.HTTPConnection("127.0.0.1", web.port, timeout=30)
        conn.putrequest("PATCH", location)
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.session.cookies)
        for name, value in {
            **TUS,
            **self._headers(),
            "Cookie": cookie,
            "Upload-Offset": str(offset),
            "Content-Type": "application/offset+octet-stream",
            "Content-Length": str(len(data)),
        }.items():
            conn.putheader(name, value)
        conn.endheaders()
        conn.send(data[:sent])
        time.sleep(0.5)  # let the server write what it has received
        on_cut()
        conn.close()

    def upload(self, webs: list[Proc], data: bytes, metadata: dict[str, str], chunk: int) -> str:
        """The whole file in ``chunk``-byte PATCHes, alternating between ``webs``."""
        location = self.tus_create(webs[0], len(data), metadata)
        offset, turn = 0, 0
        while offset < len(data):
            web = webs[turn % len(webs)]
            offset = self.tus_patch(web, location, offset, data[offset : offset + chunk])
            turn += 1
        return location


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Chain:
    """The chain's state and the time of each stage (seconds)."""

    cluster: Cluster
    seed: dict
    users: dict[str, User] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    submission: int | None = None
    video_upload: str | None = None
    video_material: int | None = None
    entry_city: int | None = None
    review_round: int | None = None

    @property
    def webs(self) -> list[Proc]:
        return [p for name, p in self.cluster.procs.items() if name.startswith("web")]

    def web(self, index: int) -> Proc:
        return self.webs[index % len(self.webs)]

    def timed(self, stage: str):
        chain = self

        class _Timer:
            def __enter__(self):
                self.started = time.perf_counter()

            def __exit__(self, *exc):
                if exc[0] is None:
                    chain.timings[stage] = time.perf_counter() - self.started

        return _Timer()

    def login(self, *names: str) -> None:
        for index, name in enumerate(names):
            user = self.users.setdefault(name, User(name))
            user.login(self.web(index), self.seed["password"])

    # --- teacher -----------------------------------------------------------------------------

    def start_package(self, teacher: str = "teacher", title: str = "亿以内数的认识") -> int:
        created = self.users[teacher].post(
            self.web(0),
            "/submissions",
            {
                "campaign_id": self.seed["campaign"],
                "category_id": self.seed["category"],
                "node_id": self.seed["lesson"],
                "title": title,
            },
        )
        return created["id"]

    def material_metadata(self, submission: int, code: str, filename: str, filetype: str):
        return {
            "purpose": "material",
            "filename": filename,
            "filetype": filetype,
            "submission": str(submission),
            "requirement": str(self.seed["requirements"][code]),
            "period": "1",
        }

    def upload_package(self, video: bytes, chunk: int) -> None:
        teacher = self.users["teacher"]
        self.submission = self.start_package()
        with self.timed("upload"):
            for code in ("teaching_design", "courseware"):
                meta = self.material_metadata(
                    self.submission, code, f"{code}.pdf", "application/pdf"
                )
                teacher.upload(self.webs, PDF, meta, chunk)
            meta = self.material_metadata(
                self.submission, "classroom_recording", "课堂实录.mp4", "video/mp4"
            )
            self.video_upload = teacher.upload(self.webs, video, meta, chunk)

    def slots(self, teacher: str = "teacher", submission: int | None = None) -> list[dict]:
        detail = self.users[teacher].get(
            self.web(1), f"/submissions/{submission or self.submission}"
        )
        return detail["materials"]

    def wait_checks(
        self, teacher: str = "teacher", submission: int | None = None, timeout: float = 120
    ) -> list[dict]:
        def done():
            slots = [s for s in self.slots(teacher, submission) if s["upload"]]
            finished = all(s["state"] in ("passed", "warned", "failed") for s in slots)
            return slots if slots and finished else None

        return wait_for("the checks", done, timeout)

    def check_package(self) -> list[dict]:
        with self.timed("check"):
            return self.wait_checks()

    def find_video_material(self) -> int:
        page = expect(
            self.users["teacher"].page(self.web(0), f"/my/submissions/{self.submission}/"), 200
        )
        found = _PLAY.search(page.text)
        if not found:
            raise ChainError("the package page shows no player")
        self.video_material = int(found.group(1))
        return self.video_material

    def wait_rendition(self, timeout: float = 180) -> str:
        """Until the HLS master playlist is served (the rendition comes before it)."""
        teacher = self.users["teacher"]
        material = self.video_material or self.find_video_material()

        def master():
            response = teacher.page(self.web(1), f"/materials/{material}/hls/master.m3u8")
            return response.text if response.status_code == 200 else None

        with self.timed("rendition_hls"):
            return wait_for("the HLS ladder", master, timeout, step=0.5)

    def play(self) -> tuple[requests.Response, requests.Response]:
        """The player's MP4 request: a redirect to a presigned URL, then a Range read there."""
        teacher = self.users["teacher"]
        with self.timed("playback_first_byte"):
            redirect = teacher.page(
                self.web(0), f"/materials/{self.video_material}/play.mp4", allow_redirects=False
            )
            expect(redirect, 302)
            ranged = requests.get(
                redirect.headers["Location"], headers={"Range": "bytes=0-1023"}, stream=True
            )
            next(ranged.iter_content(1))
        ranged.close()
        return redirect, requests.get(
            redirect.headers["Location"], headers={"Range": "bytes=0-1023"}
        )

    def submit(self, teacher: str = "teacher", submission: int | None = None) -> dict:
        user = self.users[teacher]
        sid = submission or self.submission
        user.post(self.web(0), f"/submissions/{sid}/originality")
        return user.post(self.web(1), f"/submissions/{sid}/submit")

    # --- recommendation ----------------------------------------------------------------------

    def _entry(self, admin: str, level: str) -> dict:
        listed = self.users[admin].get(
            self.web(0),
            "/selection/entries",
            campaign=self.seed["campaign"],
            level=self.seed["levels"][level],
        )
        items = [e for e in listed["items"] if e["submission_id"] == self.submission]
        if len(items) != 1:
            raise ChainError(f"{admin} sees {listed['items']} at {level}")
        return items[0]

    def recommend(self) -> None:
        with self.timed("recommendation"):
            for admin, level in (("school", "school"), ("county", "county")):
                entry = self._entry(admin, level)
                self.users[admin].post(self.web(1), f"/selection/entries/{entry['id']}/recommend")
                self.users[admin].post(
                    self.web(0),
                    "/selection/lists/confirm",
                    {
                        "campaign": self.seed["campaign"],
                        "level": self.seed["levels"][level],
                        "unit": self.seed["units"][level],
                    },
                )
            self.entry_city = self._entry("city", "city")["id"]

    # --- review and awards -------------------------------------------------------------------

    def review(self) -> dict:
        city, expert = self.users["city"], self.users["expert"]
        with self.timed("review"):
            deadline = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=5)
            created = city.post(
                self.web(0),
                "/reviews/rounds",
                {
                    "campaign": self.seed["campaign"],
                    "level": self.seed["levels"]["city"],
                    "unit": self.seed["units"]["city"],
                    "name": "市级评审",
                    "reviews_per_entry": 1,
                    "deadline": deadline.isoformat(),
                    "blind": False,
                },
            )
            self.review_round = rid = created["id"]
            city.post(
                self.web(1), f"/reviews/rounds/{rid}/experts", {"expert": self.seed["expert"]}
            )
            city.post(self.web(0), f"/reviews/rounds/{rid}/open")
            city.post(
                self.web(1),
                f"/reviews/rounds/{rid}/assignments",
                {"entry": self.entry_city, "expert": self.seed["expert"]},
            )
            queue = expert.get(self.web(0), "/reviews/assignments")["items"]
            if len(queue) != 1:
                raise ChainError(f"the expert's queue is {queue}")
            detail = expert.get(self.web(1), f"/reviews/assignments/{queue[0]['id']}")
            scores = [
                {"criterion": c["id"], "points": 0 if c["is_veto"] else c["points"] - 1}
                for c in detail["criteria"]
            ]
            checklist = [{"item": c["item"], "confirmed": True} for c in detail["checklist"]]
            saved = expert.post(
                self.web(0),
                f"/reviews/assignments/{queue[0]['id']}/scores",
                {"scores": scores, "comment": "结构清晰。", "submit": True, "checklist": checklist},
            )
            city.post(self.web(1), f"/reviews/rounds/{rid}/close")
        return saved

    def award(self) -> list[dict]:
        city = self.users["city"]
        with self.timed("awards"):
            proposal = city.get(
                self.web(0), f"/selection/rounds/{self.review_round}/awards/proposal"
            )
            rows = [
                {"entry": r["entry_id"], "grade": r["grade"]["id"]}
                for r in proposal["rows"]
                if r["grade"]
            ]
            return city.post(
                self.web(1), f"/selection/rounds/{self.review_round}/awards", {"awards": rows}
            )
