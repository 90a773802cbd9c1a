import subprocess
import sys

from django.conf import settings


def test_health_reports_database_cache_and_storage(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "storage": "ok"}}


def test_health_says_503_when_storage_fails(client, db, settings, tmp_path):
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where a folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(blocked)}},
    }
    from django.core.files.storage import storages

    storages._storages.pop("default", None)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "error"


def test_pages_carry_a_content_security_policy(client, db):
    response = client.get("/accounts/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_the_deploy_check_passes_with_production_settings(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "USTAZ_VAR_DIR": str(tmp_path),
        "USTAZ_SECRET_KEY": "x" * 60 + "production-secret",
        "USTAZ_ALLOWED_HOSTS": "ustaz.example.kz",
        "USTAZ_SECURE": "1",
        "USTAZ_BEHIND_PROXY": "1",
        "USTAZ_TRUSTED_PROXIES": "10.0.0.0/24",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
