"""Settings of the project the docs' snippets run in (see CONTRIBUTING.md).

One settings module for both databases: ``SNIPPETCHECK_DATABASE=postgres`` with the connection in
``SNIPPETCHECK_POSTGRES_*`` selects PostgreSQL (and ``django.contrib.postgres``); SQLite otherwise.
snippetcheck sets these variables itself; they are named here for running ``manage.py`` by hand.
Apps a page defines with file snippets are added to INSTALLED_APPS while that page runs.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# A throwaway project that never serves a request from outside.
SECRET_KEY = "snippetcheck-not-secret"
DEBUG = True
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "testproject.urls"

# A page's own templates folder (snippetcheck puts the page's files first on the path).
PAGE_DIR = Path(os.environ.get("SNIPPETCHECK_PAGE_DIR", BASE_DIR))

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "testproject.wsgi.application"
ASGI_APPLICATION = "testproject.asgi.application"

if os.environ.get("SNIPPETCHECK_DATABASE") == "postgres":
    INSTALLED_APPS.append("django.contrib.postgres")
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("SNIPPETCHECK_POSTGRES_NAME", "postgres"),
            "USER": os.environ.get("SNIPPETCHECK_POSTGRES_USER", ""),
            "PASSWORD": os.environ.get("SNIPPETCHECK_POSTGRES_PASSWORD", ""),
            "HOST": os.environ.get("SNIPPETCHECK_POSTGRES_HOST", ""),
            "PORT": os.environ.get("SNIPPETCHECK_POSTGRES_PORT", ""),
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SNIPPETCHECK_SQLITE_NAME", str(PAGE_DIR / "db.sqlite3")),
            # A throwaway database per page: durability only costs fsyncs.
            "OPTIONS": {"init_command": "PRAGMA synchronous=OFF; PRAGMA journal_mode=MEMORY"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_PASSWORD_VALIDATORS: list[dict[str, str]] = []
# Fast hashing: pages create users, and the default hasher costs a third of a second each.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
