from django.apps import AppConfig
from django.urls import register_converter

from backend.converters import IdConverter


class BackendConfig(AppConfig):
    """The project shell as an app: templates, static files, translations, and the `<id:…>`
    path converter, registered here because ready() runs before any URLconf is read."""

    name = "backend"

    def ready(self):
        register_converter(IdConverter, "id")
