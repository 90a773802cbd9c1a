from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ustaz.core.forms import BootstrapFormMixin

from .iin import validate_iin
from .models import Role, User, time_zone_choices


class IssueAccountForm(BootstrapFormMixin, forms.Form):
    last_name = forms.CharField(label=_("Surname"), max_length=150)
    first_name = forms.CharField(label=_("Given name"), max_length=150)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=150, required=False)
    citizenship = forms.CharField(
        label=_("Citizenship"), max_length=2, initial="KZ", help_text=_("Two-letter country code, such as KZ.")
    )
    iin = forms.CharField(
        label=_("IIN"),
        max_length=12,
        required=False,
        validators=[validate_iin],
        help_text=_("12 digits. Optional for foreign citizens."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices, initial="Asia/Almaty")
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="kk")
    roles = forms.MultipleChoiceField(label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple)
    username = forms.CharField(
        label=_("Login"), max_length=150, required=False, help_text=_("Leave empty to make one from the name.")
    )
    send_email = forms.BooleanField(label=_("Send the login and password by e-mail"), required=False)

    def __init__(self, *args, grantable: frozenset[str] = frozenset(Role.values), **kwargs):
        super().__init__(*args, **kwargs)
        _offer_only(self.fields["roles"], grantable)


class ImportAccountsForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("File (.csv or .xlsx)"))
    send_email = forms.BooleanField(label=_("Send each person their login and password by e-mail"), required=False)


class ProfileForm(BootstrapFormMixin, forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)

    class Meta:
        model = User
        fields = ["email", "phone", "time_zone", "language"]
        labels = {"email": _("E-mail"), "phone": _("Phone"), "language": _("Language")}


class RoleForm(BootstrapFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, grantable: frozenset[str] = frozenset(Role.values), **kwargs):
        super().__init__(*args, **kwargs)
        _offer_only(self.fields["role"], grantable)


def _offer_only(field: forms.ChoiceField, grantable: frozenset[str]) -> None:
    # Only the roles this user may grant are offered; any known role is accepted so that the service
    # refuses (and audits) a forged one instead of the form hiding the attempt.
    field.widget.choices = [(value, label) for value, label in Role.choices if value in grantable]
