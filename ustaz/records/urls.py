from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("office/orders/", views.orders, name="orders"),
    path("office/orders/new/", views.order_create, name="order_create"),
    path("office/orders/<int:pk>/", views.order, name="order"),
    path("office/orders/<int:pk>/issue/", views.order_issue, name="order_issue"),
    path("office/orders/<int:pk>/delete/", views.order_delete, name="order_delete"),
    path("office/orders/<int:pk>/order-<str:language>.pdf", views.order_pdf, name="order_pdf"),
    path("orders/<int:pk>/students/<int:record_pk>/<str:language>.pdf", views.extract_pdf, name="extract_pdf"),
    path("students/<int:pk>/history/", views.history, name="history"),
]
