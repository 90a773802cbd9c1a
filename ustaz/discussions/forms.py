from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ustaz.core.forms import BootstrapFormMixin, MultipleFileField


class PostForm(BootstrapFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Text"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown: **bold**, *italic*, lists, [links](https://...)."),
    )
    files = MultipleFileField(label=_("Files"), required=False)


class ThreadForm(PostForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    field_order = ["title", "body", "files"]
