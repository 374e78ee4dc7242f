"""Video probe + spec check on a 1 GB mp4, and transcoding speed (BRIEF §8, issue 3).

    .venv/bin/python bench/bench_probe.py                 # generate (once) and measure
    .venv/bin/python bench/bench_probe.py --regenerate --transcode-seconds 60

1. Builds ``bench/out/probe_1gb.mp4`` (moov at the end, as FFmpeg and many editors write it)
   and ``probe_1gb_faststart.mp4`` (moov first): a 20 s 1080p25 H.264 segment at ~8 Mbit/s
   plus AAC 128 kbit/s — a micro-lesson export per R3a — remuxed end to end until the file
   reaches just under 1 GiB (about 17 minutes of video). Reused on later runs unless
   ``--regenerate``.
2. Times ``probe()`` (isolated child process, the production path, and in-process) and
   ``check()`` against the R3a preset: first run and median of ``--repeat`` runs.
3. Transcodes a generated 720p25 clip (``--transcode-seconds``, default 120) to the 720p
   playback rendition and reports seconds of video per wall second and per CPU-second
   (user+sys of all encoder threads, i.e. per core).

The picture is FFmpeg's testsrc2 with temporal grain, so the encoder has real work to do;
it is synthetic, so read transcoding figures as an estimate for camera footage.
Figures go to stdout and ``bench/out/probe.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT_DIR, median, setup_django, table  # noqa: E402

GIB = 1024**3


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def build_big_file(path: Path, *, target_bytes: int, faststart_path: Path) -> dict:
    import av

    from youke.media.processing import samples

    started = time.perf_counter()
    segment = path.with_name("probe_segment.mp4")
    samples.make_video(
        segment,
        width=1920,
        height=1080,
        seconds=20,
        bitrate=8_000_000,
        audio_bitrate=128_000,
        noise=True,
    )
    encoded = time.perf_counter() - started
    # Just under the target, so the R3a 1 GB limit passes and the state shows the warnings.
    copies = max(1, target_bytes // segment.stat().st_size)
    for out_path, options in ((path, {}), (faststart_path, {"movflags": "+faststart"})):
        tmp = out_path.with_name(out_path.name + ".part")
        with (
            av.open(str(segment)) as src,
            av.open(str(tmp), "w", format="mp4", options=options) as out,
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
        os.replace(tmp, out_path)
    segment.unlink()
    return {
        "segment_encode_s": round(encoded, 1),
        "copies": copies,
        "build_s": round(time.perf_counter() - started, 1),
    }


def time_probe(path: Path, repeat: int) -> list[list[object]]:
    from youke.media.processing.probe import probe
    from youke.media.processing.spec import check, overall_state, preset_rules

    rules = preset_rules("micro_lesson_primary")
    rows = []
    for label, isolated in (("probe, child process", True), ("probe, in-process", False)):
        probe_times, check_times = [], []
        for _ in range(repeat):
            t0 = time.perf_counter()
            result = probe(path, isolated=isolated)
            t1 = time.perf_counter()
            results = check(result, rules, max_bytes=GIB + 100 * 1024**2)
            t2 = time.perf_counter()
            probe_times.append(t1 - t0)
            check_times.append(t2 - t1)
        totals = [p + c for p, c in zip(probe_times, check_times, strict=True)]
        rows.append(
            [
                f"{path.name}: {label}",
                probe_times[0] * 1000,
                median(probe_times) * 1000,
                median(check_times) * 1000,
                median(totals) * 1000,
                overall_state(results),
            ]
        )
    return rows, result


def time_transcode(seconds: float, workdir: Path) -> dict:
    from youke.media.processing import samples
    from youke.media.processing.probe import probe
    from youke.media.processing.rendition import make_rendition

    source = workdir / "clip_720p.mp4"
    t0 = time.perf_counter()
    samples.make_video(
        source, width=1280, height=720, seconds=seconds, bitrate=4_000_000, noise=True
    )
    generated = time.perf_counter() - t0
    out = workdir / "clip_720p_rendition.mp4"
    cpu0 = _cpu(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    speed = make_rendition(source, out, max_height=720)
    wall = time.perf_counter() - t0
    cpu = _cpu(resource.RUSAGE_SELF) - cpu0
    result = probe(out)
    return {
        "clip_seconds": seconds,
        "generate_s": round(generated, 1),
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "speed_x": round(speed, 2),
        "per_core_x": round(result.duration_seconds / cpu, 2),
        "cores_busy": round(cpu / wall, 2),
        "output": f"{result.video_codec}/{result.audio_codec} {result.resolution} "
        f"{result.video_bitrate / 1e6:.2f} Mbit/s",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--regenerate", action="store_true", help="rebuild the 1 GB files")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--target-mb", type=int, default=1024)
    parser.add_argument("--transcode-seconds", type=float, default=120)
    parser.add_argument("--skip-transcode", action="store_true")
    parser.add_argument("--out", type=Path, default=OUT_DIR / "probe.json")
    args = parser.parse_args()

    setup_django(OUT_DIR / "media-bench")
    big = OUT_DIR / "probe_1gb.mp4"
    faststart = OUT_DIR / "probe_1gb_faststart.mp4"
    report: dict = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load_before": os.getloadavg(),
    }
    import av

    report["machine"]["pyav"] = av.__version__
    report["machine"]["ffmpeg"] = av.ffmpeg_version_info
    if args.regenerate or not (big.exists() and faststart.exists()):
        print(f"building {big.name} and {faststart.name} …", flush=True)
        report["build"] = build_big_file(
            big, target_bytes=args.target_mb * 1024**2, faststart_path=faststart
        )
        print(f"  {report['build']}")

    rows = []
    for path in (big, faststart):
        path_rows, result = time_probe(path, args.repeat)
        rows += path_rows
    report["file"] = {
        "size_bytes": result.size_bytes,
        "duration_s": result.duration_seconds,
        "video": f"{result.video_codec} {result.resolution} {result.frame_rate} fps "
        f"{result.video_bitrate / 1e6:.2f} Mbit/s",
        "audio": f"{result.audio_codec} {result.audio_bitrate / 1000:.0f} kbit/s",
    }
    print(
        f"\n1 GB mp4: {result.size_bytes / GIB:.2f} GiB, {result.duration_seconds / 60:.1f} min, "
        f"{report['file']['video']}, {report['file']['audio']}\n"
    )
    headers = [
        "probe + check (R3a preset)",
        "first ms",
        "probe p50 ms",
        "check p50 ms",
        "total p50 ms",
        "state",
    ]
    print(table(headers, rows))
    report["probe"] = [dict(zip(headers, row, strict=True)) for row in rows]
    print("target (BRIEF §8): ≤ 1000 ms")

    if not args.skip_transcode:
        print(f"\ntranscoding a {args.transcode_seconds:g} s 720p25 clip to the 720p rendition …")
        with tempfile.TemporaryDirectory(dir=OUT_DIR) as workdir:
            report["transcode"] = time_transcode(args.transcode_seconds, Path(workdir))
        tr = report["transcode"]
        print(
            table(
                [
                    "clip s",
                    "wall s",
                    "cpu s",
                    "video s / wall s",
                    "video s / cpu s (per core)",
                    "cores busy",
                    "output",
                ],
                [
                    [
                        tr["clip_seconds"],
                        tr["wall_s"],
                        tr["cpu_s"],
                        tr["speed_x"],
                        tr["per_core_x"],
                        tr["cores_busy"],
                        tr["output"],
                    ]
                ],
            )
        )
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"\nwritten {args.out}")


if __name__ == "__main__":
    main()
