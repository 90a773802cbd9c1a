from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ustaz.academics.models import Course
from ustaz.core.forms import BootstrapFormMixin

from .models import AttendanceStatus, Format, LiveClass, Provider


def provider_choices() -> list[tuple[str, str]]:
    """Only the conferences this platform is configured for, plus any link."""
    choices = [("", "—")]
    if settings.BBB_URL and settings.BBB_SECRET:
        choices.append((Provider.BIGBLUEBUTTON, Provider.BIGBLUEBUTTON.label))
    if settings.JITSI_URL:
        choices.append((Provider.JITSI, Provider.JITSI.label))
    choices.append((Provider.LINK, Provider.LINK.label))
    return choices


class ClassForm(BootstrapFormMixin, forms.ModelForm):
    repeat_until = forms.DateField(
        label=gettext_lazy("Repeat weekly until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Leave empty for a single class."),
    )
    skipped_dates = forms.CharField(
        label=gettext_lazy("Except on"),
        required=False,
        help_text=gettext_lazy("Dates without the class (holidays), as YYYY-MM-DD, separated by commas."),
    )

    link = forms.URLField(label=gettext_lazy("conference link"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = LiveClass
        fields = [
            "title",
            "starts_at",
            "duration_minutes",
            "format",
            "provider",
            "link",
            "room",
            "groups",
            "description",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "groups": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
            "format": forms.RadioSelect,
        }

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = course.groups.order_by("name")
        self.fields["provider"].choices = provider_choices()
        self.fields["provider"].required = False
        self.fields["starts_at"].help_text = format_html(
            '{} <span translate="no">{}</span>', _("In your time zone:"), timezone.get_current_timezone_name()
        )
        self.fields["duration_minutes"].widget.attrs.update({"min": 10, "max": 600})
        self.fields["format"].choices = Format.choices
        if self.instance.pk:
            del self.fields["repeat_until"], self.fields["skipped_dates"]

    def clean_duration_minutes(self):
        minutes = self.cleaned_data["duration_minutes"]
        if not 10 <= minutes <= 600:
            raise forms.ValidationError(_("A class lasts from 10 to 600 minutes."))
        return minutes

    def clean_skipped_dates(self):
        text = self.cleaned_data.get("skipped_dates", "")
        dates = []
        for part in text.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            try:
                dates.append(datetime.date.fromisoformat(part))
            except ValueError:
                raise forms.ValidationError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": part}) from None
        return dates


class AttendanceForm(forms.Form):
    """One status and note per student of the roster (fields status_<id>, note_<id>)."""

    def __init__(self, *args, student_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.student_ids = student_ids
        for pk in student_ids:
            self.fields[f"status_{pk}"] = forms.ChoiceField(choices=AttendanceStatus.choices, required=False)
            self.fields[f"note_{pk}"] = forms.CharField(max_length=200, required=False)

    def marks(self) -> dict[int, tuple[str, str]]:
        return {
            pk: (self.cleaned_data[f"status_{pk}"], self.cleaned_data[f"note_{pk}"].strip())
            for pk in self.student_ids
            if self.cleaned_data.get(f"status_{pk}")
        }


class RecordingForm(BootstrapFormMixin, forms.Form):
    url = forms.URLField(label=gettext_lazy("Recording address"), max_length=1000, assume_scheme="https")
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, required=False)
