from django.urls import path

from . import views

app_name = "academics"
urlpatterns = [
    path("office/courses/new/", views.course_create, name="course_create"),
    path("office/courses/<int:pk>/enrol/", views.course_enrol, name="course_enrol"),
    path("office/students/import/", views.students_import, name="students_import"),
    path("office/bases/", views.bases, name="bases"),
    path("office/students/<int:pk>/basis/", views.student_basis, name="student_basis"),
    path("office/students/<int:pk>/basis/document/", views.basis_document, name="basis_document"),
    path("office/measures/", views.measures, name="measures"),
    path("office/measures/new/", views.measure_create, name="measure_create"),
    path("office/measures/<int:pk>/", views.measure, name="measure"),
    path("office/measures/<int:pk>/end/", views.measure_end, name="measure_end"),
    # The student's file (docs/decisions/0016-student-file.md)
    path("students/<int:pk>/file/", views.student_file, name="student_file"),
    path("my/file/", views.my_file, name="my_file"),
    path("my/advisees/", views.advisees, name="advisees"),
    path("office/students/", views.students, name="students"),
    path("office/groups/", views.groups, name="groups"),
    path("office/groups/<int:pk>/advisor/", views.group_advisor, name="group_advisor"),
]
