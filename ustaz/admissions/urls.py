from django.urls import path

from . import views

app_name = "admissions"

urlpatterns = [
    path("admission/", views.home, name="home"),
    path("admission/register/", views.register, name="register"),
    path("admission/verify/<str:token>/", views.verify, name="verify"),
    path("admission/apply/<int:offer_pk>/", views.apply, name="apply"),
    path("admission/applications/<int:pk>/", views.application, name="application"),
    path("admission/applications/<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("admission/applications/<int:pk>/submit/", views.submit, name="submit"),
    path("admission/documents/<int:pk>/", views.document_file, name="document"),
    path("admission/commission/", views.queue, name="queue"),
    path("admission/commission/<int:pk>/", views.review, name="review"),
]
