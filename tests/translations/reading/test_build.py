import json
import os
import subprocess
import sys
import time

from translations.reading import _dictionary


def test_ensure_built_builds_once_and_replaces_stale_builds(tmp_path, monkeypatch):
    stale = tmp_path / "cedict-0123456789abcdef"
    stale.mkdir()
    (stale / "meta.json").write_text(json.dumps({"fingerprint": "0123456789abcdef"}))
    two_days_ago = time.time() - 2 * 24 * 60 * 60
    os.utime(stale / "meta.json", (two_days_ago, two_days_ago))

    directory = _dictionary.ensure_built(tmp_path)

    fingerprint = _dictionary.fingerprint()
    assert directory == tmp_path / f"cedict-{fingerprint}"
    meta = json.loads((directory / "meta.json").read_text())
    assert meta["fingerprint"] == fingerprint
    assert meta["entries"] > 100_000
    assert not stale.exists()
    # Nothing half-made is left next to it.
    assert sorted(p.name for p in tmp_path.iterdir()) == [".build.lock", directory.name]
    data = _dictionary.CedictData(directory)
    assert data.word("银行") is not None

    # Built: the next process uses it without building.
    def no_build(*args, **kwargs):
        raise AssertionError("rebuilt")

    monkeypatch.setattr(subprocess, "run", no_build)
    assert _dictionary.ensure_built(tmp_path) == directory


def test_other_builds_are_removed_only_after_a_day(tmp_path):
    """While an upgrade rolls out, old workers still use (and would rebuild) the old build."""
    keep, recent, old = (tmp_path / f"cedict-{name}" for name in ("new", "recent", "old"))
    for directory in (keep, recent, old):
        directory.mkdir()
        (directory / "meta.json").write_text("{}")
    two_days_ago = time.time() - 2 * 24 * 60 * 60
    os.utime(old / "meta.json", (two_days_ago, two_days_ago))

    _dictionary._remove_stale(tmp_path, keep=keep)

    assert keep.exists()
    assert recent.exists()
    assert not old.exists()


def test_importing_the_package_loads_no_dictionary():
    code = (
        "import os, sys, django\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'rednote.settings')\n"
        "django.setup()\n"
        "import translations.reading as r\n"
        "from translations.reading import _dictionary, _convert\n"
        "heavy = {'opencc', 'pypinyin', 'marisa_trie'} & set(sys.modules)\n"
        "jieba = sys.modules.get('jieba')\n"
        "segmenter = bool(jieba and jieba.dt.initialized)\n"
        "print(sorted(heavy), segmenter, _dictionary.is_loaded(), _convert.loaded_configs())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    # (notes.search imports jieba; its dictionary is loaded on the first search.)
    assert result.stdout.strip() == "[] False False ()"


def test_ensure_built_falls_back_to_the_temp_directory_when_not_writable(tmp_path, monkeypatch):
    # (A path under a file: not writable even for root, unlike a chmod-ed directory.)
    not_a_directory = tmp_path / "a-file"
    not_a_directory.write_text("")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    # The build itself is the one the other test makes: here only where it goes matters.
    built = []
    monkeypatch.setattr(
        _dictionary, "_build_into", lambda root, directory, print_: built.append(directory)
    )
    _dictionary.ensure_built(not_a_directory / "reading")
    fingerprint = _dictionary.fingerprint()
    assert built == [scratch / "rednote-reading" / f"cedict-{fingerprint}"]
