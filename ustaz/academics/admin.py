from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy

from ustaz.core.admin import RoleInlineMixin, RoleModelAdmin

from .bases import basis_refusal
from .models import (
    AcademicYear,
    Course,
    Department,
    Discipline,
    Enrolment,
    Faculty,
    Programme,
    StudentRecord,
    StudyGroup,
    Term,
)

NAME_FIELDS = ["name_kk", "name_ru", "name_en"]
_ = gettext_lazy


@admin.register(Faculty)
class FacultyAdmin(RoleModelAdmin):
    list_display = ["code", *NAME_FIELDS]
    search_fields = ["code", *NAME_FIELDS]


@admin.register(Department)
class DepartmentAdmin(RoleModelAdmin):
    list_display = ["code", *NAME_FIELDS, "faculty"]
    list_filter = ["faculty"]
    search_fields = ["code", *NAME_FIELDS]


@admin.register(Programme)
class ProgrammeAdmin(RoleModelAdmin):
    list_display = ["code", *NAME_FIELDS, "level", "instruction_languages"]
    list_filter = ["level", "department__faculty"]
    search_fields = ["code", *NAME_FIELDS]


@admin.register(Discipline)
class DisciplineAdmin(RoleModelAdmin):
    list_display = ["code", *NAME_FIELDS, "credits", "department"]
    list_filter = ["department__faculty", "credits"]
    search_fields = ["code", *NAME_FIELDS]


class TermInline(RoleInlineMixin, admin.TabularInline):
    model = Term
    extra = 0


@admin.register(AcademicYear)
class AcademicYearAdmin(RoleModelAdmin):
    list_display = ["name", "starts_on", "ends_on"]
    inlines = [TermInline]


@admin.register(Term)
class TermAdmin(RoleModelAdmin):
    list_display = ["__str__", "starts_on", "ends_on"]


@admin.register(StudyGroup)
class StudyGroupAdmin(RoleModelAdmin):
    list_display = ["name", "programme", "admission_year", "language"]
    list_filter = ["programme", "admission_year", "language"]
    search_fields = ["name"]


class StudentRecordForm(forms.ModelForm):
    """The admin asks the same rule as every other path that sets a basis (ustaz.academics.bases)."""

    class Meta:
        model = StudentRecord
        fields = "__all__"  # noqa: DJ007 - the admin's own form, all its fields

    def clean(self):
        data = super().clean()
        programme, basis = data.get("programme"), data.get("dlt_basis")
        if programme is not None and basis:
            refusal = basis_refusal(basis, programme.level, bolashak_scholar=data.get("bolashak_scholar", False))
            if refusal:
                self.add_error("dlt_basis", refusal)
        group = data.get("group")
        if group is not None and programme is not None and group.programme_id != programme.pk:
            self.add_error("group", _("The group belongs to another programme."))
        return data


@admin.register(StudentRecord)
class StudentRecordAdmin(RoleModelAdmin):
    form = StudentRecordForm
    list_display = ["student", "programme", "group", "year_of_study", "delivery", "dlt_basis", "funding", "status"]
    list_filter = ["delivery", "dlt_basis", "bolashak_scholar", "funding", "status", "programme"]
    search_fields = ["student__last_name", "student__username", "student__iin", "group__name"]
    list_select_related = ["student", "programme", "group"]
    autocomplete_fields = ["student", "group"]

    # What orders change (docs/decisions/0014): on a record that exists, only an order moves the student's
    # status, group, programme or technology, so every change is in their history.
    ORDER_FIELDS = ("status", "group", "programme", "delivery")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + list(self.ORDER_FIELDS) if obj is not None else fields


@admin.register(Course)
class CourseAdmin(RoleModelAdmin):
    list_display = ["__str__", "discipline", "term"]
    list_filter = ["term"]
    search_fields = ["discipline__code", "discipline__name_kk", "discipline__name_ru", "discipline__name_en"]
    list_select_related = ["discipline", "term__academic_year"]
    filter_horizontal = ["teachers", "groups"]


@admin.register(Enrolment)
class EnrolmentAdmin(RoleModelAdmin):
    list_display = ["student", "course", "enrolled_at"]
    list_select_related = ["student", "course__discipline"]
    search_fields = ["student__last_name", "student__username"]
    autocomplete_fields = ["student", "course"]
