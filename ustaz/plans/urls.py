from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("plans/my/", views.mine, name="mine"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="approve"),
    path("plans/<int:pk>/return/", views.plan_return, name="return"),
    path("plans/<int:pk>/reopen/", views.plan_reopen, name="reopen"),
    path("plans/advising/", views.advising, name="advising"),
    path("plans/windows/", views.windows, name="windows"),
    path("plans/windows/<int:pk>/", views.window_edit, name="window"),
    path("plans/windows/<int:pk>/close/", views.window_close, name="window_close"),
    path("plans/office/", views.office, name="office"),
    path("plans/office/courses/", views.proposal, name="proposal"),
    path("plans/office/courses/apply/", views.apply, name="apply"),
]
