from django import forms
from django.utils.translation import gettext_lazy as _

from ustaz.accounts.models import Role, User
from ustaz.core.forms import BootstrapFormMixin

from .bases import basis_refusal
from .models import Discipline, DltBasis, Faculty, Programme, StudyGroup, Term


class TeacherChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.username


class CourseCreateForm(BootstrapFormMixin, forms.Form):
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.select_related("academic_year"))
    discipline = forms.ModelChoiceField(label=_("Discipline"), queryset=Discipline.objects.all())
    teachers = TeacherChoiceField(label=_("Teachers"), queryset=User.objects.none(), required=False)
    groups = forms.ModelMultipleChoiceField(
        label=_("Groups to enrol"), queryset=StudyGroup.objects.all(), required=False
    )
    title_kk = forms.CharField(
        label=_("Title (Kazakh)"), required=False, help_text=_("Leave empty to use the discipline's name.")
    )
    title_ru = forms.CharField(label=_("Title (Russian)"), required=False)
    title_en = forms.CharField(label=_("Title (English)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teachers"].queryset = User.objects.filter(User.role_filter(Role.TEACHER)).order_by(
            "last_name", "first_name"
        )


class EnrolGroupForm(BootstrapFormMixin, forms.Form):
    group = forms.ModelChoiceField(label=_("Group"), queryset=StudyGroup.objects.select_related("programme"))


class StudentImportForm(BootstrapFormMixin, forms.Form):
    group = forms.ModelChoiceField(label=_("Group"), queryset=StudyGroup.objects.select_related("programme"))
    file = forms.FileField(label=_("File (.csv or .xlsx)"))
    send_email = forms.BooleanField(label=_("Send each person their login and password by e-mail"), required=False)


class StudentBasisForm(BootstrapFormMixin, forms.Form):
    dlt_basis = forms.ChoiceField(label=_("DLT basis"), choices=())
    bolashak_scholar = forms.BooleanField(label=_("Holder of the Bolashak scholarship"), required=False)

    def __init__(self, *args, level: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.level = level
        # "Restrictive measures" is switched on for a period, never chosen as a student's own basis.
        self.fields["dlt_basis"].choices = [c for c in DltBasis.choices if c[0] != DltBasis.RESTRICTIONS]

    def clean(self):
        data = super().clean()
        if "dlt_basis" in data:
            refusal = basis_refusal(data["dlt_basis"], self.level, bolashak_scholar=data.get("bolashak_scholar", False))
            if refusal:
                self.add_error("dlt_basis", refusal)
        return data


class BasisDocumentForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Document (PDF or scan)"), required=False, help_text=_("Leave empty to change only the date.")
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The academic office is told before this day."),
    )


class RestrictiveMeasureForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
    order_number = forms.CharField(label=_("Order number"), max_length=40)
    order_date = forms.DateField(label=_("Order date"), widget=forms.DateInput(attrs={"type": "date"}))
    starts_on = forms.DateField(label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("In force until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last day the measures are in force."),
    )
    groups = forms.ModelMultipleChoiceField(label=_("Groups"), queryset=StudyGroup.objects.all(), required=False)
    programmes = forms.ModelMultipleChoiceField(
        label=_("Whole programmes"), queryset=Programme.objects.all(), required=False
    )
    faculties = forms.ModelMultipleChoiceField(
        label=_("Whole faculties"), queryset=Faculty.objects.all(), required=False
    )

    def clean(self):
        data = super().clean()
        if not (data.get("groups") or data.get("programmes") or data.get("faculties")):
            raise forms.ValidationError(_("Choose the groups, programmes or faculties the measures cover."))
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The measures cannot end before they start."))
        return data


class AdviserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.username


class GroupAdvisorForm(forms.Form):
    """The office sets a group's adviser: a teacher, or nobody."""

    advisor = AdviserChoiceField(
        label=_("Adviser"), queryset=User.objects.none(), required=False, empty_label=_("No adviser")
    )

    def __init__(self, *args, teachers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if teachers is None:
            teachers = User.objects.filter(User.role_filter(Role.TEACHER), is_active=True).order_by(
                "last_name", "first_name", "username"
            )
        self.fields["advisor"].queryset = teachers
