"""Pages of the translations app (reading aids): the slang glossary and the dictionary."""

from django.urls import path

from .views import dictionary, glossary

app_name = "translations"

urlpatterns: list = [
    path("dictionary/", dictionary.dictionary_page, name="dictionary"),
    path("glossary/", glossary.glossary_page, name="glossary"),
    path("glossary/suggest/", glossary.glossary_suggest, name="glossary_suggest"),
]
