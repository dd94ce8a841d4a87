"""How fast and how small are the reading aids? `.venv/bin/python bench/reading.py`

Measures `translations.reading` on the demo data (demo/seed.json) with the shipped slang
glossary (translations/data/glossary.json, matched in memory: nothing is written anywhere):

- CPU time (`time.process_time()`, median of the repeats, interleaved with the baseline) to
  annotate a 1,000-character Chinese note without the annotation cache (segmentation, pinyin,
  glosses, slang), beside jieba's segmentation of the same text alone; with the process's
  per-word memo warm (steady state) and emptied before each run (a text of new words);
  then a cached annotation (this process's memory, and the shared Django cache) and a
  1,000-character English text;
- resident memory added by each dictionary, each in a fresh Python process (RSS before and
  after loading it and using it): CC-CEDICT (memory-mapped tries and entries), pypinyin,
  each OpenCC converter, the slang matcher; jieba's dictionary separately (search pays it);
- a fresh process serving the quick start's first page (the discover page `/`, Django test
  client): the time of that first request, what importing the reading package costs, and that
  the request loaded no reading dictionary.

Targets: Chinese 1,000 characters uncached ≤ 20 ms median; memory added by the reading
aids' dictionaries ≤ 80 MB per worker (jieba not counted); the first page loads none of them.
Exits with status 1 when one is missed.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rednote.settings")

TARGET_CHINESE_MS = 20.0
TARGET_MEMORY_MB = 80.0
TEXT_LENGTH = 1000

# Runs in a fresh interpreter: RSS added by loading one dictionary (and using it a little, so
# the pages it touches in ordinary use are counted).
MEMORY_PROBE = r"""
import json, os, sys
sys.path.insert(0, sys.argv[1])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rednote.settings")
def rss():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
import django
django.setup()
import translations.reading as reading
from translations.reading import _annotate, _convert, _dictionary, _slang
what = sys.argv[2]
texts = json.loads(sys.argv[3])
glossary = json.loads(sys.argv[4])
if what == "jieba":
    import jieba
    before = rss()
    jieba.initialize()
elif what == "cedict":
    import jieba
    jieba.initialize()
    _slang.install_matcher(_slang.SlangMatcher("bench", None, {}))
    before = rss()
    for text in texts:
        _annotate.annotate_segments(text, "mixed", "bench")
    for word in ("银行", "bank", "walk", "猫", "happy", "音乐"):
        reading.dictionary_lookup(word)
elif what == "pypinyin (runtime)":
    import jieba
    jieba.initialize()
    _slang.install_matcher(_slang.SlangMatcher("bench", None, {}))
    _annotate.annotate_segments(texts[0], "mixed", "bench")
    before = rss()
    assert "pypinyin" not in sys.modules, "pypinyin is loaded at run time"
elif what == "pypinyin with phrases (not used)":
    before = rss()
    import pypinyin
    pypinyin.pinyin("银行")
elif what.startswith("opencc "):
    before = rss()
    _convert.converter(what.split()[1]).convert(texts[0])
elif what == "word memo, full":
    import jieba
    from translations.reading._dictionary import cedict
    jieba.initialize()
    data = cedict()
    words = [w for w in jieba.dt.FREQ if len(w) > 1][: 3 * _annotate.WORD_MEMO_SIZE]
    english = sorted(data.english.keys())[: 2 * _annotate.WORD_MEMO_SIZE]
    _annotate.chinese_segments("银行")
    before = rss()
    for word in words:
        _annotate.chinese_segments(word)
    for word in english:
        _annotate.english_segment(word)
elif what == "annotation LRU, full":
    import jieba
    jieba.initialize()
    _slang.install_matcher(_slang.SlangMatcher("bench", None, {}))
    _annotate.annotate_segments(texts[0], "mixed", "bench")
    before = rss()
    # Distinct texts of ordinary length, annotated and remembered as a page would.
    for i in range(3 * _annotate.LOCAL_CACHE_CHARACTERS // 500):
        start = (i * 37) % 500
        text = (texts[0] * 2)[start : start + 500] + str(i)
        packed = _annotate._pack(_annotate._compute(text, "zh-Hans", None, "bench"))
        _annotate._remember(str(i), _annotate._unpack(packed, "zh-Hans", None))
elif what == "slang matcher":
    _dictionary.cedict().simplified_characters("預熱")
    before = rss()
    rows = [
        (i, g["term"], g.get("variants"), g["language"]) for i, g in enumerate(glossary, 1)
    ]
    matcher = _slang.matcher_from_terms("bench", rows)
    for text in texts:
        matcher.matches(text)
print(json.dumps({"added": rss() - before}))
"""

# Runs in a fresh interpreter: the quick start's first page.
FIRST_PAGE_PROBE = r"""
import json, os, sys, time
sys.path.insert(0, sys.argv[1])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rednote.settings")
import django
django.setup()
start = time.perf_counter()
if sys.argv[2] == "import-first":
    import translations.reading
import_ms = (time.perf_counter() - start) * 1000
from django.test import Client
start = time.perf_counter()
response = Client().get("/", HTTP_HOST="localhost")
page_ms = (time.perf_counter() - start) * 1000
from translations.reading import _convert, _dictionary
jieba = sys.modules.get("jieba")
print(json.dumps({
    "status": response.status_code,
    "import_ms": import_ms,
    "page_ms": page_ms,
    "cedict": _dictionary.is_loaded(),
    "opencc": list(_convert.loaded_configs()),
    "pypinyin": "pypinyin" in sys.modules,
    "jieba_dictionary": bool(jieba and jieba.dt.initialized),
}))
"""


def seed() -> dict:
    return json.loads((ROOT / "demo" / "seed.json").read_text(encoding="utf-8"))


def text_of(language_prefix: str) -> str:
    data = seed()
    parts = [f"{n['title']}\n{n['body']}" for n in data["notes"]]
    parts = [
        p
        for p, n in zip(parts, data["notes"], strict=True)
        if n["language"].startswith(language_prefix)
    ]
    parts += [c["body"] for c in data["comments"] if c["language"].startswith(language_prefix)]
    return "\n".join(parts)[:TEXT_LENGTH]


def glossary() -> list[dict]:
    return json.loads((ROOT / "translations" / "data" / "glossary.json").read_text("utf-8"))


def median_ms(function, repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        start = time.process_time()
        function()
        samples.append((time.process_time() - start) * 1000)
    return statistics.median(samples)


def interleaved(functions: dict, repeats: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeats):
        for name, function in functions.items():
            start = time.process_time()
            function()
            samples[name].append((time.process_time() - start) * 1000)
    return {name: statistics.median(values) for name, values in samples.items()}


def probe(code: str, *args: str, env: dict | None = None) -> dict:
    result = subprocess.run(  # noqa: S603 (our probe, this interpreter)
        [sys.executable, "-c", code, str(ROOT), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def first_page_env() -> tuple[dict, str]:
    """The configured database, or a throw-away migrated SQLite one (never the quick
    start's db.sqlite3, which may be behind on migrations)."""
    if os.environ.get("DATABASE_URL"):
        return {}, "configured database"
    path = Path(tempfile.mkdtemp(prefix="bench-reading-")) / "db.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{path}", "ENV_FILE": ""}
    subprocess.run(  # noqa: S603 (manage.py migrate, this interpreter)
        [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"],
        env={**os.environ, **env},
        check=True,
        timeout=600,
    )
    return env, "throw-away SQLite"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=31)
    parser.add_argument("--pages", type=int, default=5, help="fresh processes for the page")
    args = parser.parse_args()

    import django

    django.setup()
    import jieba

    from translations.reading import _annotate, _dictionary, _slang, reading_annotate

    chinese, english = text_of("zh"), text_of("en")
    terms = glossary()
    rows = [(i, g["term"], g.get("variants"), g["language"]) for i, g in enumerate(terms, 1)]

    start = time.perf_counter()
    _dictionary.ensure_built()
    build_s = time.perf_counter() - start
    jieba.initialize()
    version = _slang.glossary_version()
    matcher = _slang.matcher_from_terms(version, rows)
    _slang.install_matcher(matcher)
    slang_found = len(matcher.matches(chinese)) + len(matcher.matches(english))
    _annotate.annotate_segments(chinese, "zh-Hans", version)  # loads the dictionary

    def forget_words() -> None:
        _annotate.chinese_segment.cache_clear()
        _annotate.chinese_segments.cache_clear()
        _annotate.english_segment.cache_clear()

    def cold_words() -> None:
        forget_words()
        _annotate.annotate_segments(chinese, "zh-Hans", version)

    def shared_cache() -> None:
        _annotate.clear_local_cache()
        reading_annotate(chinese, "zh-Hans")

    chinese_times = interleaved(
        {
            "jieba": lambda: jieba.lcut(chinese),
            "warm": lambda: _annotate.annotate_segments(chinese, "zh-Hans", version),
            "cold": cold_words,
        },
        args.repeats,
    )
    _annotate.annotate_segments(chinese, "zh-Hans", version)
    reading_annotate(chinese, "zh-Hans")
    cached_local = median_ms(lambda: reading_annotate(chinese, "zh-Hans"), args.repeats)
    cached_shared = median_ms(shared_cache, args.repeats)
    english_times = interleaved(
        {
            "jieba": lambda: jieba.lcut(english),
            "english": lambda: _annotate.annotate_segments(english, "en", version),
        },
        args.repeats,
    )

    failed = False
    jieba_ms = chinese_times["jieba"]
    print(
        f"Chinese text {len(chinese)} characters, English {len(english)}; {len(terms)} glossary "
        f"terms ({slang_found} matches in the two texts); median of {args.repeats}; dictionary "
        f"build/check {build_s:.2f} s\n"
    )
    print("| annotate | ms | × jieba alone | target |")
    print("| --- | ---: | ---: | --- |")
    rows_out = [
        ("jieba segmentation alone (baseline)", jieba_ms, ""),
        ("Chinese, uncached, word memo warm", chinese_times["warm"], f"≤ {TARGET_CHINESE_MS} ms"),
        ("Chinese, uncached, word memo cold", chinese_times["cold"], f"≤ {TARGET_CHINESE_MS} ms"),
        ("Chinese, cached (this process)", cached_local, ""),
        ("Chinese, cached (shared Django cache)", cached_shared, ""),
        ("English, uncached", english_times["english"], ""),
    ]
    for name, ms, target in rows_out:
        print(f"| {name} | {ms:.2f} | {ms / jieba_ms:.2f} | {target} |")
    if max(chinese_times["warm"], chinese_times["cold"]) > TARGET_CHINESE_MS:
        failed = True
        print(f"  missed: Chinese annotation ≤ {TARGET_CHINESE_MS} ms")

    texts = json.dumps([chinese, english])
    glossary_json = json.dumps(terms)
    print("\n| memory added (fresh process) | MB | counted |")
    print("| --- | ---: | --- |")
    total = 0.0
    for what, counted in (
        ("cedict", True),
        ("pypinyin (runtime)", True),
        ("opencc tw2sp", True),
        ("opencc s2twp", True),
        ("slang matcher", True),
        ("word memo, full", True),
        ("annotation LRU, full", True),
        ("jieba", False),
        ("pypinyin with phrases (not used)", False),
    ):
        added = probe(MEMORY_PROBE, what, texts, glossary_json)["added"]
        if counted:
            total += added
        print(f"| {what} | {added:.1f} | {'yes' if counted else 'no'} |")
    files = sum(f.stat().st_size for f in _dictionary.ensure_built().iterdir()) / 2**20
    print(f"| total of the reading aids | {total:.1f} | target ≤ {TARGET_MEMORY_MB:.0f} MB |")
    print(f"\n(CC-CEDICT files on disk, memory-mapped and shared by workers: {files:.1f} MB)")
    if total > TARGET_MEMORY_MB:
        failed = True
        print(f"  missed: ≤ {TARGET_MEMORY_MB} MB")

    env, database = first_page_env()
    print(f"\n| first page `/` in a fresh process ({database}) | ms | dictionaries loaded |")
    print("| --- | ---: | --- |")
    modes = ("as the app imports it", "import-first")
    runs: dict[str, list[dict]] = {mode: [] for mode in modes}
    probe(FIRST_PAGE_PROBE, modes[0], env=env)  # warms the disk cache for both
    for _ in range(args.pages):
        for mode in modes:
            runs[mode].append(probe(FIRST_PAGE_PROBE, mode, env=env))
    for mode in modes:
        results = runs[mode]
        page = statistics.median(r["page_ms"] for r in results)
        imported = statistics.median(r["import_ms"] for r in results)
        last = results[-1]
        loaded = [
            name for name in ("cedict", "opencc", "pypinyin", "jieba_dictionary") if last[name]
        ]
        label = (
            f"reading package imported first ({imported:.1f} ms to import)"
            if mode == "import-first"
            else "reading package imported as the app needs it"
        )
        print(f"| {label} | {page:.1f} (HTTP {last['status']}) | {loaded or 'none'} |")
        if {"cedict", "opencc", "pypinyin"} & set(loaded) or last["status"] != 200:
            failed = True
            print("  missed: the first page loads no reading dictionary and answers 200")

    print("\n" + ("FAIL: a target was missed" if failed else "OK: every target met"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
