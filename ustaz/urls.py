from django.contrib import admin
from django.urls import include, path

from ustaz.academics import views as academics_views
from ustaz.core import views as core_views

urlpatterns = [
    path("", academics_views.home, name="home"),
    path("", include("ustaz.accounts.urls")),
    path("", include("ustaz.academics.urls")),
    path("", include("ustaz.curricula.urls")),
    path("", include("ustaz.materials.urls")),
    path("", include("ustaz.grades.urls")),
    path("", include("ustaz.notifications.urls")),
    path("", include("ustaz.live.urls")),
    path("", include("ustaz.discussions.urls")),
    path("", include("ustaz.assignments.urls")),
    path("", include("ustaz.quizzes.urls")),
    path("", include("ustaz.attestation.urls")),
    path("", include("ustaz.plans.urls")),
    path("", include("ustaz.records.urls")),
    path("", include("ustaz.contracts.urls")),
    path("", include("ustaz.admissions.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("health/", core_views.health, name="health"),
    path("imports/<int:pk>/", core_views.import_job, name="import_job"),
    path("bench/bare/", core_views.bare, name="bare"),
]
