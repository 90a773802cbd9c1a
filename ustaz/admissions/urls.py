from django.urls import path

from . import views, views_exams, views_money

app_name = "admissions"

urlpatterns = [
    path("admission/", views.home, name="home"),
    path("admission/register/", views.register, name="register"),
    path("admission/register/sent/", views.register_sent, name="register_sent"),
    path("admission/verify/<str:token>/", views.verify, name="verify"),
    path("admission/apply/<int:offer_pk>/", views.apply, name="apply"),
    path("admission/applications/<int:pk>/", views.application, name="application"),
    path("admission/applications/<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("admission/applications/<int:pk>/submit/", views.submit, name="submit"),
    path("admission/documents/<int:pk>/", views.document_file, name="document"),
    path("admission/commission/", views.queue, name="queue"),
    path("admission/commission/<int:pk>/", views.review, name="review"),
    path("admission/campaigns/<int:pk>/", views.campaign, name="campaign"),
    # Creative exams
    path("admission/exams/<int:pk>/", views_exams.exam, name="exam"),
    path("admission/exams/<int:pk>/scores/<int:application_pk>/", views_exams.exam_score, name="exam_score"),
    path("admission/exams/<int:pk>/publish/", views_exams.exam_publish, name="exam_publish"),
    path("admission/exams/<int:pk>/join/", views_exams.exam_join, name="exam_join"),
    path(
        "admission/exams/<int:pk>/recording/<int:application_pk>/",
        views_exams.recording_upload,
        name="recording_upload",
    ),
    path("admission/recordings/<int:pk>/", views_exams.recording_file, name="recording"),
    # The competitive list and the decision
    path("admission/programmes/<int:pk>/ranking/", views_exams.offer_ranking, name="ranking"),
    path("admission/decisions/<int:pk>/admitted-<str:language>.pdf", views_exams.decision_pdf, name="decision_pdf"),
    # The contract made at admission, enrolment, reports
    path("admission/commission/<int:pk>/contract/", views_money.contract_create, name="contract_create"),
    path("admission/commission/<int:pk>/enrol/", views_money.enrol, name="enrol"),
    path("admission/reports/", views_money.report, name="report"),
]
