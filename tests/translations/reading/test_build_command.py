"""`manage.py reading_build`: the image build and the quick start build the dictionary files
ahead of the first reader; with an up-to-date build there it only names it."""

from django.core.management import call_command

from translations.reading import dictionary_build, dictionary_lookup


def test_reading_build_names_the_current_build(capsys):
    call_command("reading_build")
    out = capsys.readouterr().out
    assert str(dictionary_build()) in out
    assert dictionary_lookup("银行").entries
