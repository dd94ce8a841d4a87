"""Forms of the translations app's pages: a reader's glossary suggestion."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rednote.web import ServiceErrorsMixin

from .glossary_rules import GLOSSARY_LANGUAGES, GLOSSARY_PINYIN_MAX_LENGTH
from .models import (
    GLOSSARY_EXAMPLE_MAX_LENGTH,
    GLOSSARY_EXPLANATION_MAX_LENGTH,
    GLOSSARY_TERM_MAX_LENGTH,
)


class GlossarySuggestForm(ServiceErrorsMixin, forms.Form):
    """A reader's suggested term. The form only reads the fields; `glossary_term_suggest`
    checks them (its errors land on the fields they name)."""

    term = forms.CharField(
        label=_("Term"),
        max_length=GLOSSARY_TERM_MAX_LENGTH,
        required=False,
        help_text=_("The word or phrase as people write it: yyds, 绝绝子, no cap."),
    )
    language = forms.ChoiceField(
        label=_("Language of the term"),
        choices=lambda: [("", "—"), *GLOSSARY_LANGUAGES.items()],
        required=False,
    )
    variants = forms.CharField(
        label=_("Other spellings"),
        required=False,
        max_length=500,
        help_text=_("Optional, separated by commas: YYDS, 永遠的神."),
    )
    pinyin = forms.CharField(
        label=_("Pinyin"),
        required=False,
        max_length=GLOSSARY_PINYIN_MAX_LENGTH,
        help_text=_("For a Chinese term, with tone marks: yǒngyuǎn de shén."),
    )
    explanation_en = forms.CharField(
        label=_("What it means, in English"),
        required=False,
        max_length=GLOSSARY_EXPLANATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    explanation_zh = forms.CharField(
        label=_("What it means, in Chinese"),
        required=False,
        max_length=GLOSSARY_EXPLANATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Explain it in at least one of the two languages."),
    )
    example = forms.CharField(
        label=_("Example"),
        required=False,
        max_length=GLOSSARY_EXAMPLE_MAX_LENGTH,
        help_text=_("Optional: a sentence that uses the term."),
    )
    example_translation = forms.CharField(
        label=_("The example, translated"),
        required=False,
        max_length=GLOSSARY_EXAMPLE_MAX_LENGTH,
    )
