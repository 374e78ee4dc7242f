"""Video processing with PyAV, free of Django models: probing, spec checks, posters,
playback renditions and generated sample files.

- ``probe.probe(path)`` → ``ProbeResult`` (headers only, in a time-limited child process)
- ``spec.check(probe, rules)`` → ``RuleResult`` per rule; ``spec.overall_state(results)``
- ``poster.extract_poster`` / ``poster.extract_thumbnails`` → JPEG files
- ``rendition.make_rendition`` → H.264/AAC MP4 with faststart
- ``samples`` → real small files for tests, the demo and benchmarks

Every refusal is an ``errors.MediaError`` with a code and a Chinese reason and fix.
"""
