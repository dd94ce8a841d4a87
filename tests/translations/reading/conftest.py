import pytest

from translations.models import GlossaryStatus, GlossaryTerm
from translations.reading import _annotate, glossary_changed


@pytest.fixture(autouse=True)
def _fresh_reading_state():
    """Each test starts from an empty annotation cache in this process (the Django cache is
    emptied by tests/conftest.py) and a glossary version no earlier test has seen."""
    _annotate.clear_local_cache()
    glossary_changed()
    yield
    _annotate.clear_local_cache()


@pytest.fixture
def approved_term(db):
    def make(term: str, language: str, variants: list[str] | None = None) -> GlossaryTerm:
        row = GlossaryTerm.objects.create(
            term=term,
            language=language,
            variants=variants or [],
            explanation_en=f"about {term}",
            status=GlossaryStatus.APPROVED,
        )
        glossary_changed()
        return row

    return make
