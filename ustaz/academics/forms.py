from django import forms
from django.utils.translation import gettext_lazy as _

from ustaz.accounts.models import Role, User
from ustaz.core.forms import BootstrapFormMixin

from .models import Discipline, StudyGroup, Term


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
