from django.urls import path

from . import views

app_name = "discussions"

urlpatterns = [
    path("chat/", views.inbox, name="inbox"),
    path("chat/<int:pk>/", views.room, name="room"),
    path("chat/<int:pk>/history/", views.history, name="history"),
    path("chat/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("chat/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("chat/with/<int:user_pk>/", views.direct, name="direct"),
    path("courses/<int:pk>/chat/", views.course_room, name="course_room"),
    path("courses/<int:pk>/chat/groups/<int:group_pk>/", views.group_room, name="group_room"),
    path("courses/<int:pk>/forum/", views.course_forum, {"kind": "discussion"}, name="course_forum"),
    path("courses/<int:pk>/announcements/", views.course_forum, {"kind": "announcements"}, name="course_announcements"),
    path("announcements/", views.university_announcements, name="university_announcements"),
    path("forums/<int:pk>/", views.forum, name="forum"),
    path("forums/<int:pk>/new/", views.thread_create, name="thread_create"),
    path("forums/<int:pk>/subscribe/", views.subscribe, name="subscribe"),
    path("forums/threads/<int:pk>/", views.thread, name="thread"),
    path("forums/threads/<int:pk>/moderate/", views.thread_moderate, name="thread_moderate"),
    path("forums/threads/<int:pk>/posts/<int:post_pk>/delete/", views.post_delete, name="post_delete"),
    path("forums/files/<int:pk>/", views.post_file, name="post_file"),
]
