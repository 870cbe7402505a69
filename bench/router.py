"""Benchmark of the demand router against the named baseline (TF-IDF char 1-3-grams + LinearSVC), same run.

Usage: ``.venv/bin/python bench/router.py [--splits N]`` from the repository. Reads the labelled citizen
messages from ``../shared/data/gov-messages/labelled.csv`` and skips with a message when they are absent (they
are never copied into the project).

The main figures come from one 5-fold split (seed 0, the split ``redchain router evaluate --cv 5`` uses).
With 824 messages one split moves the gain by about a point either way, so ``--splits N`` also repeats the
comparison on N differently shuffled splits (seeds 1..N) and prints the gain on each, its mean and its minimum.
"""

from __future__ import annotations

import argparse
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


def gains_over_splits(texts: list[str], labels: list[str], splits: int) -> None:
    """Macro-F1 of ours minus the baseline's on ``splits`` more shuffles of the 5-fold split."""
    gains = []
    for seed in range(1, splits + 1):
        comparison = compare_cross_validated(texts, labels, folds=5, seed=seed)
        gain = comparison.ours.macro_f1 - comparison.baseline.macro_f1
        gains.append(gain)
        print(
            f"split seed {seed}: ours {comparison.ours.macro_f1:.4f} baseline "
            f"{comparison.baseline.macro_f1:.4f} gain {gain * 100:+.2f} points",
            flush=True,
        )
    print(
        f"gain over {splits} more splits: mean {statistics.mean(gains) * 100:+.2f}, "
        f"min {min(gains) * 100:+.2f}, max {max(gains) * 100:+.2f} points"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", type=int, default=0, help="also compare on N more shuffled splits")
    options = parser.parse_args()
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
    if options.splits:
        gains_over_splits(texts, labels, options.splits)
    print(comparison.last_line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
