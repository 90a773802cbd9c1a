from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ustaz.core.forms import BootstrapFormMixin, MultipleFileField
from ustaz.core.sniff import CATEGORIES
from ustaz.grades.models import GradeItem

from .models import Assignment

CATEGORY_LABELS = {
    "audio": gettext_lazy("audio (MP3, WAV, FLAC, M4A, OGG)"),
    "video": gettext_lazy("video (MP4, MOV, AVI, MKV, WebM)"),
    "image": gettext_lazy("images and scans (JPEG, PNG, TIFF, HEIC)"),
    "pdf": gettext_lazy("PDF (scores, scans, texts)"),
    "document": gettext_lazy("text documents (DOCX, ODT, TXT)"),
}


# The largest number of points an assignment's column keeps (max_digits 5, one decimal).
RUBRIC_MAX_POINTS = Decimal("9999.9")


def parse_rubric(text: str) -> list[dict]:
    """One criterion a line: `Technique: weak=0; fair=10; strong=20`."""
    criteria = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        title, sep, rest = line.partition(":")
        levels = []
        for part in rest.split(";"):
            name, eq, points = part.strip().rpartition("=")
            if not eq or not name.strip() or not re.fullmatch(r"\d+(\.\d+)?", points.strip()):
                raise forms.ValidationError(
                    _("Line %(line)d: write “criterion: level=points; level=points”.") % {"line": number}
                )
            if len(points.strip()) > 7 or Decimal(points.strip()) > RUBRIC_MAX_POINTS:
                raise forms.ValidationError(
                    _("Line %(line)d: a level gives at most %(max)s points.")
                    % {"line": number, "max": RUBRIC_MAX_POINTS}
                )
            levels.append({"title": name.strip(), "points": float(points)})
        if not sep or not title.strip() or not levels:
            raise forms.ValidationError(
                _("Line %(line)d: write “criterion: level=points; level=points”.") % {"line": number}
            )
        criteria.append({"title": title.strip(), "levels": levels})
    # The rubric's total becomes the assignment's maximum: it must fit that column.
    total = sum(Decimal(str(max(lv["points"] for lv in c["levels"]))) for c in criteria)
    if total > RUBRIC_MAX_POINTS:
        raise forms.ValidationError(_("The rubric gives at most %(max)s points in all.") % {"max": RUBRIC_MAX_POINTS})
    return criteria


def rubric_text(assignment: Assignment) -> str:
    return "\n".join(
        f"{c.title}: " + "; ".join(f"{lv['title']}={lv['points']:g}" for lv in c.levels)
        for c in assignment.criteria.all()
    )


class AssignmentForm(BootstrapFormMixin, forms.ModelForm):
    accepts = forms.MultipleChoiceField(
        label=gettext_lazy("Accepted files"),
        choices=[(c, CATEGORY_LABELS[c]) for c in CATEGORIES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("Checked by each file's content, not its name. None: what the kind takes."),
    )
    files = MultipleFileField(
        label=gettext_lazy("Files of the instructions"),
        required=False,
        help_text=gettext_lazy("A score, a text, an example recording: added to the ones already there."),
    )
    rubric = forms.CharField(
        label=gettext_lazy("Rubric"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Optional. One criterion a line: “Technique: weak=0; fair=10; strong=20”. The points are then "
            "the sum of the levels chosen."
        ),
    )

    class Meta:
        model = Assignment
        fields = [
            "title",
            "kind",
            "instructions",
            "accepts",
            "max_size_mb",
            "allows_text",
            "opens_at",
            "due_at",
            "late_policy",
            "late_penalty_percent",
            "allows_resubmission",
            "max_points",
            "grade_item",
        ]
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "due_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "instructions": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade_item"].queryset = GradeItem.objects.filter(course=course).order_by("position")
        self.fields["instructions"].help_text = _("Markdown: **bold**, *italic*, lists, [links](https://...).")
        if self.instance.pk:
            self.fields["rubric"].initial = rubric_text(self.instance)

    def clean_rubric(self):
        return parse_rubric(self.cleaned_data.get("rubric", ""))

    def clean_late_penalty_percent(self):
        value = self.cleaned_data["late_penalty_percent"]
        if value > 100:
            raise forms.ValidationError(_("A penalty is at most 100%."))
        return value


class SubmitForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Text"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    uploads = forms.CharField(required=False, widget=forms.HiddenInput)

    def upload_ids(self) -> list[str]:
        return [u for u in self.cleaned_data.get("uploads", "").split(",") if u.strip()]


class ReviewForm(BootstrapFormMixin, forms.Form):
    feedback = forms.CharField(label=gettext_lazy("Feedback"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    points = forms.DecimalField(
        label=gettext_lazy("Points"), required=False, min_value=0, max_digits=5, decimal_places=1
    )
