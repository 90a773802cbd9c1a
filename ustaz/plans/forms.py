from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ustaz.academics.models import AcademicYear, Programme, StudyGroup, Term
from ustaz.core.forms import BootstrapFormMixin


class WindowForm(BootstrapFormMixin, forms.Form):
    academic_year = forms.ModelChoiceField(
        label=_("Academic year of the plans"),
        queryset=AcademicYear.objects.order_by("-starts_on"),
        help_text=_("The year the students choose their electives for."),
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(
        label=_("Closes on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last day students may submit their plans."),
    )
    programmes = forms.ModelMultipleChoiceField(
        label=_("Programmes"),
        queryset=Programme.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every programme."),
    )

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The window cannot close before it opens."))
        return data


class ReturnForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("What the student should change"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=settings.PLANS_RETURN_REASON_MAX_CHARS,
    )


class OfficeFilterForm(BootstrapFormMixin, forms.Form):
    year = forms.ModelChoiceField(label=_("Academic year"), queryset=AcademicYear.objects.order_by("-starts_on"))
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.order_by("code"), required=False
    )
    group = forms.ModelChoiceField(label=_("Group"), queryset=StudyGroup.objects.order_by("name"), required=False)


class TermForm(BootstrapFormMixin, forms.Form):
    term = forms.ModelChoiceField(
        label=_("Term"), queryset=Term.objects.select_related("academic_year").order_by("-starts_on")
    )
