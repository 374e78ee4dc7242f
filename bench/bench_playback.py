"""Playback of a ~1 GB lesson over loopback, and HLS ladder speed (issue 7 item 8).

    .venv/bin/python bench/bench_playback.py
    .venv/bin/python bench/bench_playback.py --regenerate --ladder-seconds 30

1. Builds ``bench/out/playback_1g.mp4`` once (reused later unless ``--regenerate``): a real
   20 s 1080p25 H.264 segment at ~7 Mbit/s (moving pattern with grain) plus AAC, remuxed end
   to end (stream copy, no padding) to just under 1 GiB: about 20 minutes, moov up front.
2. Attaches it to a teacher's package in a scratch data dir (default ``bench/out/playback``)
   as a checked micro-lesson video, and cuts its 1080p HLS rung by stream copy (the same
   ``remux_rung`` that reuses the 720p rendition), so the seek can be measured on HLS too.
3. Starts ``youke serve --no-worker`` on a free loopback port, logs in as the teacher, and
   measures through the access-checked player routes:
   - progressive MP4: time to first byte, and time to the first decoded frame (PyAV reading
     over HTTP, as a player does: moov, then the first samples, by Range requests);
   - seek to minute 18: a Range request at the byte offset of the keyframe at 18:00 (first
     byte, and 2 MiB), and PyAV seeking over HTTP to 18:00 and decoding a frame;
   - HLS: master + variant playlist + the segment that holds 18:00, and its first frame.
4. Encodes the ladder (360/720/1080, preset veryfast) from a ``--ladder-seconds`` 1080p clip
   and reports seconds of wall time per minute of video, with and without reusing a 720p
   rendition for the 720p rung.

Prints tables and writes ``bench/out/playback.json``. The server is stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH_PASSWORD, OUT_DIR, median, setup_django, stop_on_signal, table  # noqa: E402

GIB = 1024**3
MIB = 1024**2
SEEK_SECONDS = 18 * 60


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=OUT_DIR / "playback")
    parser.add_argument("--file", type=Path, default=OUT_DIR / "playback_1g.mp4")
    parser.add_argument("--out", type=Path, default=OUT_DIR / "playback.json")
    parser.add_argument("--target", type=int, default=GIB - 16 * MIB, help="bytes")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--ladder-seconds", type=float, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    return parser.parse_args(argv)


# --- the lesson ------------------------------------------------------------------------------


def build_lesson(path: Path, target: int) -> dict:
    import av

    from youke.media.processing import samples

    started = time.perf_counter()
    segment = path.with_name("playback_segment.mp4")
    samples.make_video(
        segment,
        width=1920,
        height=1080,
        seconds=20,
        bitrate=7_000_000,
        audio_bitrate=128_000,
        noise=True,
    )
    encoded = time.perf_counter() - started
    copies = max(1, target // segment.stat().st_size)
    tmp = path.with_name(path.name + ".part")
    with (
        av.open(str(segment)) as src,
        av.open(str(tmp), "w", format="mp4", options={"movflags": "+faststart"}) as out,
    ):
        streams = {s.index: out.add_stream_from_template(s) for s in src.streams}
        length = {s.index: s.duration for s in src.streams}
        for copy in range(copies):
            src.seek(0)
            for packet in src.demux():
                if packet.dts is None:
                    continue
                shift = copy * length[packet.stream.index]
                packet.pts += shift
                packet.dts += shift
                packet.stream = streams[packet.stream.index]
                out.mux(packet)
    os.replace(tmp, path)
    segment.unlink()
    return {"segment_encode_s": round(encoded, 1), "copies": copies}


def attach(lesson: Path) -> dict:
    """The lesson as a checked video of the bench teacher's package, with a 1080p HLS rung."""
    from django.conf import settings
    from django.utils import timezone

    from bench_upload import TEACHER, ensure_data
    from youke.media.domain.ladder import store_rung, write_master
    from youke.media.models import MediaAsset, Upload
    from youke.media.processing import hls
    from youke.media.processing.probe import probe
    from youke.orgs.models import Person
    from youke.submissions.models import Material

    data = ensure_data()
    teacher = Person.objects.get(username=TEACHER)
    name = "uploads/bench/playback_1g.mp4"
    stored = Path(settings.MEDIA_ROOT) / name
    stored.parent.mkdir(parents=True, exist_ok=True)
    if not stored.exists() or stored.stat().st_size != lesson.stat().st_size:
        stored.unlink(missing_ok=True)
        try:
            os.link(lesson, stored)
        except OSError:
            shutil.copyfile(lesson, stored)
    result = probe(stored, isolated=False)
    Material.objects.filter(
        submission_id=data["submission"], requirement_id=data["requirement"], period=1
    ).delete()
    upload = Upload.objects.create(
        owner=teacher,
        purpose="material",
        filename="第1课时.mp4",
        length=stored.stat().st_size,
        offset=stored.stat().st_size,
        content_type="video/mp4",
        storage_name=name,
        state="complete",
        completed_at=timezone.now(),
    )
    material = Material.objects.create(
        submission_id=data["submission"],
        requirement_id=data["requirement"],
        period=1,
        upload=upload,
        check_state="passed",
    )
    started = time.perf_counter()
    prefix = f"media/hls/{upload.pk}/"
    with tempfile.TemporaryDirectory() as tmp:
        rung = hls.remux_rung(stored, tmp, 1080)
        store_rung(Path(tmp) / "1080", prefix)
    master = write_master(prefix, {1080: rung})
    remuxed = time.perf_counter() - started
    MediaAsset.objects.create(
        upload=upload,
        state="passed",
        width=result.width,
        height=result.height,
        duration_seconds=round(result.duration_seconds, 3),
        video_codec=result.video_codec,
        hls_master=master,
        hls_heights=[1080],
    )
    return {
        "material": material.pk,
        "duration_s": round(result.duration_seconds, 1),
        "hls_remux_s": round(remuxed, 1),
    }


# --- measurements ------------------------------------------------------------------------------


def keyframe_offset(path: Path, seconds: float) -> int:
    """Byte offset of the keyframe at or before ``seconds`` (what a player's seek asks for)."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        container.seek(int(seconds / stream.time_base), stream=stream, backward=True)
        for packet in container.demux(stream):
            if packet.pos is not None and packet.pos >= 0:
                return packet.pos
    raise RuntimeError("no packet after the seek")


def range_get(port: int, url: str, cookie: str, first: int, last: int) -> tuple[float, float, int]:
    """(seconds to first byte, seconds to the whole range, status) of one Range request."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    conn.request("GET", url, headers={"Cookie": cookie, "Range": f"bytes={first}-{last}"})
    response = conn.getresponse()
    response.read(1)
    ttfb = time.perf_counter() - started
    rest = response.read()
    total = time.perf_counter() - started
    conn.close()
    if response.status != 206 or len(rest) + 1 != last - first + 1:
        raise RuntimeError(f"{url}: HTTP {response.status}, {len(rest) + 1} bytes")
    return ttfb, total, response.status


def get(port: int, url: str, cookie: str) -> tuple[float, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    conn.request("GET", url, headers={"Cookie": cookie})
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"{url}: HTTP {response.status}")
    return elapsed, body


def first_frame_over_http(port: int, url: str, cookie: str, at: float | None) -> float:
    """Open the MP4 over HTTP with FFmpeg (Range requests), optionally seek, decode a frame."""
    import av

    started = time.perf_counter()
    options = {"headers": f"Cookie: {cookie}\r\n", "seekable": "1"}
    with av.open(f"http://127.0.0.1:{port}{url}", options=options) as container:
        stream = container.streams.video[0]
        if at is not None:
            container.seek(int(at / stream.time_base), stream=stream, backward=True)
        for frame in container.decode(stream):
            if frame is not None:
                break
    return time.perf_counter() - started


def measure_http(port: int, cookie: str, lesson: Path, material: int, repeat: int) -> list:
    from youke.media.processing import hls

    play = f"/materials/{material}/play.mp4"
    offset = keyframe_offset(lesson, SEEK_SECONDS)
    rows = []
    samples: dict[str, list[float]] = {}

    def note(label, value):
        samples.setdefault(label, []).append(value * 1000)

    for _ in range(repeat):
        ttfb, _total, _ = range_get(port, play, cookie, 0, 64 * 1024 - 1)
        note("MP4 start: first byte (Range 0-64 KiB)", ttfb)
        note(
            "MP4 start: first frame (FFmpeg over HTTP)",
            first_frame_over_http(port, play, cookie, None),
        )
        ttfb, total, _ = range_get(port, play, cookie, offset, offset + 2 * MIB - 1)
        note("MP4 seek 18:00: first byte (Range at keyframe)", ttfb)
        note("MP4 seek 18:00: 2 MiB from the keyframe", total)
        note(
            "MP4 seek 18:00: first frame (FFmpeg over HTTP)",
            first_frame_over_http(port, play, cookie, SEEK_SECONDS),
        )
        started = time.perf_counter()
        base = f"/materials/{material}/hls/"
        get(port, base + "master.m3u8", cookie)
        _t, variant = get(port, base + "1080/index.m3u8", cookie)
        clock, name = 0.0, None
        for seconds, segment in hls.parse_variant(variant.decode()):
            if clock + seconds > SEEK_SECONDS:
                name = segment
                break
            clock += seconds
        _t, data = get(port, base + "1080/" + name, cookie)
        fetched = time.perf_counter() - started
        note("HLS seek 18:00: playlists + segment", fetched)
        with tempfile.NamedTemporaryFile(suffix=".ts") as handle:
            handle.write(data)
            handle.flush()
            import av

            with av.open(handle.name) as container:
                next(container.decode(video=0))
        note("HLS seek 18:00: + first frame decoded", time.perf_counter() - started)
    for label, values in samples.items():
        rows.append([label, min(values), median(values), max(values)])
    return rows, offset


def measure_ladder(seconds: float, workdir: Path) -> list:
    from youke.media.processing import hls, samples
    from youke.media.processing.rendition import make_rendition

    clip = workdir / "ladder_1080p.mp4"
    samples.make_video(
        clip, width=1920, height=1080, seconds=seconds, bitrate=7_000_000, noise=True
    )
    minutes = seconds / 60
    rows = []
    started = time.perf_counter()
    hls.encode_rungs(clip, workdir / "all", [360, 720, 1080])
    full = time.perf_counter() - started
    rows.append(["ladder 360+720+1080, one decode", full / minutes])
    started = time.perf_counter()
    make_rendition(clip, workdir / "r.mp4", max_height=720)
    rendition = time.perf_counter() - started
    rows.append(["720p progressive rendition (for comparison)", rendition / minutes])
    started = time.perf_counter()
    hls.encode_rungs(clip, workdir / "reuse", [360, 1080])
    hls.remux_rung(workdir / "r.mp4", workdir / "reuse", 720)
    reused = time.perf_counter() - started
    rows.append(["ladder with the 720p rung cut from the rendition", reused / minutes])
    rows.append(
        ["rendition + ladder (what the jobs do per upload)", (rendition + reused) / minutes]
    )
    return rows


def main() -> None:
    args = parse_args()
    signal.signal(signal.SIGTERM, stop_on_signal)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    setup_django(args.data_dir)
    from bench_orgs import Server, free_port, login
    from bench_upload import TEACHER

    built = {}
    if args.regenerate or not args.file.exists():
        print(f"building {args.file} (real 1080p video, stream-copied to ~1 GB) …")
        built = build_lesson(args.file, args.target)
    size = args.file.stat().st_size
    attached = attach(args.file)
    print(
        f"lesson: {size / MIB:,.0f} MiB, {attached['duration_s'] / 60:.1f} min, "
        f"1080p HLS rung by stream copy in {attached['hls_remux_s']} s {built}"
    )
    port = free_port()
    with Server(args.data_dir, port, OUT_DIR / "playback_server.log"):
        cookie = login(port, TEACHER, BENCH_PASSWORD)
        rows, offset = measure_http(port, cookie, args.file, attached["material"], args.repeat)
    print(f"\n== playback over loopback (keyframe of 18:00 at byte {offset:,}) ==")
    print(table(["measure", "min ms", "median ms", "max ms"], rows))
    with tempfile.TemporaryDirectory(prefix="youke-ladder-") as tmp:
        ladder = measure_ladder(args.ladder_seconds, Path(tmp))
    print(f"\n== HLS ladder on this machine ({os.cpu_count()} cores, preset veryfast) ==")
    print(table(["work", "wall s per minute of 1080p"], ladder))
    args.out.write_text(
        json.dumps(
            {
                "machine": platform.platform(),
                "cores": os.cpu_count(),
                "file_bytes": size,
                "attached": attached,
                "built": built,
                "seek_offset": offset,
                "playback_ms": rows,
                "ladder_s_per_minute": ladder,
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
