from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ustaz.academics.models import Programme
from ustaz.accounts.models import Role, User
from ustaz.accounts.services import AccountData
from ustaz.core.forms import BootstrapFormMixin
from ustaz.curricula.models import AttestationForm

from .models import MemberRole
from .services import AttestationData


class CommissionCreateForm(BootstrapFormMixin, forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.all())
    academic_year = forms.IntegerField(
        label=_("Academic year"),
        min_value=1990,
        max_value=2100,
        help_text=_("The year it starts in: 2026 for 2026/2027."),
    )


class CommissionOrderForm(BootstrapFormMixin, forms.Form):
    first_sitting_on = forms.DateField(
        label=_("First sitting"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    order_number = forms.CharField(label=_("Number of the order"), max_length=40, required=False)
    order_date = forms.DateField(
        label=_("Date of the order"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class MemberForm(BootstrapFormMixin, forms.Form):
    login = forms.CharField(label=_("Login of a person with an account"), max_length=150)
    role = forms.ChoiceField(label=_("Role in the commission"), choices=MemberRole.choices)
    is_external = forms.BooleanField(label=_("From outside the University"), required=False)
    position = forms.CharField(label=_("Position and place of work"), max_length=255, required=False)

    def clean_login(self):
        person = User.objects.filter(username__iexact=self.cleaned_data["login"].strip(), is_active=True).first()
        if person is None:
            raise forms.ValidationError(_("No active account has this login."))
        return person


class ExternalMemberForm(BootstrapFormMixin, forms.Form):
    last_name = forms.CharField(label=_("Surname"), max_length=150)
    first_name = forms.CharField(label=_("Given name"), max_length=150)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=150, required=False)
    iin = forms.CharField(label=_("IIN"), max_length=12, required=False)
    citizenship = forms.CharField(label=_("Citizenship"), max_length=2, initial="KZ")
    email = forms.EmailField(label=_("E-mail"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="kk")
    role = forms.ChoiceField(label=_("Role in the commission"), choices=MemberRole.choices, initial=MemberRole.CHAIR)
    position = forms.CharField(label=_("Position and place of work"), max_length=255, required=False)
    send_email = forms.BooleanField(label=_("Send the one-time password by e-mail"), required=False)

    def account_data(self) -> AccountData:
        d = self.cleaned_data
        return AccountData(
            last_name=d["last_name"],
            first_name=d["first_name"],
            patronymic=d["patronymic"],
            iin=d["iin"].strip(),
            citizenship=d["citizenship"],
            email=d["email"],
            language=d["language"],
        )


class ConflictForm(BootstrapFormMixin, forms.Form):
    student = forms.ModelChoiceField(label=_("Student"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, students=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = User.objects.filter(pk__in=[s.pk for s in students])


class StudentAttestationForm(BootstrapFormMixin, forms.Form):
    form = forms.ChoiceField(label=_("Form of attestation"), choices=AttestationForm.choices)
    topic = forms.CharField(label=_("Topic"), max_length=500, required=False, help_text=_("For a thesis or project."))
    supervisor = forms.ModelChoiceField(label=_("Supervisor"), queryset=User.objects.none(), required=False)
    supervisor_name = forms.CharField(label=_("Supervisor from outside the University"), max_length=255, required=False)
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=User.objects.none(), required=False)
    reviewer_name = forms.CharField(label=_("Reviewer from outside the University"), max_length=255, required=False)

    def __init__(self, *args, forms_allowed=None, **kwargs):
        super().__init__(*args, **kwargs)
        teachers = User.objects.filter(User.role_filter(Role.TEACHER), is_active=True).order_by("last_name")
        self.fields["supervisor"].queryset = teachers
        self.fields["reviewer"].queryset = teachers
        if forms_allowed is not None:
            self.fields["form"].choices = [(v, label) for v, label in AttestationForm.choices if v in forms_allowed]

    def data_object(self) -> AttestationData:
        d = self.cleaned_data
        return AttestationData(
            form=d["form"],
            topic=d["topic"],
            supervisor=d["supervisor"],
            supervisor_name=d["supervisor_name"],
            reviewer=d["reviewer"],
            reviewer_name=d["reviewer_name"],
        )
