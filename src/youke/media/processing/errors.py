"""MediaError: why a file cannot be used, in a code for programs and Chinese for teachers."""

from __future__ import annotations

from django.utils.translation import gettext as _

from youke.media.processing import _inspect

MISSING = _inspect.MISSING
EMPTY = _inspect.EMPTY
NOT_MEDIA = _inspect.NOT_MEDIA
TRUNCATED = _inspect.TRUNCATED
CORRUPT = _inspect.CORRUPT
AUDIO_ONLY = _inspect.AUDIO_ONLY
UNSUPPORTED_CODEC = _inspect.UNSUPPORTED_CODEC
TIMEOUT = _inspect.TIMEOUT
NO_ENCODER = "no_encoder"

ERROR_CODES = (
    MISSING,
    EMPTY,
    NOT_MEDIA,
    TRUNCATED,
    CORRUPT,
    AUDIO_ONLY,
    UNSUPPORTED_CODEC,
    TIMEOUT,
    NO_ENCODER,
)


class MediaError(Exception):
    """A file the pipeline refuses; ``message`` says why and what the teacher can do."""

    def __init__(self, code: str, message: str, detail: str = ""):
        super().__init__(message)
        self.code = code
        self.message = message
        # Technical detail for logs and staff, never shown to teachers.
        self.detail = detail

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"MediaError({self.code!r}, {self.message!r})"


def error_message(code: str, detail: str = "") -> str:
    """The Chinese reason and fix for a failure code."""
    messages = {
        MISSING: _("找不到上传的文件，可能已被清理。请重新上传。"),
        EMPTY: _("文件大小为 0 字节，没有任何内容。请检查导出是否成功后重新上传。"),
        NOT_MEDIA: _(
            "该文件不是视频文件（可能只是把文档或图片改成了视频扩展名）。"
            "请上传用剪辑软件导出的 MP4 视频。"
        ),
        TRUNCATED: _(
            "视频文件不完整，可能是上传或复制中断、录制未正常结束。"
            "请用原始文件重新上传，或在剪辑软件中重新导出。"
        ),
        CORRUPT: _("视频文件已损坏，无法读取画面。请在剪辑软件中重新导出后再上传。"),
        AUDIO_ONLY: _(
            "该文件只有声音，没有视频画面。请上传包含画面的视频（建议 MP4 格式、H.264 编码）。"
        ),
        UNSUPPORTED_CODEC: _(
            "无法识别该视频的编码格式（%(codec)s）。请在导出时选择 H.264 编码、MP4 格式后重新上传。"
        )
        % {"codec": detail or _("未知")},
        TIMEOUT: _(
            "处理该文件超时，文件可能已损坏或格式异常。请在剪辑软件中重新导出为 MP4（H.264）后再上传。"
        ),
        NO_ENCODER: _("服务器缺少所需的视频编码器，无法生成播放版本。请联系平台管理员。"),
    }
    return messages.get(code, messages[CORRUPT])


def media_error(code: str, detail: str = "") -> MediaError:
    return MediaError(code, error_message(code, detail), detail)
