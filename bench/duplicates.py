"""Duplicate check at scale: ``find_duplicates`` with 1,000,000 stored fingerprints, against a named baseline.

Usage: ``.venv/bin/python bench/duplicates.py`` (embedded SQLite in a temporary directory; ``BENCH_ROWS`` to
change the size, ``DATABASE_URL`` for PostgreSQL).

Rows are synthetic: random 64-bit SimHashes spread over a year, plus planted near-duplicates (a few bits
flipped) of the texts that are then looked up, so recall can be measured too. The baseline is the naive way:
read the window's fingerprints and compute every Hamming distance in Python — on a tenth of the rows.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redchain.config.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "redchain-bench-only")
os.environ.setdefault("REDCHAIN_VAR_DIR", tempfile.mkdtemp(prefix="redchain-bench-"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from redchain.demands.models import Demand  # noqa: E402
from redchain.orgs.models import Zone  # noqa: E402
from redchain.routing.duplicates import bands_of, find_duplicates, fingerprint_text  # noqa: E402
from redchain.routing.models_topics import DemandFingerprint  # noqa: E402
from redchain.routing.selectors import DUPLICATES_LOOKED_UP  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
QUERIES = int(os.environ.get("BENCH_QUERIES", "500"))
BATCH = 20_000
END = timezone.now()
START = END - dt.timedelta(days=365)
TOPICS = [
    "路灯损坏",
    "停车位不足",
    "招工难",
    "用电增容",
    "排水管网",
    "噪音扰民",
    "道路破损",
    "厂房漏水",
    "融资贷款",
    "办证慢",
]
rng = random.Random(20261123)


def signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def moment(i: int) -> dt.datetime:
    return START + dt.timedelta(seconds=(i * 31_536_000) // ROWS)


def query_texts() -> list[str]:
    places = ["星辰路", "云帆产业园", "锦华社区", "北要村", "汇通大道"]
    return [
        f"{rng.choice(places)}{rng.choice(TOPICS)}第{i}号，请尽快处理。企业反映情况已持续多日。"
        for i in range(QUERIES)
    ]


def fill(zone: Zone, planted: list[tuple[int, str]]) -> None:
    """ROWS demands with fingerprints; the planted ones are near-duplicates (≤ 3 bits) of the query texts."""
    plant_at = {index: value for index, value in planted}
    for start in range(0, ROWS, BATCH):
        stop = min(start + BATCH, ROWS)
        with transaction.atomic():
            demands = Demand.objects.bulk_create(
                [
                    Demand(zone=zone, title="基准", body="基准", tracking_code=f"B{i:011d}")
                    for i in range(start, stop)
                ]
            )
            rows = []
            for demand, i in zip(demands, range(start, stop), strict=True):
                value, tokens = plant_at.get(i, (rng.getrandbits(64), ""))
                b0, b1, b2, b3 = bands_of(value)
                rows.append(
                    DemandFingerprint(
                        demand_id=demand.pk,
                        zone=zone,
                        simhash=signed(value),
                        band0=b0,
                        band1=b1,
                        band2=b2,
                        band3=b3,
                        tokens=tokens,
                        created_at=moment(i),
                    )
                )
            DemandFingerprint.objects.bulk_create(rows)
        if stop % 200_000 == 0 or stop == ROWS:
            print(f"  {stop:,} fingerprints stored", flush=True)


def naive(fp, zone_id: int, at: dt.datetime, limit_rows: int) -> list[int]:
    """The baseline: every fingerprint in the window, Hamming distance in Python."""
    window = (at - dt.timedelta(days=30), at + dt.timedelta(days=30))
    rows = DemandFingerprint.objects.filter(zone_id=zone_id, created_at__range=window).values_list(
        "demand_id", "simhash"
    )
    return [
        pk
        for pk, value in rows[:limit_rows]
        if bin((value & 0xFFFFFFFFFFFFFFFF) ^ fp.simhash).count("1") <= 6
    ]


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    call_command("migrate", verbosity=0)
    zone = Zone.objects.create(name="基准园区", code="bench")
    texts = query_texts()
    fingerprints = [fingerprint_text(text) for text in texts]
    # Plant one near-duplicate of each query text at a random index, 1–3 bits away, with its words.
    planted = []
    for fp in fingerprints:
        flipped = fp.simhash
        for bit in rng.sample(range(64), rng.randint(1, 3)):
            flipped ^= 1 << bit
        planted.append((rng.randrange(ROWS), (flipped, " ".join(sorted(fp.tokens)))))
    started = time.perf_counter()
    fill(zone, planted)
    print(
        f"engine: {connection.vendor}; {ROWS:,} fingerprints stored in {time.perf_counter() - started:.0f} s\n"
    )

    ours, hits = [], 0
    for text, (index, _planted) in zip(texts, planted, strict=True):
        began = time.perf_counter()
        found = find_duplicates(text=text, zone_id=zone.pk, at=moment(index), limit=DUPLICATES_LOOKED_UP)
        ours.append((time.perf_counter() - began) * 1000)
        hits += bool(found)
    base = []
    for fp, (index, _planted) in list(zip(fingerprints, planted, strict=True))[:50]:
        began = time.perf_counter()
        naive(fp, zone.pk, moment(index), limit_rows=ROWS // 10)
        base.append((time.perf_counter() - began) * 1000)
    p50, p95 = percentile(ours, 50), percentile(ours, 95)
    b50, b95 = percentile(base, 50), percentile(base, 95)
    print(
        f"find_duplicates over {ROWS:,} rows   p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   (target p95 < 50 ms)"
    )
    print(
        f"baseline: naive scan of the window (≤ {ROWS // 10:,} rows)   p50 {b50:7.2f} ms   p95 {b95:7.2f} ms"
    )
    print(f"ratio p95 ours / baseline: {p95 / b95:.3f}")
    print(f"planted near-duplicates found: {hits} of {len(texts)} ({100 * hits / len(texts):.1f} %)")


if __name__ == "__main__":
    main()
