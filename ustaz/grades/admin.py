from django.contrib import admin

from ustaz.core.admin import RoleInlineMixin, RoleModelAdmin

from .models import GradingScheme, SchemeItem


class SchemeItemInline(RoleInlineMixin, admin.TabularInline):
    model = SchemeItem
    extra = 0
    fields = ["position", "kind", "period", "title", "max_points", "weight", "week"]


@admin.register(GradingScheme)
class GradingSchemeAdmin(RoleModelAdmin):
    """The academic office's journal schemes: a new course's journal starts from its discipline's scheme,
    else its programme's, else the default of rules.md."""

    list_display = ["name", "discipline", "programme"]
    list_filter = ["programme__department__faculty"]
    search_fields = ["name", "discipline__code", "programme__code"]
    autocomplete_fields = ["discipline", "programme"]
    inlines = [SchemeItemInline]
