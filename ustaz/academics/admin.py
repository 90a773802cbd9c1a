from django.contrib import admin

from ustaz.core.admin import RoleInlineMixin, RoleModelAdmin

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


@admin.register(StudentRecord)
class StudentRecordAdmin(RoleModelAdmin):
    list_display = ["student", "programme", "group", "year_of_study", "delivery", "dlt_basis", "funding", "status"]
    list_filter = ["delivery", "dlt_basis", "funding", "status", "programme"]
    search_fields = ["student__last_name", "student__username", "student__iin", "group__name"]
    list_select_related = ["student", "programme", "group"]
    autocomplete_fields = ["student", "group"]


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
