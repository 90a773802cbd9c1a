from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("banks/", views.banks, name="banks"),
    path("banks/<int:pk>/", views.bank, name="bank"),
    path("banks/<int:pk>/imports/<int:import_pk>/", views.bank_import_status, name="bank_import"),
    path("banks/<int:pk>/export/<str:fmt>/", views.bank_export, name="bank_export"),
    path("banks/template.xlsx", views.xlsx_template, name="xlsx_template"),
    path("banks/<int:pk>/questions/<int:question_pk>/", views.question_edit, name="question_edit"),
    path("courses/<int:pk>/tests/<int:test_pk>/questions/<int:question_pk>/regrade/", views.regrade, name="regrade"),
    path("courses/<int:pk>/tests/", views.course_tests, name="course"),
    path("courses/<int:pk>/tests/new/", views.test_create, name="create"),
    path("courses/<int:pk>/tests/<int:test_pk>/", views.test, name="test"),
    path("courses/<int:pk>/tests/<int:test_pk>/edit/", views.test_edit, name="edit"),
    path("courses/<int:pk>/tests/<int:test_pk>/start/", views.start, name="start"),
    path("attempts/<int:attempt_pk>/", views.attempt, name="attempt"),
    path("attempts/<int:attempt_pk>/save/", views.save, name="save"),
    path("attempts/<int:attempt_pk>/take-over/", views.take_over, name="take_over"),
    path("attempts/<int:attempt_pk>/media/<int:position>/", views.question_media, name="media"),
    path(
        "attempts/<int:attempt_pk>/media/<int:position>/options/<int:option>/",
        views.option_media,
        name="option_media",
    ),
    path("attempts/<int:attempt_pk>/event/", views.event, name="event"),
    path("attempts/<int:attempt_pk>/submit/", views.submit, name="submit"),
    path("attempts/<int:attempt_pk>/review/", views.review, name="review"),
    path("attempts/<int:attempt_pk>/essays/<int:position>/", views.essay_grade, name="essay_grade"),
    path("tests/essays/", views.essays, name="essays"),
]
