from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent

admin.site.site_header = _("Ustaz administration")
admin.site.site_title = "Ustaz"
admin.site.index_title = _("Academic structure and records")

# Staff roles are held on the user (academic office, ICT support, administrator), not in Django's
# is_staff flag: the admin opens to them, and each ModelAdmin says which role may change what.
ADMIN_ROLES = ("academic_office", "ict_support", "admin")


def _admin_has_permission(request):
    user = request.user
    return user.is_active and user.is_authenticated and user.has_role(*ADMIN_ROLES)


admin.site.has_permission = _admin_has_permission


class RoleModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose permissions come from Ustaz roles."""

    view_roles: tuple[str, ...] = ("academic_office", "admin")
    edit_roles: tuple[str, ...] = ("academic_office", "admin")

    def has_module_permission(self, request):
        return request.user.has_role(*self.view_roles, *self.edit_roles)

    def has_view_permission(self, request, obj=None):
        return request.user.has_role(*self.view_roles, *self.edit_roles)

    def has_add_permission(self, request):
        return request.user.has_role(*self.edit_roles)

    def has_change_permission(self, request, obj=None):
        return request.user.has_role(*self.edit_roles)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_role(*self.edit_roles)


class RoleInlineMixin:
    """An inline whose permissions come from Ustaz roles, like RoleModelAdmin's."""

    edit_roles: tuple[str, ...] = ("academic_office", "admin")

    def has_view_permission(self, request, obj=None):
        return request.user.has_role(*self.edit_roles)

    def has_add_permission(self, request, obj=None):
        return request.user.has_role(*self.edit_roles)

    def has_change_permission(self, request, obj=None):
        return request.user.has_role(*self.edit_roles)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_role(*self.edit_roles)


@admin.register(AuditEvent)
class AuditEventAdmin(RoleModelAdmin):
    view_roles = ("ict_support", "admin")
    edit_roles = ()
    list_display = ["at", "action", "actor", "target_repr", "ip_address"]
    list_filter = ["action"]
    search_fields = ["target_repr", "actor__username"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
