"""Issue 8 item 10: the whole chain on two web processes and two workers over shared services.

Redis (jobs, cache), PostgreSQL (a database of its own, created and dropped here) and a moto S3
server (a real HTTP S3-compatible server, started as a process) are shared; the web processes
(`youke serve --no-worker`) and the workers (`youke worker`) share nothing else. One module-
scoped cluster serves the three tests below, in order: the chain, a web process killed in the
middle of an upload, a worker killed in the middle of a check.
"""

from __future__ import annotations

import time

import pytest

from tests.integration import cluster as services
from tests.integration.chain import PDF, Chain, expect, sha256, wait_for

pytestmark = pytest.mark.skipif(
    bool(services.unavailable()),
    reason=f"needs Redis, PostgreSQL and moto: {services.unavailable()}",
)

KILLED_CHECK = "课堂实录-重试.mp4"
PAUSE_SECONDS = 3
CHUNK = 256 * 1024


@pytest.fixture(scope="module")
def videos(tmp_path_factory):
    from youke.media.processing.samples import make_video

    folder = tmp_path_factory.mktemp("videos")
    return {
        "chain": make_video(
            folder / "chain.mp4", width=1280, height=720, seconds=2, bitrate=1_500_000
        ).read_bytes(),
        "second": make_video(
            folder / "second.mp4", width=1280, height=720, seconds=3, bitrate=1_500_000
        ).read_bytes(),
    }


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("multiproc")
    extra = {"YOUKE_TEST_PAUSE_CHECK_OF": KILLED_CHECK, "YOUKE_TEST_PAUSE_SECONDS": "3"}
    started = time.perf_counter()
    with services.Cluster(workdir, extra_env=extra) as running:
        print(f"cluster up in {time.perf_counter() - started:.1f} s")
        yield running


@pytest.fixture(scope="module")
def chain(cluster):
    seeded = cluster.python("tests.integration.seed")
    chain = Chain(cluster, seeded)
    chain.login("teacher", "teacher2", "school", "school2", "county", "city", "expert")
    return chain


def test_whole_chain_on_two_web_processes_and_two_workers(cluster, chain, videos):
    video = videos["chain"]
    chain.upload_package(video, CHUNK)

    slots = chain.check_package()
    by_code = {s["requirement"]["code"]: s for s in slots}
    assert {code: s["state"] for code, s in by_code.items()} == {
        "teaching_design": "passed",
        "courseware": "passed",
        "classroom_recording": "passed",
    }
    recording = by_code["classroom_recording"]
    assert recording["upload"]["sha256"] == sha256(video)
    assert (recording["media"]["width"], recording["media"]["height"]) == (1280, 720)

    master = chain.wait_rendition()
    assert master.startswith("#EXTM3U") and "720/index.m3u8" in master

    # Playback: the web process answers a redirect to a presigned URL on the S3 server,
    # which answers the byte range itself.
    redirect, ranged = chain.play()
    location = redirect.headers["Location"]
    assert location.startswith(f"{cluster.s3_url}/{services.BUCKET}/")
    assert "X-Amz-Algorithm=AWS4-HMAC-SHA256" in location and "X-Amz-Signature=" in location
    assert ranged.status_code == 206
    assert ranged.headers["Content-Range"].startswith("bytes 0-1023/")
    report = cluster.python("tests.integration.report")
    rendition = report["assets"]["课堂实录.mp4"]["rendition"]
    assert ranged.content == cluster.bucket_object(rendition)[:1024]
    assert len(ranged.content) == 1024

    submitted = chain.submit()
    assert submitted["state"] == "submitted"
    chain.recommend()
    scored = chain.review()
    assert scored["state"] == "submitted"
    awards = chain.award()
    assert [(a["title"], a["grade"]["name"], a["active"]) for a in awards] == [
        ("亿以内数的认识", "市级一等奖", True)
    ]

    final = cluster.python("tests.integration.report")
    assert final["submissions"] == {"亿以内数的认识": "submitted"}
    print("stage seconds:", {k: round(v, 2) for k, v in chain.timings.items()})
    assert final["entries"] == [
        ["亿以内数的认识", "city", "pending"],
        ["亿以内数的认识", "county", "recommended"],
        ["亿以内数的认识", "school", "recommended"],
    ]
    assert final["rounds"] == [["市级评审", "closed"]]
    assert final["scores"] > 0
    assert final["awards"] == [["亿以内数的认识", "市级一等奖", True]]

    # Every file lives in the bucket, nothing in the data folder's media directory.
    keys = cluster.bucket_keys()
    asset = final["assets"]["课堂实录.mp4"]
    stored = [u["storage_name"] for u in final["uploads"].values()]
    stored += [asset["poster"], asset["rendition"], asset["hls_master"], *asset["thumbnails"]]
    assert all(name and name in keys for name in stored), (stored, sorted(keys))
    assert keys[final["uploads"]["课堂实录.mp4"]["storage_name"]] == len(video)
    assert any(k.startswith(asset["hls_master"].rsplit("/", 1)[0] + "/720/") for k in keys)
    assert cluster.local_media_files() == []
    assert sha256(cluster.bucket_object(final["uploads"]["课堂实录.mp4"]["storage_name"])) == (
        sha256(video)
    )


def test_upload_survives_a_killed_web_process(cluster, chain, videos):
    """web1 dies (SIGKILL) in the middle of a chunk; web2 resumes where the bytes stopped."""
    teacher = chain.users["teacher2"]
    submission = chain.start_package("teacher2", "亿以内数的读法")
    video = videos["second"]
    web1, web2 = cluster.procs["web1"], cluster.procs["web2"]
    meta = chain.material_metadata(submission, "classroom_recording", "重传.mp4", "video/mp4")
    location = teacher.tus_create(web1, len(video), meta)
    first = teacher.tus_patch(web1, location, 0, video[:CHUNK])
    assert first == CHUNK

    piece = video[CHUNK : CHUNK + 4 * CHUNK]
    teacher.tus_patch_cut(web1, location, CHUNK, piece, sent=2 * CHUNK, on_cut=web1.kill)
    assert web1.popen.poll() is not None

    offset = teacher.tus_offset(web2, location)
    # What reached the server before it died is kept (never more than was sent).
    assert CHUNK <= offset <= 3 * CHUNK
    while offset < len(video):
        offset = teacher.tus_patch(web2, location, offset, video[offset : offset + CHUNK])
    status = teacher.session.get(f"{web2.url}{location}/status").json()
    assert (status["state"], status["offset"]) == ("complete", len(video))
    assert status["sha256"] == sha256(video)

    cluster.restart("web1")
    expect(teacher.page(cluster.procs["web1"], "/api/v1/health"), 200)
    slots = chain.wait_checks("teacher2", submission)
    recording = next(s for s in slots if s["requirement"]["code"] == "classroom_recording")
    assert recording["state"] == "passed"
    key = cluster.python("tests.integration.report")["uploads"]["重传.mp4"]["storage_name"]
    assert sha256(cluster.bucket_object(key)) == sha256(video)


def test_check_is_redelivered_when_its_worker_is_killed(cluster, chain, videos):
    """The worker holding a check dies (SIGKILL); Redis hands the job to the other worker."""
    teacher = chain.users["teacher2"]
    submission = chain.start_package("teacher2", "大数的改写")
    meta = chain.material_metadata(submission, "classroom_recording", KILLED_CHECK, "video/mp4")
    video = videos["chain"]
    teacher.upload(chain.webs, video, meta, CHUNK)
    for code in ("teaching_design", "courseware"):
        meta = chain.material_metadata(submission, code, f"{code}-2.pdf", "application/pdf")
        teacher.upload(chain.webs, PDF, meta, CHUNK)

    workers = [p for name, p in cluster.procs.items() if name.startswith("worker")]
    holder = wait_for(
        "a worker to start the check",
        lambda: next((w for w in workers if "paused check of material" in w.log_text()), None),
        timeout=60,
        step=0.05,
    )
    other = next(w for w in workers if w is not holder)
    assert "paused check of material" not in other.log_text()
    processing = [s for s in chain.slots("teacher2", submission) if s["upload"]]
    assert any(s["state"] == "processing" for s in processing)
    holder.kill()

    slots = chain.wait_checks("teacher2", submission, timeout=90)
    recording = next(s for s in slots if s["requirement"]["code"] == "classroom_recording")
    assert recording["state"] == "passed"
    assert "paused check of material" in other.log_text()  # the redelivered check ran there
    asset = cluster.python("tests.integration.report")["assets"][KILLED_CHECK]
    assert asset["attempts"] == 2 and asset["state"] == "passed"
    cluster.restart(holder.name)


def test_the_chain_left_nothing_outside_the_bucket(cluster, chain):
    assert cluster.local_media_files() == []
    # Unfinished uploads live as parts in the bucket; every upload here finished.
    assert [k for k in cluster.bucket_keys() if k.startswith("uploads/parts/")] == []
    assert not list(cluster.data_dir.rglob("partial"))
