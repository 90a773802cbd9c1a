from django.urls import path

from . import views

app_name = "academics"
urlpatterns = [
    path("office/courses/new/", views.course_create, name="course_create"),
    path("office/courses/<int:pk>/enrol/", views.course_enrol, name="course_enrol"),
    path("office/students/import/", views.students_import, name="students_import"),
]
