"""How fast and how right is language detection? `.venv/bin/python bench/detection.py`

Runs `translations.detection.language_detect` on every note (title and text) and comment of
the demo data (demo/seed.json, 348 texts in English, Simplified Chinese and mixed), with the
default content languages (en, zh-Hans, zh-Hant, ja, ko: decided by script, no lingua model)
and with three more alphabetic languages (en, fr, de, es + CJK: lingua decides the alphabetic
part). Reports the CPU time per text (`time.process_time()`, median of the repeats, after a
warm-up pass that loads lingua's models — that first pass is reported too) and how many texts
agree with the language their writer gave them.

Targets: ≤ 0.5 ms per text with the default languages and ≤ 2 ms with lingua; ≥ 95% agreement
with the demo data; the one-off model load ≤ 5 s. Exits with status 1 when one is missed.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rednote.settings")

import django  # noqa: E402

django.setup()

from django.test import override_settings  # noqa: E402

from translations.detection import language_detect  # noqa: E402

CONFIGURATIONS = {
    "default (script only)": (["en", "zh-Hans", "zh-Hant", "ja", "ko"], 0.5),
    "with fr, de, es (lingua)": (["en", "fr", "de", "es", "zh-Hans", "zh-Hant", "ja", "ko"], 2.0),
}
MIN_AGREEMENT = 0.95
MAX_LOAD_SECONDS = 5.0


def demo_texts() -> list[tuple[str, str]]:
    seed = json.loads((ROOT / "demo" / "seed.json").read_text(encoding="utf-8"))
    texts = [(f"{n['title']}\n{n['body']}", n["language"]) for n in seed["notes"]]
    return texts + [(c["body"], c["language"]) for c in seed["comments"]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    texts = demo_texts()
    failed = False
    print(f"{len(texts)} texts; median of {args.repeats} passes\n")
    print("| languages | first pass (s) | ms per text | agree with the demo data |")
    print("| --- | ---: | ---: | ---: |")
    for name, (languages, target_ms) in CONFIGURATIONS.items():
        with override_settings(CONTENT_LANGUAGES=languages):
            start = time.perf_counter()
            results = [language_detect(text) for text, _given in texts]
            first = time.perf_counter() - start
            passes = []
            for _ in range(args.repeats):
                start = time.process_time()
                for text, _given in texts:
                    language_detect(text)
                passes.append((time.process_time() - start) / len(texts) * 1000)
        per_text = statistics.median(passes)
        agree = sum(r.stored == given for r, (_t, given) in zip(results, texts, strict=True))
        share = agree / len(texts)
        print(f"| {name} | {first:.2f} | {per_text:.3f} | {agree}/{len(texts)} ({share:.1%}) |")
        if per_text > target_ms or share < MIN_AGREEMENT or first > MAX_LOAD_SECONDS:
            failed = True
            print(f"  missed: ≤ {target_ms} ms, ≥ {MIN_AGREEMENT:.0%}, load ≤ {MAX_LOAD_SECONDS} s")
    print("\n" + ("FAIL: a target was missed" if failed else "OK: every target met"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
