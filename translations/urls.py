"""Pages of the translations app (reading aids): the slang glossary and the dictionary."""

from django.urls import path

from .views import dictionary

app_name = "translations"

urlpatterns: list = [
    path("dictionary/", dictionary.dictionary_page, name="dictionary"),
]
