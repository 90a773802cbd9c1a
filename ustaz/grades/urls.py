from django.urls import path

from . import views

app_name = "grades"
urlpatterns = [
    path("courses/<int:pk>/grades/", views.course_grades, name="course"),
    path("courses/<int:pk>/grades/cell/", views.journal_cell, name="cell"),
]
