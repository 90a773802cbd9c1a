from django.contrib import admin

from ustaz.core.admin import RoleInlineMixin, RoleModelAdmin

from .models import Accommodation, Section, Test


class SectionInline(RoleInlineMixin, admin.TabularInline):
    model = Section
    extra = 0


class AccommodationInline(RoleInlineMixin, admin.TabularInline):
    """A student's own conditions for a test (§1.5: special educational needs): extra time, other dates."""

    model = Accommodation
    extra = 0
    autocomplete_fields = ["student"]
    fields = ["student", "extra_minutes", "opens_at", "closes_at"]


@admin.register(Test)
class TestAdmin(RoleModelAdmin):
    list_display = ["title", "course", "opens_at", "closes_at", "time_limit_minutes"]
    search_fields = ["title", "course__discipline__code"]
    list_filter = ["opens_at"]
    autocomplete_fields = ["course"]
    raw_id_fields = ["grade_item"]
    inlines = [SectionInline, AccommodationInline]
