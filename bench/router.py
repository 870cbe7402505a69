"""Benchmark of the demand router against the named baseline (TF-IDF char 1-3-grams + LinearSVC), same run.

Usage: ``.venv/bin/python bench/router.py`` from the repository. Reads the labelled citizen messages from
``../shared/data/gov-messages/labelled.csv`` and skips with a message when they are absent (they are never
copied into the project).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from redchain.routing.classifier import TextRouter, baseline_pipeline
from redchain.routing.evaluation import compare_cross_validated, load_labelled

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "gov-messages" / "labelled.csv"
TEXT_COLUMNS, LABEL_COLUMN = ["留言主题", "留言详情"], "一级标签"


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    if not DATA.is_file():
        print(f"skipped: {DATA} is absent")
        return 0
    texts, labels = load_labelled(DATA, text_columns=TEXT_COLUMNS, label_column=LABEL_COLUMN)
    print(f"{len(texts)} messages, {len(set(labels))} classes; 5-fold stratified CV")
    comparison = compare_cross_validated(texts, labels, folds=5)
    ours, base = comparison.ours, comparison.baseline
    print(comparison.ours.report())
    print(f"{'':24}{'ours':>10}{'baseline':>10}{'diff':>10}{'ratio':>8}")
    for name in ("macro_f1", "accuracy"):
        a, b = getattr(ours, name), getattr(base, name)
        print(f"{name:24}{a:10.4f}{b:10.4f}{a - b:+10.4f}{a / b:8.3f}")
    print(f"expected calibration error (ours, 10 bins): {ours.calibration_error:.4f}")

    router = TextRouter()
    fit_ours = timed(lambda: router.fit(texts, labels))
    fit_base = timed(lambda: baseline_pipeline().fit(texts, labels))
    print(f"full fit: ours {fit_ours:.2f} s, baseline {fit_base:.2f} s, ratio {fit_ours / fit_base:.1f}")

    router.predict_top(texts[:5])  # warm caches (jieba's dictionary is loaded by fit already)
    samples = [timed(lambda text=text: router.predict_top([text], k=3)) * 1000 for text in texts]
    print(
        f"predict_top per demand ({len(samples)} single calls): p50 {statistics.median(samples):.2f} ms, "
        f"p99 {percentile(samples, 0.99):.2f} ms, max {max(samples):.2f} ms"
    )
    print(comparison.last_line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
