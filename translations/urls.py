"""Pages of the translations app (reading aids): the slang glossary and the dictionary."""

from django.urls import path  # noqa: F401 - routes are added below as their views land

app_name = "translations"

urlpatterns: list = []
