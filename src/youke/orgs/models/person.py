from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from youke.core.fields import EncryptedTextField
from youke.orgs.enums import TeacherTitle
from youke.orgs.validators import mask_id_card, mask_mobile


class PersonManager(BaseUserManager):
    def create_user(self, username: str, password: str | None = None, **fields):
        person = self.model(username=username, **fields)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(self, username: str, password: str | None = None, **fields):
        fields.setdefault("is_platform_admin", True)
        return self.create_user(username, password, **fields)


class Person(AbstractBaseUser):
    """A real-name account, reused across years; it belongs to one unit."""

    username = models.CharField(_("用户名"), max_length=64, unique=True)
    full_name = models.CharField(_("姓名"), max_length=64)
    mobile = models.CharField(_("手机号"), max_length=11, unique=True, null=True, blank=True)
    # Encrypted at rest; uniqueness and look-ups go through the keyed hash. Setting
    # ``id_card`` sets ``id_card_hash``, so the hash is declared first: Model.__init__
    # assigns fields in declaration order and must not reset it to its default afterwards.
    id_card_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    id_card = EncryptedTextField(_("身份证号"), null=True, blank=True, hash_field="id_card_hash")
    email = models.EmailField(_("电子邮箱"), blank=True)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="people"
    )
    title = models.CharField(
        _("称号"), max_length=24, choices=TeacherTitle.choices, blank=True, default=""
    )
    is_active = models.BooleanField(_("启用"), default=True)
    is_platform_admin = models.BooleanField(_("平台管理员"), default=False)
    must_change_password = models.BooleanField(_("首次登录须改密码"), default=True)
    date_joined = models.DateTimeField(_("注册时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = PersonManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["unit_id", "full_name", "id"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "id_card" in update_fields:
            kwargs["update_fields"] = {*update_fields, "id_card_hash"}
        super().save(*args, **kwargs)

    @property
    def masked_id_card(self) -> str:
        return mask_id_card(self.id_card)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name


class ExpertProfile(models.Model):
    """What an expert may review: catalog stage or subject nodes (e.g. 初中 › 数学)."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="expert_profile")
    areas = models.ManyToManyField(
        "catalog.CourseNode", verbose_name=_("学段/学科"), related_name="experts", blank=True
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("专家信息")
        verbose_name_plural = _("专家信息")

    def __str__(self) -> str:
        return str(self.person)
