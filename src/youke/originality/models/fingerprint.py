"""Fingerprints of checked materials and their look-up keys (an inverted index in a table)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VideoFingerprint(models.Model):
    """64-bit frame hashes of one video, one per ``step`` seconds, as big-endian bytes."""

    material = models.OneToOneField(
        "submissions.Material", on_delete=models.CASCADE, related_name="video_fingerprint"
    )
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="+"
    )
    # The bytes the hashes belong to: a replaced file is fingerprinted again.
    sha256 = models.CharField(max_length=64)
    hashes = models.BinaryField()
    # Grey-level spread per sample (0–255, one byte each): low means black or empty.
    detail = models.BinaryField()
    step = models.FloatField(default=1.0)
    duration = models.FloatField(default=0.0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("视频指纹")
        verbose_name_plural = _("视频指纹")

    def __str__(self) -> str:
        return f"video {self.material_id}"


class VideoKey(models.Model):
    """One 16-bit band of a sampled frame hash (band number in bits 16–17): a video is a
    candidate for another when they share keys; the hashes then decide."""

    key = models.IntegerField()
    fingerprint = models.ForeignKey(VideoFingerprint, on_delete=models.CASCADE, related_name="keys")

    class Meta:
        indexes = [models.Index(fields=["key", "fingerprint"], name="videokey_lookup")]
        constraints = [
            models.UniqueConstraint(fields=["fingerprint", "key"], name="videokey_unique")
        ]

    def __str__(self) -> str:
        return f"{self.fingerprint_id}:{self.key}"


class AudioFingerprint(models.Model):
    """32-bit sub-fingerprints of a video's sound track (``domain.audio``), one per ``step``
    seconds, as big-endian bytes, with each frame's level; none for a silent or mute video."""

    material = models.OneToOneField(
        "submissions.Material", on_delete=models.CASCADE, related_name="audio_fingerprint"
    )
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="+"
    )
    sha256 = models.CharField(max_length=64)
    hashes = models.BinaryField()
    # Level per frame in dBFS + 100 (one byte each): quiet frames are silence, not evidence.
    loudness = models.BinaryField()
    # The least reliable bit positions per frame (``audio.WEAK`` bytes): flipped in a query.
    weak = models.BinaryField(default=b"")
    step = models.FloatField()
    duration = models.FloatField(default=0.0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("音频指纹")
        verbose_name_plural = _("音频指纹")

    def __str__(self) -> str:
        return f"audio {self.material_id}"


class AudioKey(models.Model):
    """One sampled sub-fingerprint (signed 32-bit) of a sound track: a candidate for another
    track when they share keys; the full sequences then decide."""

    key = models.IntegerField()
    fingerprint = models.ForeignKey(AudioFingerprint, on_delete=models.CASCADE, related_name="keys")

    class Meta:
        indexes = [models.Index(fields=["key", "fingerprint"], name="audiokey_lookup")]
        constraints = [
            models.UniqueConstraint(fields=["fingerprint", "key"], name="audiokey_unique")
        ]

    def __str__(self) -> str:
        return f"{self.fingerprint_id}:{self.key}"


class DocumentFingerprint(models.Model):
    material = models.OneToOneField(
        "submissions.Material", on_delete=models.CASCADE, related_name="document_fingerprint"
    )
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="+"
    )
    # Shingles shared by many packages of one course node (the textbook passage) weigh little.
    node = models.ForeignKey("catalog.CourseNode", on_delete=models.CASCADE, related_name="+")
    sha256 = models.CharField(max_length=64)
    text = models.TextField(blank=True)  # normalised, bounded (text.MAX_TEXT)
    signature = models.BinaryField()  # MinHash, text.PERMUTATIONS × uint32
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("文档指纹")
        verbose_name_plural = _("文档指纹")
        indexes = [models.Index(fields=["node"], name="docfp_node")]

    def __str__(self) -> str:
        return f"document {self.material_id}"


class DocumentKey(models.Model):
    """One MinHash LSH band of a document."""

    key = models.BigIntegerField()
    fingerprint = models.ForeignKey(
        DocumentFingerprint, on_delete=models.CASCADE, related_name="keys"
    )

    class Meta:
        indexes = [models.Index(fields=["key", "fingerprint"], name="dockey_lookup")]

    def __str__(self) -> str:
        return f"{self.fingerprint_id}:{self.key}"
