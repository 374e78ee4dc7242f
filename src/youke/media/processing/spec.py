"""Check a probed video against a material's specification (BRIEF R3, R3a).

A specification is a list of ``Rule`` rows stored with the campaign; each says whether a
failure blocks the upload or only warns reviewers. ``check`` returns one ``RuleResult`` per
rule with the measured and the required value and a Chinese message that tells the teacher
how to fix the file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from fractions import Fraction

from django.utils.translation import gettext as _

from youke.media.processing.codecs import codec_label, container_label
from youke.media.processing.probe import ProbeResult

BLOCKS = "blocks"
WARNS = "warns"
SEVERITIES = (BLOCKS, WARNS)

PASSED = "passed"
WARNED = "warned"
FAILED = "failed"

RULE_KEYS = (
    "min_width",
    "min_height",
    "exact_width",
    "exact_height",
    "aspect_ratio",
    "video_codec",
    "frame_rate",
    "min_video_bitrate",
    "max_video_bitrate",
    "audio_codec",
    "min_audio_bitrate",
    "min_duration_seconds",
    "max_duration_seconds",
    "container",
    "max_bytes",
)

# Relative tolerance when a rule gives none. Encoders land near, not on, a nominal bitrate
# (AAC "128k" measures 127.6k); exported durations and rates carry rounding.
DEFAULT_TOLERANCE = {
    "aspect_ratio": 0.01,
    "frame_rate": 0.01,
    "min_video_bitrate": 0.05,
    "max_video_bitrate": 0.05,
    "min_audio_bitrate": 0.05,
    "min_duration_seconds": 0.001,
    "max_duration_seconds": 0.001,
}

_CODEC_ALIASES = {
    "avc": "h264",
    "h.264": "h264",
    "x264": "h264",
    "h.265": "hevc",
    "h265": "hevc",
    "x265": "hevc",
    "mpeg-4": "mpeg4",
    "mpeg-2": "mpeg2video",
    "mpeg2": "mpeg2video",
}
_NAMED_RATIOS = {
    Fraction(16, 9): "16:9",
    Fraction(4, 3): "4:3",
    Fraction(9, 16): "9:16",
    Fraction(3, 4): "3:4",
    Fraction(1, 1): "1:1",
    Fraction(16, 10): "16:10",
    Fraction(64, 27): "21:9",
    Fraction(5, 4): "5:4",
    Fraction(3, 2): "3:2",
}
_SI = {"": 1, "k": 1000, "m": 1000**2, "g": 1000**3}
_BINARY = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


# The measure a floor is checked as: "exactly 1920 wide" has the floor "at least 1280 wide".
FLOOR_RULES = {
    "min_width": "min_width",
    "exact_width": "min_width",
    "min_height": "min_height",
    "exact_height": "min_height",
    "min_video_bitrate": "min_video_bitrate",
}


class RuleError(ValueError):
    """A rule that cannot be checked; the message names the rule and the fix for admins."""


@dataclass(frozen=True)
class Rule:
    rule: str
    value: str
    severity: str = BLOCKS
    # Relative (0.01 = 1 %); None means the rule's default.
    tolerance: float | None = None
    # A hard floor under a target (dimensions, video bitrate): below it the video is refused,
    # between floor and target it only warns. Floors are exact, no tolerance.
    floor: str | None = None

    def to_dict(self) -> dict:
        data = {"rule": self.rule, "value": self.value, "severity": self.severity}
        if self.tolerance is not None:
            data["tolerance"] = self.tolerance
        if self.floor:
            data["floor"] = self.floor
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Rule:
        return cls(
            rule=str(data["rule"]),
            value=str(data["value"]),
            severity=str(data.get("severity", BLOCKS)),
            tolerance=data.get("tolerance"),
            floor=data.get("floor"),
        )


@dataclass(frozen=True)
class RuleResult:
    rule: str
    label: str
    severity: str
    passed: bool
    actual: str
    expected: str
    message: str  # the whole sentence shown to the teacher: what is wrong and the fix
    fix: str = ""

    @property
    def outcome(self) -> str:
        """pass, warn (a failed "warns" rule) or fail (a failed "blocks" rule)."""
        if self.passed:
            return "pass"
        return "fail" if self.severity == BLOCKS else "warn"

    def to_dict(self) -> dict:
        return {**asdict(self), "outcome": self.outcome}


# --- parsing rule values --------------------------------------------------------------


def _parse_amount(value: str, multiples: dict[str, int]) -> float:
    text = value.strip().lower().replace(" ", "").replace(",", "")
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([kmg]?)(?:bit/s|bps|b/s|b|ib|bytes?)?", text)
    if not match:
        raise ValueError(value)
    return float(match.group(1)) * multiples[match.group(2)]


def _positive_int(value: str) -> int:
    number = int(value.strip())
    if number <= 0:
        raise ValueError(value)
    return number


def _bitrate(value: str) -> int:
    number = int(_parse_amount(value, _SI))
    if number <= 0:
        raise ValueError(value)
    return number


def _bytes(value: str) -> int:
    number = int(_parse_amount(value, _BINARY))
    if number <= 0:
        raise ValueError(value)
    return number


def _seconds(value: str) -> float:
    number = float(value.strip())
    if not number > 0 or math.isinf(number):
        raise ValueError(value)
    return number


def _fraction(value: str) -> Fraction:
    text = value.strip().replace("：", ":")
    if ":" in text:
        num, den = text.split(":", 1)
        result = Fraction(int(num), int(den))
    else:
        result = Fraction(text).limit_denominator(1001)
    if result <= 0:
        raise ValueError(value)
    return result


def _names(value: str) -> tuple[str, ...]:
    names = tuple(
        _CODEC_ALIASES.get(part.strip().lower(), part.strip().lower())
        for part in re.split(r"[,，、/|]", value)
        if part.strip()
    )
    if not names:
        raise ValueError(value)
    return names


_PARSERS: dict[str, Callable[[str], object]] = {
    "min_width": _positive_int,
    "min_height": _positive_int,
    "exact_width": _positive_int,
    "exact_height": _positive_int,
    "aspect_ratio": _fraction,
    "video_codec": _names,
    "frame_rate": _fraction,
    "min_video_bitrate": _bitrate,
    "max_video_bitrate": _bitrate,
    "audio_codec": _names,
    "min_audio_bitrate": _bitrate,
    "min_duration_seconds": _seconds,
    "max_duration_seconds": _seconds,
    "container": _names,
    "max_bytes": _bytes,
}


def rule_label(key: str) -> str:
    labels = {
        "min_width": _("分辨率（宽度下限）"),
        "min_height": _("分辨率（高度下限）"),
        "exact_width": _("分辨率（宽度）"),
        "exact_height": _("分辨率（高度）"),
        "aspect_ratio": _("画面比例"),
        "video_codec": _("视频编码"),
        "frame_rate": _("帧率"),
        "min_video_bitrate": _("视频码率（下限）"),
        "max_video_bitrate": _("视频码率（上限）"),
        "audio_codec": _("音频编码"),
        "min_audio_bitrate": _("音频码率"),
        "min_duration_seconds": _("时长（下限）"),
        "max_duration_seconds": _("时长（上限）"),
        "container": _("文件格式"),
        "max_bytes": _("文件大小"),
    }
    return labels.get(key, key)


def parse_value(rule: Rule) -> object:
    """The typed value of ``rule``; RuleError (Chinese, for the campaign form) if invalid."""
    if rule.rule not in _PARSERS:
        raise RuleError(
            _("未知的视频规格项“%(rule)s”，可选：%(keys)s。")
            % {"rule": rule.rule, "keys": "、".join(RULE_KEYS)}
        )
    if rule.severity not in SEVERITIES:
        raise RuleError(
            _("视频规格项“%(label)s”的处理方式只能是“不通过”（blocks）或“警告”（warns）。")
            % {"label": rule_label(rule.rule)}
        )
    if rule.tolerance is not None and not 0 <= rule.tolerance < 1:
        raise RuleError(
            _("视频规格项“%(label)s”的容差应在 0 到 1 之间（如 0.01 表示 1%%）。")
            % {"label": rule_label(rule.rule)}
        )
    try:
        parsed = _PARSERS[rule.rule](rule.value)
    except (ValueError, ZeroDivisionError, ArithmeticError):
        raise RuleError(
            _("视频规格项“%(label)s”的取值“%(value)s”无效，请重新填写。")
            % {"label": rule_label(rule.rule), "value": rule.value}
        ) from None
    if rule.floor:
        if rule.rule not in FLOOR_RULES:
            raise RuleError(
                _("“%(label)s”不能设置最低要求，只有分辨率和视频码率可以。")
                % {"label": rule_label(rule.rule)}
            )
        if parse_value(Rule(FLOOR_RULES[rule.rule], rule.floor)) > parsed:
            raise RuleError(
                _("“%(label)s”的最低要求不能高于要求值，请调低最低要求。")
                % {"label": rule_label(rule.rule)}
            )
    return parsed


def validate_rules(rules: Iterable[Rule]) -> None:
    """Raise RuleError for the first unusable rule (unknown key, bad value, min > max)."""
    values = {}
    for rule in rules:
        values[rule.rule] = parse_value(rule)
    for low, high in (
        ("min_duration_seconds", "max_duration_seconds"),
        ("min_video_bitrate", "max_video_bitrate"),
    ):
        if low in values and high in values and values[low] > values[high]:
            raise RuleError(
                _("“%(low)s”不能大于“%(high)s”，请检查视频规格。")
                % {"low": rule_label(low), "high": rule_label(high)}
            )


# --- display --------------------------------------------------------------------------


def format_duration(seconds: float, rounding: Callable[[float], int] = round) -> str:
    """8 分 12 秒, 10 分钟, 1 小时 2 分 3 秒; fractions only for clips under 10 s."""
    if seconds < 10 and seconds != int(seconds):
        return _("%(s)s 秒") % {"s": f"{seconds:.1f}".rstrip("0").rstrip(".")}
    total = int(rounding(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return _("%(h)d 小时 %(m)d 分 %(s)d 秒") % {"h": hours, "m": minutes, "s": secs}
    if minutes and not secs:
        return _("%(m)d 分钟") % {"m": minutes}
    if minutes:
        return _("%(m)d 分 %(s)d 秒") % {"m": minutes, "s": secs}
    return _("%(s)d 秒") % {"s": secs}


def _trim(number: float, digits: int) -> str:
    return f"{number:.{digits}f}".rstrip("0").rstrip(".")


def format_bitrate(bps: float, rounding: Callable[[float], float] | None = None) -> str:
    """1.5 Mbit/s, 820 kbit/s; ``rounding`` (math.floor/ceil) rounds towards a failure, so a
    measured 999.6 kbit/s under a 1 Mbit/s floor never reads as "1000 kbit/s"."""

    def show(number: float, digits: int) -> str:
        if rounding is not None:
            number = rounding(number * 10**digits) / 10**digits
        return _trim(number, digits)

    if bps >= 1_000_000:
        return f"{show(bps / 1_000_000, 2)} Mbit/s"
    if bps >= 1000:
        return f"{show(bps / 1000, 0 if bps >= 10_000 else 1)} kbit/s"
    return f"{int(bps)} bit/s"


def format_size(size: float) -> str:
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            return f"{_trim(size / factor, 2)} {unit}"
    return f"{int(size)} B"


def format_rate(rate: float | Fraction) -> str:
    return _trim(float(rate), 3)


def format_ratio(ratio: Fraction) -> str:
    for named, text in _NAMED_RATIOS.items():
        if abs(float(ratio) / float(named) - 1) <= 0.005:
            return text
    return f"{_trim(float(ratio), 2)}:1"


def _resolution_hint(values: dict[str, object]) -> str:
    """Export advice from the rule set: "1080p（1920×1080）" when both sides are required."""
    width = values.get("exact_width") or values.get("min_width")
    height = values.get("exact_height") or values.get("min_height")
    if width and height:
        return _("用 %(p)sp（%(w)d×%(h)d）") % {"p": height, "w": width, "h": height}
    if height:
        return _("用 %(p)sp") % {"p": height}
    return _("按宽度 %(w)d 像素") % {"w": width}


# --- checking -------------------------------------------------------------------------


@dataclass
class _Outcome:
    passed: bool
    actual: str
    expected: str
    problem: str = ""
    fix: str = ""


def _within(actual: float, expected: float, tolerance: float) -> bool:
    return abs(actual - expected) <= tolerance * expected


def _check_dimension(key: str, value: int, p: ProbeResult, values: dict) -> _Outcome:
    is_width = key.endswith("width")
    actual = p.width if is_width else p.height
    exact = key.startswith("exact")
    passed = actual == value if exact else actual >= value
    side = _("宽度") if is_width else _("高度")
    result = _Outcome(
        passed,
        _("%(n)d 像素") % {"n": actual},
        (_("%(n)d 像素") if exact else _("不低于 %(n)d 像素")) % {"n": value},
    )
    if not passed:
        params = {"res": p.resolution, "side": side, "actual": actual, "expected": value}
        if exact:
            result.problem = (
                _("视频分辨率为 %(res)s，%(side)s应为 %(expected)d 像素（现为 %(actual)d 像素）。")
                % params
            )
            result.fix = _("请%(hint)s重新导出后再上传。") % {"hint": _resolution_hint(values)}
        else:
            result.problem = (
                _("视频分辨率为 %(res)s，%(side)s %(actual)d 像素低于要求的 %(expected)d 像素。")
                % params
            )
            result.fix = _("请%(hint)s或更高分辨率重新导出后再上传。") % {
                "hint": _resolution_hint(values)
            }
    return result


def _check_aspect(value: Fraction, p: ProbeResult, tolerance: float) -> _Outcome:
    actual = Fraction(p.display_aspect_ratio.replace(":", "/"))
    passed = _within(float(actual), float(value), tolerance)
    result = _Outcome(passed, format_ratio(actual), format_ratio(value))
    if not passed:
        params = {"actual": result.actual, "expected": result.expected, "res": p.resolution}
        if actual < 1 <= value:
            result.problem = (
                _("视频为竖屏画面（%(actual)s，%(res)s），要求横屏 %(expected)s。") % params
            )
            result.fix = _("请横向拍摄，或在剪辑软件中按 %(expected)s 横屏画面重新导出。") % params
        else:
            result.problem = _("视频画面比例为 %(actual)s（%(res)s），要求 %(expected)s。") % params
            result.fix = (
                _("请在剪辑软件中把画面比例设为 %(expected)s 后重新导出（不要直接拉伸画面）。")
                % params
            )
    return result


def _check_video_codec(value: tuple, p: ProbeResult) -> _Outcome:
    expected = _("或").join(codec_label(name) for name in value)
    passed = p.video_codec in value
    result = _Outcome(passed, codec_label(p.video_codec), expected)
    if not passed:
        params = {"actual": result.actual, "expected": expected}
        result.problem = _("视频编码为 %(actual)s，要求 %(expected)s。") % params
        result.fix = _("请在导出时选择 %(codec)s 编码。") % {
            "codec": codec_label(value[0]).split("（")[0]
        }
    return result


def _check_frame_rate(value: Fraction, p: ProbeResult, tolerance: float) -> _Outcome:
    expected = _("%(r)s 帧/秒") % {"r": format_rate(value)}
    if not p.frame_rate:
        return _unknown(_("帧率"), expected)
    passed = _within(p.frame_rate, float(value), tolerance)
    result = _Outcome(passed, _("%(r)s 帧/秒") % {"r": format_rate(p.frame_rate)}, expected)
    if not passed:
        params = {"actual": result.actual, "expected": expected}
        result.problem = _("视频帧率为 %(actual)s，要求 %(expected)s。") % params
        result.fix = _("请在导出时把帧率设为 %(expected)s。") % params
    return result


def _check_video_bitrate(key: str, value: int, p: ProbeResult, tolerance: float) -> _Outcome:
    minimum = key.startswith("min")
    expected = (_("不低于 %(v)s") if minimum else _("不高于 %(v)s")) % {"v": format_bitrate(value)}
    if not p.video_bitrate:
        return _unknown(_("视频码率"), expected)
    if minimum:
        passed = p.video_bitrate >= value * (1 - tolerance)
    else:
        passed = p.video_bitrate <= value * (1 + tolerance)
    actual = format_bitrate(
        p.video_bitrate, None if passed else (math.floor if minimum else math.ceil)
    )
    if p.video_bitrate_estimated:
        actual = _("约 %(v)s") % {"v": actual}
    result = _Outcome(passed, actual, expected)
    if not passed:
        params = {"actual": actual, "expected": format_bitrate(value)}
        if minimum:
            result.problem = (
                _("视频码率为 %(actual)s，低于要求的 %(expected)s，画面可能不够清晰。") % params
            )
            result.fix = _("请在导出时把视频码率设为 %(expected)s 或更高。") % params
        else:
            result.problem = (
                _("视频码率为 %(actual)s，高于要求的 %(expected)s，文件偏大、播放容易卡顿。")
                % params
            )
            result.fix = _("请在导出时把视频码率设为不超过 %(expected)s。") % params
    return result


def _no_audio(expected: str) -> _Outcome:
    return _Outcome(
        False,
        _("无音轨"),
        expected,
        _("视频没有声音（未检测到音轨），要求 %(expected)s。") % {"expected": expected},
        _("请检查录音设备和导出设置，确认导出时包含音频后重新上传。"),
    )


def _check_audio_codec(value: tuple, p: ProbeResult) -> _Outcome:
    expected = _("或").join(codec_label(name) for name in value)
    if not p.has_audio or not p.audio_codec:
        return _no_audio(_("%(codec)s 音频") % {"codec": expected})
    passed = p.audio_codec in value
    result = _Outcome(passed, codec_label(p.audio_codec), expected)
    if not passed:
        params = {"actual": result.actual, "expected": expected}
        result.problem = _("音频编码为 %(actual)s，要求 %(expected)s。") % params
        result.fix = _("请在导出时选择 %(codec)s 音频编码。") % {"codec": codec_label(value[0])}
    return result


def _check_audio_bitrate(value: int, p: ProbeResult, tolerance: float) -> _Outcome:
    expected = _("不低于 %(v)s") % {"v": format_bitrate(value)}
    if not p.has_audio:
        return _no_audio(_("音频码率%(expected)s") % {"expected": expected})
    if not p.audio_bitrate:
        return _unknown(_("音频码率"), expected)
    passed = p.audio_bitrate >= value * (1 - tolerance)
    actual = format_bitrate(p.audio_bitrate, None if passed else math.floor)
    result = _Outcome(passed, actual, expected)
    if not passed:
        params = {"actual": result.actual, "expected": format_bitrate(value)}
        result.problem = _("音频码率为 %(actual)s，低于要求的 %(expected)s。") % params
        result.fix = _("请在导出时把音频码率设为 %(expected)s 或更高。") % params
    return result


def _check_duration(key: str, value: float, p: ProbeResult, tolerance: float) -> _Outcome:
    minimum = key.startswith("min")
    expected_text = format_duration(value)
    expected = (_("不短于 %(v)s") if minimum else _("不超过 %(v)s")) % {"v": expected_text}
    if not p.duration_seconds:
        return _unknown(_("视频时长"), expected)
    if minimum:
        passed = p.duration_seconds >= value * (1 - tolerance)
    else:
        passed = p.duration_seconds <= value * (1 + tolerance)
    # Round towards the failure so "9 分 59.6 秒" never reads as "10 分钟 短于 10 分钟".
    actual = format_duration(p.duration_seconds, math.floor if minimum else math.ceil)
    result = _Outcome(passed, actual, expected)
    if not passed:
        params = {"actual": actual, "expected": expected_text}
        if minimum:
            result.problem = _("视频时长 %(actual)s，短于要求的 %(expected)s。") % params
            result.fix = _("请确认上传的是完整视频，必要时补充内容后重新导出。")
        else:
            result.problem = _("视频时长 %(actual)s，超过要求的 %(expected)s。") % params
            result.fix = _("请精简内容后重新导出；一节课跨多个课时的，请按课时分别上传。")
    return result


def _check_container(value: tuple, p: ProbeResult) -> _Outcome:
    expected = _("或").join(container_label(name) for name in value)
    passed = p.container in value
    result = _Outcome(passed, container_label(p.container), expected)
    if not passed:
        params = {"actual": result.actual, "expected": expected}
        result.problem = _("文件格式为 %(actual)s，要求 %(expected)s。") % params
        result.fix = _("请在导出时选择 %(expected)s 格式（只修改文件扩展名无效）。") % {
            "expected": container_label(value[0])
        }
    return result


def _check_size(value: int, p: ProbeResult) -> _Outcome:
    passed = p.size_bytes <= value
    actual, expected = format_size(p.size_bytes), format_size(value)
    if not passed and actual == expected:
        actual = _("%(v)s（%(n)s 字节）") % {"v": actual, "n": f"{p.size_bytes:,}"}
        expected = _("%(v)s（%(n)s 字节）") % {"v": expected, "n": f"{value:,}"}
    result = _Outcome(passed, actual, _("不超过 %(v)s") % {"v": expected})
    if not passed:
        params = {"actual": actual, "expected": expected}
        result.problem = _("文件大小为 %(actual)s，超过上限 %(expected)s。") % params
        result.fix = _("请适当降低视频码率后重新导出，再上传。")
    return result


def _unknown(what: str, expected: str) -> _Outcome:
    return _Outcome(
        False,
        _("无法读取"),
        expected,
        _("无法读取%(what)s（要求%(expected)s）。") % {"what": what, "expected": expected},
        _("请确认文件导出完整后重新上传。"),
    )


def _evaluate(rule: Rule, value: object, p: ProbeResult, values: dict) -> _Outcome:
    key = rule.rule
    tolerance = rule.tolerance if rule.tolerance is not None else DEFAULT_TOLERANCE.get(key, 0.0)
    if key in ("min_width", "min_height", "exact_width", "exact_height"):
        return _check_dimension(key, value, p, values)
    if key == "aspect_ratio":
        return _check_aspect(value, p, tolerance)
    if key == "video_codec":
        return _check_video_codec(value, p)
    if key == "frame_rate":
        return _check_frame_rate(value, p, tolerance)
    if key in ("min_video_bitrate", "max_video_bitrate"):
        return _check_video_bitrate(key, value, p, tolerance)
    if key == "audio_codec":
        return _check_audio_codec(value, p)
    if key == "min_audio_bitrate":
        return _check_audio_bitrate(value, p, tolerance)
    if key in ("min_duration_seconds", "max_duration_seconds"):
        return _check_duration(key, value, p, tolerance)
    if key == "container":
        return _check_container(value, p)
    return _check_size(value, p)


def check(
    probe: ProbeResult, rules: Iterable[Rule], *, max_bytes: int | None = None
) -> list[RuleResult]:
    """One result per rule, in order. ``max_bytes`` (the material's upload limit) adds a
    blocking size rule unless the specification already has one. Raises RuleError for a
    rule that cannot be checked (validate rules when the campaign is saved)."""
    rules = list(rules)
    if max_bytes is not None and not any(r.rule == "max_bytes" for r in rules):
        rules.append(Rule("max_bytes", str(max_bytes), BLOCKS))
    parsed = [parse_value(rule) for rule in rules]
    values = {rule.rule: value for rule, value in zip(rules, parsed, strict=True)}
    results = []
    for rule, value in zip(rules, parsed, strict=True):
        outcome = _evaluate(rule, value, probe, values)
        severity = rule.severity
        if rule.floor and not outcome.passed:
            floor = Rule(FLOOR_RULES[rule.rule], rule.floor, BLOCKS, tolerance=0.0)
            below = _evaluate(floor, parse_value(floor), probe, values)
            if below.passed:
                severity = WARNS  # between floor and target
            else:
                severity = BLOCKS
                outcome = below
                outcome.problem = _("低于最低要求：") + outcome.problem
        label = rule_label(rule.rule)
        if outcome.passed:
            message = _("%(label)s：%(actual)s，符合要求。") % {
                "label": label,
                "actual": outcome.actual,
            }
        else:
            message = outcome.problem + outcome.fix
        results.append(
            RuleResult(
                rule=rule.rule,
                label=label,
                severity=severity,
                passed=outcome.passed,
                actual=outcome.actual,
                expected=outcome.expected,
                message=message,
                fix="" if outcome.passed else outcome.fix,
            )
        )
    return results


def overall_state(results: Iterable[RuleResult]) -> str:
    """failed if a blocking rule failed, warned if only warning rules failed, else passed."""
    state = PASSED
    for result in results:
        if result.passed:
            continue
        if result.severity == BLOCKS:
            return FAILED
        state = WARNED
    return state


# --- defaults for campaign templates --------------------------------------------------

GIB = 1024**3


def preset_rules(name: str) -> list[Rule]:
    """The brief's default specifications, as starting points for campaign templates.

    ``classroom_recording`` is R3 (一师一优课 课堂实录); ``micro_lesson_primary`` and
    ``micro_lesson_secondary`` are R3a (精品课 微课, 10–15 and 15–20 minutes), where a miss
    costs points rather than rejecting, so only the size limit blocks.
    """
    if name == "classroom_recording":
        return [
            Rule("container", "mp4", WARNS),
            Rule("min_width", "720", BLOCKS),
            Rule("min_height", "576", BLOCKS),
            Rule("min_video_bitrate", "320000", BLOCKS),
            Rule("max_bytes", str(GIB), BLOCKS),
            Rule("min_duration_seconds", "1800", BLOCKS),
        ]
    if name in ("micro_lesson_primary", "micro_lesson_secondary"):
        low, high = (600, 900) if name == "micro_lesson_primary" else (900, 1200)
        return [
            Rule("container", "mp4", WARNS),
            Rule("aspect_ratio", "16:9", WARNS),
            Rule("exact_width", "1920", WARNS),
            Rule("exact_height", "1080", WARNS),
            Rule("video_codec", "h264", WARNS),
            Rule("frame_rate", "25", WARNS),
            Rule("min_video_bitrate", "6000000", WARNS),
            Rule("max_video_bitrate", "10000000", WARNS),
            Rule("audio_codec", "aac", WARNS),
            Rule("min_audio_bitrate", "128000", WARNS),
            Rule("min_duration_seconds", str(low), WARNS),
            Rule("max_duration_seconds", str(high), WARNS),
            Rule("max_bytes", str(GIB), BLOCKS),
        ]
    raise KeyError(name)
