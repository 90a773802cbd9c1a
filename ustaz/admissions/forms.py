from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy

from ustaz.accounts.models import time_zone_choices
from ustaz.core.forms import BootstrapFormMixin

from .models import Application


class RegisterForm(BootstrapFormMixin, forms.Form):
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150)
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-mail"))
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput, min_length=10)

    def clean_email(self):
        # Whether an account has this address is not said here (that would let anyone probe addresses): the
        # answer is the same page, and the owner of an existing account is told by e-mail.
        return self.cleaned_data["email"].strip().lower()

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class ApplicationForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Application
        fields = [
            "basis",
            "justification",
            "iin",
            "citizenship",
            "country",
            "city",
            "time_zone",
            "previous_education",
        ]
        widgets = {
            "justification": forms.Textarea(attrs={"rows": 4}),
            "previous_education": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"] = forms.ChoiceField(
            label=self.fields["time_zone"].label, choices=time_zone_choices(), initial="Asia/Almaty"
        )
        self.fields["time_zone"].widget.attrs["class"] = "form-select"
        for name in ("justification", "iin"):
            self.fields[name].required = False
