from django.urls import path

from . import views

app_name = "attestation"
urlpatterns = [
    path("attestation/commissions/", views.commissions, name="commissions"),
    path("attestation/mine/", views.mine, name="mine"),
    path("attestation/commissions/<int:pk>/", views.commission, name="commission"),
    path("attestation/commissions/<int:pk>/members/", views.member_add, name="member_add"),
    path("attestation/commissions/<int:pk>/members/issue/", views.member_issue, name="member_issue"),
    path("attestation/commissions/<int:pk>/members/<int:member_pk>/remove/", views.member_remove, name="member_remove"),
    path("attestation/commissions/<int:pk>/conflicts/", views.conflict_declare, name="conflict"),
    path("attestation/commissions/<int:pk>/admission/", views.admission, name="admission"),
    path("attestation/commissions/<int:pk>/students/<int:student_pk>/", views.student, name="student"),
]
