"""The admin lives at /backstage/, not the /admin/ every scanner tries.

Each app a page defines that has a ``urls.py`` is mounted at ``/<app label>/``.
"""

from __future__ import annotations

import importlib.util

from django.apps import apps
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [path("backstage/", admin.site.urls)]

for config in apps.get_app_configs():
    if config.name.startswith("django.") or config.name.startswith("testproject"):
        continue
    if importlib.util.find_spec(f"{config.name}.urls") is not None:
        urlpatterns.append(path(f"{config.label}/", include(f"{config.name}.urls")))
