from django.urls import path

from . import views

app_name = "contracts"

urlpatterns = [
    path("contracts/", views.contracts_list, name="list"),
    path("contracts/without/", views.missing, name="missing"),
    path("contracts/without/<int:record_pk>/", views.create, name="create"),
    path("contracts/<int:pk>/", views.contract, name="contract"),
    path("contracts/<int:pk>/contract-<str:language>.pdf", views.contract_pdf, name="contract_pdf"),
    path("contracts/years/<int:pk>/addendum-<str:language>.pdf", views.addendum_pdf, name="addendum_pdf"),
    path("my/contract/", views.my_contract, name="my_contract"),
]
