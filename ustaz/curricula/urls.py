from django.urls import path

from . import views

app_name = "curricula"
urlpatterns = [
    path("curricula/", views.curricula_list, name="list"),
    path("curricula/<int:pk>/", views.curriculum_detail, name="curriculum"),
    path("curricula/<int:pk>/lines/new/", views.line_add, name="line_add"),
    path("curricula/<int:pk>/lines/<int:line_pk>/", views.line_edit, name="line_edit"),
    path("curricula/<int:pk>/lines/<int:line_pk>/remove/", views.line_remove, name="line_remove"),
    path("curricula/<int:pk>/groups/new/", views.group_add, name="group_add"),
    path("curricula/<int:pk>/groups/<int:group_pk>/", views.group_edit, name="group_edit"),
    path("curricula/<int:pk>/groups/<int:group_pk>/remove/", views.group_remove, name="group_remove"),
    path("curricula/<int:pk>/approve/", views.curriculum_approve, name="approve"),
    path("curricula/<int:pk>/new-version/", views.curriculum_new_version, name="new_version"),
    path("curricula/<int:pk>/export.xlsx", views.curriculum_export, name="export"),
    path("curricula/<int:pk>/import/", views.curriculum_import, name="import"),
]
