from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/issue/", views.issue_account, name="issue"),
    path("people/import/", views.import_accounts, name="import"),
    path("people/import/<int:pk>/passwords/", views.import_collect, name="import_collect"),
    path("people/issued/", views.issued, name="issued"),
    path("people/issued/slips.pdf", views.issued_slips, name="issued_slips"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/role/", views.person_role, name="person_role"),
    path("people/<int:pk>/password/", views.person_reissue, name="person_reissue"),
    path("me/", views.profile, name="profile"),
]

from . import audit_views  # noqa: E402

urlpatterns += [
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("language/", views.set_language, name="set_language"),
]
