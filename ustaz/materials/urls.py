from django.urls import path

from . import views

app_name = "materials"
urlpatterns = [
    path("courses/<int:pk>/", views.course, name="course"),
    path("courses/<int:pk>/sections/new/", views.section_add, name="section_add"),
    path("courses/<int:pk>/materials/new/", views.material_add, name="material_add"),
    path("courses/<int:pk>/materials/<int:material_pk>/", views.material, name="material"),
    path("courses/<int:pk>/materials/<int:material_pk>/file/", views.material_file, name="material_file"),
    path(
        "courses/<int:pk>/materials/<int:material_pk>/downloads/", views.material_downloads, name="material_downloads"
    ),
    path("courses/<int:pk>/materials/<int:material_pk>/edit/", views.material_edit, name="material_edit"),
    path("courses/<int:pk>/materials/<int:material_pk>/publish/", views.material_publish, name="material_publish"),
    path("courses/<int:pk>/materials/<int:material_pk>/move/", views.material_move, name="material_move"),
    path("courses/<int:pk>/materials/<int:material_pk>/delete/", views.material_delete, name="material_delete"),
]
