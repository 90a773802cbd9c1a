from django import forms
from django.utils.translation import gettext_lazy as _

from ustaz.academics.models import Discipline, Programme
from ustaz.core.forms import BootstrapFormMixin

from .models import AttestationForm, Component, Control, Cycle, ElectiveGroup, LineKind, PracticeKind
from .services import GroupData, LineData


def _optional(choices) -> list[tuple[str, str]]:
    return [("", "—"), *choices]


class CurriculumCreateForm(BootstrapFormMixin, forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.all())
    admission_year = forms.IntegerField(label=_("Year of admission"), min_value=1990, max_value=2100)
    terms = forms.IntegerField(
        label=_("Number of terms"),
        min_value=1,
        max_value=12,
        required=False,
        help_text=_("Leave empty for the level's usual number of terms."),
    )


class LineForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=LineKind.choices)
    term = forms.IntegerField(label=_("Term"), min_value=1, max_value=12)
    discipline = forms.ModelChoiceField(
        label=_("Discipline"),
        queryset=Discipline.objects.all(),
        required=False,
        help_text=_("For a practice, optional."),
    )
    credits = forms.IntegerField(label=_("Credits (ECTS)"), min_value=1, max_value=60)
    cycle = forms.ChoiceField(label=_("Cycle"), choices=Cycle.choices)
    component = forms.ChoiceField(label=_("Component"), choices=_optional(Component.choices), required=False)
    control = forms.ChoiceField(label=_("Kind of control"), choices=_optional(Control.choices), required=False)
    elective_group = forms.ModelChoiceField(
        label=_("Elective group"), queryset=ElectiveGroup.objects.none(), required=False
    )
    practice_kind = forms.ChoiceField(
        label=_("Kind of practice"), choices=_optional(PracticeKind.choices), required=False
    )
    weeks = forms.IntegerField(label=_("Weeks of practice"), min_value=1, max_value=52, required=False)
    attestation_form = forms.ChoiceField(
        label=_("Form of attestation"), choices=_optional(AttestationForm.choices), required=False
    )

    def __init__(self, *args, curriculum, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["elective_group"].queryset = ElectiveGroup.objects.filter(curriculum=curriculum)
        self.fields["term"].max_value = curriculum.terms

    def line_data(self) -> LineData:
        return LineData(**self.cleaned_data)


class GroupForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    name_kk = forms.CharField(label=_("Name (Kazakh)"), max_length=255)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=255, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=255, required=False)
    term = forms.IntegerField(label=_("Term"), min_value=1, max_value=12)
    cycle = forms.ChoiceField(label=_("Cycle"), choices=[c for c in Cycle.choices if c[0] != Cycle.FINAL_ATTESTATION])
    credits_to_choose = forms.IntegerField(label=_("Credits to choose"), min_value=1, max_value=60)

    def group_data(self) -> GroupData:
        return GroupData(**self.cleaned_data)


class ImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"))
