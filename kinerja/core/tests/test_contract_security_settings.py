"""Security by default: headers, password hashing, the production checklist."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import get_hasher
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]


def test_passwords_are_hashed_with_argon2(db):
    assert get_hasher().algorithm == "argon2"


def test_pages_carry_the_secure_headers(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_every_form_is_protected_against_cross_site_requests(client, db):
    client = client.__class__(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403


def _production_env(**extra) -> dict:
    # Only what a production host would have: none of the test run's own variables.
    inherited = {
        k: os.environ[k] for k in ("PATH", "HOME", "LANG", "PYTHONPATH") if k in os.environ
    }
    env = {
        **inherited,
        "KINERJA_ENV": "production",
        "SECRET_KEY": "a-long-production-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "kinerja.palembang.go.id",
        "DJANGO_SETTINGS_MODULE": "kinerja.settings",
        **extra,
    }
    return env


def test_the_production_settings_pass_django_deployment_checks():
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_uploaded_files_live_outside_any_web_root(client, db):
    private = Path(settings.STORAGES["default"]["OPTIONS"]["location"]).resolve()
    assert not str(private).startswith(str(Path(settings.STATIC_ROOT).resolve()))
    assert settings.STORAGES["default"]["OPTIONS"]["base_url"] is None
    (private / "imports").mkdir(parents=True, exist_ok=True)
    (private / "imports" / "secret.csv").write_text("nip,nama\n")
    for path in ("/imports/secret.csv", "/static/imports/secret.csv", "/media/imports/secret.csv"):
        assert client.get(path).status_code in (302, 404)


def test_production_refuses_to_start_in_demo_mode():
    """The demo password is published: in production it would open every account."""
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        cwd=ROOT,
        env=_production_env(KINERJA_DEMO="1"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "KINERJA_DEMO must be off when KINERJA_ENV=production" in result.stderr


def _start_web(env: dict) -> subprocess.CompletedProcess:
    """What gunicorn does first: import the WSGI application."""
    return subprocess.run(
        [sys.executable, "-c", "import kinerja.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_collected_static_files_is_one_clear_start_up_error(tmp_path):
    env = _production_env(KINERJA_VAR_DIR=str(tmp_path))
    refused = _start_web(env)
    assert refused.returncode != 0
    assert "No static files manifest" in refused.stderr
    assert "kinerja collectstatic --noinput" in refused.stderr

    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    started = _start_web(env)
    assert started.returncode == 0, started.stderr
