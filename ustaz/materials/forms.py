from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ustaz.core.forms import BootstrapFormMixin

from .models import Material, MaterialKind, Section


class MaterialForm(BootstrapFormMixin, forms.ModelForm):
    file = forms.FileField(label=_("File"), required=False, allow_empty_file=True)
    url = forms.URLField(label=_("Address"), required=False, max_length=1000, assume_scheme="https")

    class Meta:
        model = Material
        fields = ["section", "title", "description", "url", "body", "available_in_print", "is_published"]
        labels = {"is_published": _("Publish now (otherwise it stays a draft)")}
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "body": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args, course, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["section"].queryset = Section.objects.filter(course=course)
        self.fields["section"].empty_label = None
        if kind != MaterialKind.FILE:
            del self.fields["file"]
        if kind not in (MaterialKind.LINK, MaterialKind.VIDEO):
            del self.fields["url"]
        else:
            self.fields["url"].required = True
        if kind != MaterialKind.PAGE:
            del self.fields["body"]
        else:
            self.fields["body"].required = True
            self.fields["body"].help_text = _("Markdown: **bold**, *italic*, # heading, - list, [link](https://...).")


class SectionForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Section title"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("For example: Week 3. Polyphony")}),
    )
