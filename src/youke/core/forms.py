from django import forms
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)

from youke.core.text import validate_storable_text

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


def bound_fields(form: forms.BaseForm) -> None:
    """The limits both databases hold, on every field of ``form``.

    Whole numbers without a maximum get PostgreSQL's integer range (SQLite would store up
    to 64 bits, PostgreSQL fails with a 500); text refuses lone surrogates (Django already
    refuses NUL, but without saying what to do). Model forms keep their max_length.
    """
    for field in form.fields.values():
        if isinstance(field, forms.IntegerField):
            if field.max_value is None or field.max_value > INT32_MAX:
                field.max_value = INT32_MAX
                field.validators.append(MaxValueValidator(INT32_MAX))
                field.widget.attrs["max"] = INT32_MAX
            if field.min_value is None or field.min_value < INT32_MIN:
                field.min_value = INT32_MIN
                field.validators.append(MinValueValidator(INT32_MIN))
        elif isinstance(field, forms.CharField):
            # ours names the fix too, and also covers lone surrogates
            field.validators = [
                v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
            ]
            field.validators.append(validate_storable_text)


class BoundedFormMixin:
    """For forms that are not a ``StyledForm``: see ``bound_fields``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_fields(self)


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, so templates render fields uniformly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_fields(self)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def full_clean(self):
        # Marking invalid fields here, not in __init__, keeps __init__ from validating early.
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
