from django.conf import settings


def ustaz(request):
    return {"UNIVERSITY_NAME": settings.UNIVERSITY_NAME, "LANGUAGES": settings.LANGUAGES}
