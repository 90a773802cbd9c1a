from django import forms
from django.utils.translation import gettext_lazy as _

from ustaz.core.forms import BootstrapFormMixin

from .models import ItemKind, Period


class ItemForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices, initial=ItemKind.CURRENT)
    period = forms.TypedChoiceField(
        label=_("Rating"), choices=Period.choices, coerce=int, required=False, empty_value=None, initial=Period.FIRST
    )
    max_points = forms.DecimalField(
        label=_("Maximum points"), min_value=1, max_value=1000, decimal_places=1, initial=100
    )
    entry_until = forms.DateField(
        label=_("Entries until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    weight = forms.DecimalField(label=_("Weight"), min_value=0.01, max_value=99, decimal_places=2, initial=1)

    def clean(self):
        data = super().clean()
        if data.get("kind") != ItemKind.EXAM and not data.get("period"):
            self.add_error("period", _("Current control and midterms belong to rating 1 or 2."))
        return data


class GradesImportForm(BootstrapFormMixin, forms.Form):
    item = forms.ModelChoiceField(label=_("Column"), queryset=None)
    file = forms.FileField(label=_("File (.csv or .xlsx)"))
    reason = forms.CharField(label=_("Reason (for a locked column)"), required=False)

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import GradeItem

        self.fields["item"].queryset = GradeItem.objects.filter(course=course)


class RetakeForm(BootstrapFormMixin, forms.Form):
    until = forms.DateField(label=_("Retake window ends on"), widget=forms.DateInput(attrs={"type": "date"}))
