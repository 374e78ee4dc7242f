from django.db import models
from django.utils.translation import pgettext_lazy


class Verdict(models.TextChoices):
    PENDING = "pending", pgettext_lazy("originality", "检测中")
    NONE = "none", pgettext_lazy("originality", "未发现相似")
    SIMILAR = "similar", pgettext_lazy("originality", "部分相似")
    LIKELY_COPY = "likely_copy", pgettext_lazy("originality", "疑似抄袭")


# Ranked so the strongest finding of a package decides its result.
VERDICT_RANK = {
    Verdict.PENDING: 0,
    Verdict.NONE: 1,
    Verdict.SIMILAR: 2,
    Verdict.LIKELY_COPY: 3,
}

# Which result may follow which: a re-check may move anywhere (a later upload can reveal a
# copy, a removed file can end one); PENDING is only the first state.
VERDICT_TRANSITIONS = {
    Verdict.PENDING: {Verdict.NONE, Verdict.SIMILAR, Verdict.LIKELY_COPY, Verdict.PENDING},
    Verdict.NONE: {Verdict.NONE, Verdict.SIMILAR, Verdict.LIKELY_COPY},
    Verdict.SIMILAR: {Verdict.NONE, Verdict.SIMILAR, Verdict.LIKELY_COPY},
    Verdict.LIKELY_COPY: {Verdict.NONE, Verdict.SIMILAR, Verdict.LIKELY_COPY},
}


class MatchKind(models.TextChoices):
    VIDEO = "video", pgettext_lazy("originality match", "视频")
    DOCUMENT = "document", pgettext_lazy("originality match", "文档")
    AUDIO = "audio", pgettext_lazy("originality match", "音频")
