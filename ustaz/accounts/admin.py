from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ustaz.core.admin import RoleModelAdmin
from ustaz.core.models import AuditAction
from ustaz.core.services import audit_record

from . import access
from .models import User


@admin.register(User)
class UserAdmin(RoleModelAdmin):
    """Profile data only: accounts are issued, roles granted and passwords reset on the People pages,
    where each action is audited. A person is changed here (e-mail, login, activity) only by someone who may
    manage their account (accounts.access.can_manage_person): others see it read-only."""

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

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return super().has_change_permission(request, obj) and access.can_manage_person(request.user, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id:
            person = self.get_object(request, object_id)
            if person is not None and not access.can_manage_person(request.user, person):
                # Recorded here, before the admin's own transaction that its refusal rolls back.
                audit_record(
                    action=AuditAction.ACCOUNT_CHANGE_REFUSED,
                    actor=request.user,
                    target=person,
                    request=request,
                    details={"attempt": "admin"},
                )
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        # The rule again on the stored row (the form's instance carries the roles it was loaded with).
        access.require(access.can_manage_person(request.user, User.objects.get(pk=obj.pk)))
        super().save_model(request, obj, form, change)

    def get_actions(self, request):
        # No bulk action may reach an account its user could not change one by one.
        return {}

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
