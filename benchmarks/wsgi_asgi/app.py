"""A one-file Django project: one view that waits on simulated I/O, in a sync and an async form.

`gunicorn app:wsgi` and `uvicorn app:asgi` serve it; `run.py` drives both.
"""

from __future__ import annotations

import asyncio
import os
import time

import django
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import path

# How long each request waits on "the database or an API", in seconds.
IO_SECONDS = float(os.environ.get("IO_SECONDS", "0.05"))

settings.configure(
    DEBUG=False,
    SECRET_KEY="benchmark-only-not-secret",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    LOGGING_CONFIG=None,
)
django.setup()


def sync_view(request: HttpRequest) -> HttpResponse:
    time.sleep(IO_SECONDS)  # a blocking call: holds the worker for the whole wait
    return HttpResponse("done\n", content_type="text/plain")


async def async_view(request: HttpRequest) -> HttpResponse:
    await asyncio.sleep(IO_SECONDS)  # yields the event loop to other requests while waiting
    return HttpResponse("done\n", content_type="text/plain")


urlpatterns = [path("sync/", sync_view), path("async/", async_view)]

from django.core.asgi import get_asgi_application  # noqa: E402 - after settings.configure()
from django.core.wsgi import get_wsgi_application  # noqa: E402

wsgi = get_wsgi_application()
asgi = get_asgi_application()
