from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ustaz.accounts.models import Role, User

from .models import AppealCommission


class AppealCommissionForm(forms.ModelForm):
    members = forms.ModelMultipleChoiceField(
        label=_("members"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People holding the appeal commission role."),
    )

    class Meta:
        model = AppealCommission
        fields = ["programme", "term", "chair", "members"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        holders = User.objects.filter(User.role_filter(Role.APPEAL_COMMISSION), is_active=True).order_by(
            "last_name", "first_name", "username"
        )
        self.fields["members"].queryset = holders
        self.fields["chair"].queryset = holders
        self.fields["term"].queryset = self.fields["term"].queryset.select_related("academic_year")
        for name in ("programme", "term", "chair"):
            self.fields[name].widget.attrs["class"] = "form-select"
        if self.instance.pk:
            self.initial["members"] = list(self.instance.members.values_list("pk", flat=True))
