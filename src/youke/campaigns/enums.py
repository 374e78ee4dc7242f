"""Choices of the campaigns app; categories and materials are data, never enums (R1a)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from youke.orgs.enums import UnitKind


class TemplateKey(models.TextChoices):
    QUALITY_COURSE = "quality_course", _("基础教育精品课")
    ONE_TEACHER_ONE_LESSON = "one_teacher_one_lesson", _("一师一优课、一课一名师")


class CampaignState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("campaign state", "草稿")
    PUBLISHED = "published", pgettext_lazy("campaign state", "进行中")
    CLOSED = "closed", pgettext_lazy("campaign state", "已结束")


# The only moves a campaign may make; set_campaign_state refuses everything else. A closed
# campaign may be reopened (e.g. an extension ordered from above); that is logged with a reason.
CAMPAIGN_TRANSITIONS: dict[str, frozenset[str]] = {
    CampaignState.DRAFT: frozenset({CampaignState.PUBLISHED}),
    CampaignState.PUBLISHED: frozenset({CampaignState.CLOSED}),
    CampaignState.CLOSED: frozenset({CampaignState.PUBLISHED}),
}


class VideoDue(models.TextChoices):
    """When the package's video(s) are due: with the package, or once the design passed."""

    AT_SUBMISSION = "at_submission", pgettext_lazy("video due", "随作品一并提交")
    AFTER_SCREENING = "after_screening", pgettext_lazy("video due", "初选通过后拍摄提交")


class MaterialKind(models.TextChoices):
    VIDEO = "video", pgettext_lazy("material kind", "视频")
    DOCUMENT = "document", pgettext_lazy("material kind", "文档")


class VideoRuleKey(models.TextChoices):
    """Measurable video rules; units are in the labels so admins enter values correctly."""

    MIN_WIDTH = "min_width", _("最小宽度（像素）")
    MIN_HEIGHT = "min_height", _("最小高度（像素）")
    EXACT_WIDTH = "exact_width", _("宽度（像素）")
    EXACT_HEIGHT = "exact_height", _("高度（像素）")
    ASPECT_RATIO = "aspect_ratio", _("画面比例（如 16:9）")
    VIDEO_CODEC = "video_codec", _("视频编码（如 h264）")
    FRAME_RATE = "frame_rate", _("帧率（帧/秒）")
    MIN_VIDEO_BITRATE = "min_video_bitrate", _("最低视频码率（kbit/s）")
    MAX_VIDEO_BITRATE = "max_video_bitrate", _("最高视频码率（kbit/s）")
    AUDIO_CODEC = "audio_codec", _("音频编码（如 aac）")
    MIN_AUDIO_BITRATE = "min_audio_bitrate", _("最低音频码率（kbit/s）")
    MIN_DURATION_SECONDS = "min_duration_seconds", _("最短时长（秒）")
    MAX_DURATION_SECONDS = "max_duration_seconds", _("最长时长（秒）")
    CONTAINER = "container", _("封装格式（如 mp4）")


class Severity(models.TextChoices):
    BLOCKS = "blocks", pgettext_lazy("rule severity", "不通过")
    WARNS = "warns", pgettext_lazy("rule severity", "警告")


class LevelKey(models.TextChoices):
    SCHOOL = "school", pgettext_lazy("campaign level", "学校推荐")
    COUNTY = "county", pgettext_lazy("campaign level", "县级初选")
    CITY = "city", pgettext_lazy("campaign level", "市级遴选")
    PROVINCE = "province", pgettext_lazy("campaign level", "省级遴选")
    MINISTRY = "ministry", pgettext_lazy("campaign level", "部级遴选")
    PUBLICITY = "publicity", pgettext_lazy("campaign level", "公示")


# Unit kinds from the top of the tree down; a level belongs to one of them.
KIND_ORDER: tuple[str, ...] = (
    UnitKind.MINISTRY,
    UnitKind.PROVINCE,
    UnitKind.CITY,
    UnitKind.COUNTY,
    UnitKind.SCHOOL,
    UnitKind.TEACHING_POINT,
)


class AwardLevel(models.TextChoices):
    CITY = "city", pgettext_lazy("award level", "市级")
    PROVINCE = "province", pgettext_lazy("award level", "省级")
    MINISTRY = "ministry", pgettext_lazy("award level", "部级")


# Higher levels count toward lower thresholds: a ministry award is also "provincial or higher".
AWARD_RANK = {AwardLevel.CITY: 1, AwardLevel.PROVINCE: 2, AwardLevel.MINISTRY: 3}


class TrainingEvent(models.TextChoices):
    SHOWCASE = "showcase", _("参与晒课")
    CITY_EXCELLENT = "city_excellent", _("获市级优课")
    PROVINCIAL_EXCELLENT = "provincial_excellent", _("获省级及以上优课")


class CriterionGroup(models.TextChoices):
    GOALS_CONTENT = "goals_content", pgettext_lazy("rubric group", "目标内容")
    PROCESS = "process", pgettext_lazy("rubric group", "教学过程")
    RESOURCES = "resources", pgettext_lazy("rubric group", "教学资源")
    TECHNICAL = "technical", pgettext_lazy("rubric group", "技术规范")
    VETO = "veto", pgettext_lazy("rubric group", "一票否决")


class NodeReason(models.TextChoices):
    OPEN = "open", pgettext_lazy("node status", "开放")
    CLOSED_BY_ADMIN = "closed_by_admin", pgettext_lazy("node status", "管理员关闭")
    AWARD_RULE = "award_rule", pgettext_lazy("node status", "已有获奖课例")
    OUTSIDE_WINDOW = "outside_window", pgettext_lazy("node status", "不在上传时间内")
