from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ustaz.core.admin import RoleModelAdmin

from .models import User


@admin.register(User)
class UserAdmin(RoleModelAdmin):
    """Profile data only: accounts are issued, roles granted and passwords reset on the People pages,
    where each action is audited."""

    view_roles = ("academic_office", "ict_support", "admin")
    edit_roles = ("academic_office", "ict_support", "admin")
    list_display = ["username", "last_name", "first_name", "iin", "email", "roles_display", "is_active"]
    search_fields = ["username", "last_name", "first_name", "iin", "email"]
    list_filter = ["is_active", "language", "citizenship"]
    fields = [
        "username",
        "last_name",
        "first_name",
        "patronymic",
        "iin",
        "citizenship",
        "email",
        "phone",
        "time_zone",
        "language",
        "is_active",
        "roles_display",
        "last_login",
        "date_joined",
    ]
    readonly_fields = ["roles_display", "last_login", "date_joined"]

    @admin.display(description=_("roles"))
    def roles_display(self, obj):
        return ", ".join(obj.role_labels())

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
