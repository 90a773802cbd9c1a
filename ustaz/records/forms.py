from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ustaz.academics.models import Delivery, DltBasis, Programme, StudentRecord, StudyGroup
from ustaz.core.forms import BootstrapFormMixin

from .models import ExpulsionReason, LeaveReason, OrderKind
from .services import ItemData, OrderData

# The fields of each kind beyond those every order has.
KIND_FIELDS = {
    OrderKind.ENROLMENT: (),
    OrderKind.TRANSFER: ("to_group", "to_programme", "to_delivery", "to_dlt_basis"),
    OrderKind.LEAVE: ("leave_reason", "leave_until"),
    OrderKind.RETURN: (),
    OrderKind.EXPULSION: ("expulsion_reason",),
    OrderKind.REINSTATEMENT: ("to_group",),
    OrderKind.GRADUATION: (),
}


def _optional(choices) -> list[tuple[str, str]]:
    return [("", "—"), *choices]


class StudentChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: StudentRecord) -> str:
        return f"{obj.student.full_name or obj.student.username} ({obj.group.name}, {obj.get_status_display()})"


class OrderForm(BootstrapFormMixin, forms.Form):
    order_date = forms.DateField(label=_("Date of the order"), widget=forms.DateInput(attrs={"type": "date"}))
    effective_on = forms.DateField(label=_("Takes effect on"), widget=forms.DateInput(attrs={"type": "date"}))
    signed_by = forms.CharField(
        label=_("Signed by"), max_length=200, help_text=_("Position and name of the signatory.")
    )
    text = forms.CharField(label=_("Text of the order"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    students = StudentChoice(
        label=_("Students"), queryset=StudentRecord.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    to_group = forms.ModelChoiceField(label=_("To group"), queryset=StudyGroup.objects.all(), required=False)
    to_programme = forms.ModelChoiceField(label=_("To programme"), queryset=Programme.objects.all(), required=False)
    to_delivery = forms.ChoiceField(
        label=_("To delivery technology"), choices=_optional(Delivery.choices), required=False
    )
    to_dlt_basis = forms.ChoiceField(
        label=_("To DLT basis"),
        choices=_optional([c for c in DltBasis.choices if c[0] != DltBasis.RESTRICTIONS]),
        required=False,
    )
    leave_reason = forms.ChoiceField(
        label=_("Reason for leave"), choices=_optional(LeaveReason.choices), required=False
    )
    leave_until = forms.DateField(
        label=_("On leave until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expulsion_reason = forms.ChoiceField(
        label=_("Reason for expulsion"), choices=_optional(ExpulsionReason.choices), required=False
    )

    def __init__(self, *args, kind: str, group: StudyGroup | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in {f for fields in KIND_FIELDS.values() for f in fields} - set(KIND_FIELDS[kind]):
            del self.fields[name]
        if group is not None:
            self.fields["students"].queryset = (
                StudentRecord.objects.filter(group=group)
                .select_related("student", "group")
                .order_by("student__last_name", "student__first_name", "pk")
            )
        if kind == OrderKind.REINSTATEMENT:
            self.fields["to_group"].required = True
        if kind == OrderKind.LEAVE:
            self.fields["leave_reason"].required = True
            self.fields["leave_until"].required = True
        if kind == OrderKind.EXPULSION:
            self.fields["expulsion_reason"].required = True
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("order_date", today)
            self.initial.setdefault("effective_on", today)

    def order_data(self) -> OrderData:
        data = self.cleaned_data
        extra = {name: data.get(name) for name in KIND_FIELDS[self.kind]}
        for name in ("to_delivery", "to_dlt_basis", "leave_reason", "expulsion_reason"):
            if name in extra:
                extra[name] = extra[name] or ""
        return OrderData(
            kind=self.kind,
            order_date=data["order_date"],
            effective_on=data["effective_on"],
            signed_by=data["signed_by"],
            text=data["text"],
            items=[ItemData(record=record, **extra) for record in data["students"]],
        )


class IssueForm(BootstrapFormMixin, forms.Form):
    number = forms.CharField(label=_("Order number"), max_length=40)
