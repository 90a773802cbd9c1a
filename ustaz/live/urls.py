from django.urls import path

from . import views

app_name = "live"

urlpatterns = [
    path("courses/<int:pk>/classes/", views.course, name="course"),
    path("courses/<int:pk>/classes/new/", views.class_create, name="class_create"),
    path("courses/<int:pk>/classes/attendance/", views.course_attendance, name="course_attendance"),
    path("courses/<int:pk>/classes/<int:class_pk>/", views.class_detail, name="class"),
    path("courses/<int:pk>/classes/<int:class_pk>/edit/", views.class_edit, name="class_edit"),
    path("courses/<int:pk>/classes/<int:class_pk>/cancel/", views.class_cancel, name="class_cancel"),
    path("courses/<int:pk>/classes/<int:class_pk>/join/", views.class_join, name="join"),
    path("courses/<int:pk>/classes/<int:class_pk>/end/", views.class_end, name="class_end"),
    path("courses/<int:pk>/classes/<int:class_pk>/attendance/", views.class_attendance, name="attendance"),
    path("courses/<int:pk>/classes/<int:class_pk>/recordings/", views.recording_add, name="recording_add"),
    path(
        "courses/<int:pk>/classes/<int:class_pk>/recordings/refresh/",
        views.recordings_refresh,
        name="recordings_refresh",
    ),
    path("live/bbb/<int:class_pk>/ended/", views.bbb_ended, name="bbb_ended"),
    path("live/bbb/recording-ready/", views.bbb_recording_ready, name="bbb_recording_ready"),
    path("calendar/", views.my_calendar, name="calendar"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
]
