import pytest

from translations.reading import Aids, aids_for


@pytest.mark.parametrize(
    ("language", "reads", "learning", "enabled", "expected"),
    [
        # An English reader learning nothing in particular: Chinese is annotated.
        ("zh-Hans", ["en"], [], True, Aids(annotate=True, convert_to=None)),
        ("zh-Hant", ["en"], [], True, Aids(annotate=True, convert_to=None)),
        ("zh", ["en"], [], True, Aids(annotate=True, convert_to=None)),
        # Aids off: no annotation.
        ("zh-Hans", ["en"], [], False, Aids(annotate=False, convert_to=None)),
        # A text in a language the reader reads is not annotated...
        ("en", ["en"], [], True, Aids(annotate=False, convert_to=None)),
        ("en-GB", ["en"], [], True, Aids(annotate=False, convert_to=None)),
        # ...unless they say they are learning it.
        ("en", ["en", "zh-Hans"], ["en"], True, Aids(annotate=True, convert_to=None)),
        # Learning a list: only those languages are annotated.
        ("zh-Hans", ["fr"], ["en"], True, Aids(annotate=False, convert_to=None)),
        ("en", ["zh-Hans"], ["en"], True, Aids(annotate=True, convert_to=None)),
        # Scripts of one language count as one for learning.
        ("zh-Hant", ["en"], ["zh-Hans"], True, Aids(annotate=True, convert_to=None)),
        # Only zh and en are ever annotated.
        ("ja", ["en"], [], True, Aids(annotate=False, convert_to=None)),
        ("ko", ["en"], ["ko"], True, Aids(annotate=False, convert_to=None)),
        ("", ["en"], [], True, Aids(annotate=False, convert_to=None)),
        # Script conversion: a zh-Hans reader who doesn't read zh-Hant, and the reverse.
        ("zh-Hant", ["zh-Hans"], [], True, Aids(annotate=False, convert_to="zh-Hans")),
        ("zh-Hans", ["zh-Hant"], [], True, Aids(annotate=False, convert_to="zh-Hant")),
        # ...independent of `enabled`.
        ("zh-Hant", ["zh-Hans", "en"], [], False, Aids(annotate=False, convert_to="zh-Hans")),
        # Reads both scripts: no conversion.
        ("zh-Hant", ["zh-Hans", "zh-Hant"], [], True, Aids(annotate=False, convert_to=None)),
        # Learning Chinese and reading Simplified only: converted and annotated.
        ("zh-Hant", ["zh-Hans"], ["zh"], True, Aids(annotate=True, convert_to="zh-Hans")),
        # Unknown script, or reads neither script: no conversion.
        ("zh", ["zh-Hans"], [], True, Aids(annotate=False, convert_to=None)),
        ("zh-Hant", ["en"], [], True, Aids(annotate=True, convert_to=None)),
    ],
)
def test_aids_for(language, reads, learning, enabled, expected):
    assert aids_for(language=language, reads=reads, learning=learning, enabled=enabled) == expected


def test_aids_for_enabled_defaults_to_true():
    assert aids_for(language="zh-Hans", reads=["en"], learning=[]).annotate
