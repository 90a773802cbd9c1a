from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/<int:pk>/open/", views.open_notice, name="open"),
    path("notifications/read/", views.read_all, name="read_all"),
    path("notifications/preferences/", views.preferences, name="preferences"),
]
