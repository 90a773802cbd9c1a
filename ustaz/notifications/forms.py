from django import forms

from . import kinds
from .models import EmailDelivery


class PreferencesForm(forms.Form):
    """One choice per kind of notice: at once, in the daily digest, or not by e-mail."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds.all_kinds():
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                choices=EmailDelivery.choices,
                initial=current.get(kind.key, kind.default_email),
                widget=forms.RadioSelect,
                required=False,  # a kind left out keeps its current choice
            )
