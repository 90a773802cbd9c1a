from django.urls import path

from . import tus, views

app_name = "assignments"

urlpatterns = [
    path("courses/<int:pk>/assignments/", views.course, name="course"),
    path("courses/<int:pk>/assignments/new/", views.create, name="create"),
    path("courses/<int:pk>/assignments/<int:assignment_pk>/", views.assignment, name="assignment"),
    path("courses/<int:pk>/assignments/<int:assignment_pk>/edit/", views.edit, name="edit"),
    path("courses/<int:pk>/assignments/<int:assignment_pk>/submit/", views.submit, name="submit"),
    path(
        "courses/<int:pk>/assignments/<int:assignment_pk>/files/<int:file_pk>/",
        views.instructions_file,
        name="instructions_file",
    ),
    path("courses/<int:pk>/assignments/<int:assignment_pk>/uploads/", tus.collection, name="uploads"),
    path("courses/<int:pk>/assignments/<int:assignment_pk>/uploads/<uuid:upload_id>/", tus.resource, name="upload"),
    path("submissions/<int:submission_pk>/", views.submission, name="submission"),
    path("submissions/files/<int:file_pk>/", views.file, name="file"),
    path("submissions/files/<int:file_pk>/comments/", views.comment, name="comment"),
    path("reviews/", views.queue, name="queue"),
]
