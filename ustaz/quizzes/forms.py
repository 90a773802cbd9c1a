from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ustaz.core import encodings
from ustaz.core.forms import BootstrapFormMixin
from ustaz.grades.models import GradeItem

from .bounds import MAX_SECTION_COUNT
from .importers import ENCODINGS, Limits, too_large_message
from .models import Category, Test


class BankImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[
            ("platonus", gettext_lazy("Platonus test bank")),
            ("gift", "Moodle GIFT"),
            ("aiken", "Aiken"),
            ("moodle_xml", "Moodle XML"),
            ("xlsx", gettext_lazy("Excel template (.xlsx)")),
        ],
    )
    encoding = forms.ChoiceField(
        label=gettext_lazy("Encoding"),
        choices=[("auto", gettext_lazy("detect"))] + [(e, encodings.LABELS[e]) for e in ENCODINGS],
    )
    category = forms.CharField(label=gettext_lazy("Category"), max_length=200)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limits = Limits.from_settings()
        if upload.size > limits.max_bytes:  # refused before a byte of it is read
            raise forms.ValidationError(too_large_message(limits))
        return upload


class TestForm(BootstrapFormMixin, forms.ModelForm):
    sections = forms.CharField(
        label=gettext_lazy("Questions drawn"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One category a line with how many of its questions each student gets: “Harmony: 10”."),
    )

    class Meta:
        model = Test
        fields = [
            "title",
            "instructions",
            "opens_at",
            "closes_at",
            "time_limit_minutes",
            "attempts_allowed",
            "grading_method",
            "pass_percent",
            "review",
            "shuffle_options",
            "grade_item",
        ]
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "instructions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course
        self.fields["grade_item"].queryset = GradeItem.objects.filter(course=course).order_by("position")
        if self.instance.pk:
            self.fields["sections"].initial = "\n".join(
                f"{s.category.name}: {s.count}" for s in self.instance.sections.select_related("category")
            )

    def clean_sections(self):
        categories = {c.name.casefold(): c for c in Category.objects.filter(bank__discipline=self.course.discipline)}
        sections = []
        for number, line in enumerate(self.cleaned_data["sections"].splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, count = line.rpartition(":")
            category = categories.get(name.strip().casefold())
            count = count.strip()
            if category is None or not re.fullmatch(r"[0-9]{1,6}", count) or int(count) < 1:
                raise forms.ValidationError(
                    _("Line %(line)d: “category: number”, with a category of this discipline's banks.")
                    % {"line": number}
                )
            if int(count) > MAX_SECTION_COUNT:
                raise forms.ValidationError(
                    _("Line %(line)d: a test draws at most %(limit)d questions from a category.")
                    % {"line": number, "limit": MAX_SECTION_COUNT}
                )
            sections.append((category, int(count)))
        if not sections:
            raise forms.ValidationError(_("Draw questions from at least one category."))
        return sections

    def clean_pass_percent(self):
        value = self.cleaned_data["pass_percent"]
        if value is not None and value > 100:
            raise forms.ValidationError(_("The pass mark is a percentage: from 0 to 100."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The test closes after it opens."))
        return data
