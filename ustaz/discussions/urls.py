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
]
