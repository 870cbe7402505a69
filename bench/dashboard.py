"""Leaders' dashboards at scale: every dashboard question through the selectors (rollup cells) against the
naive aggregate over the raw tables (``demands.stats_raw``), in the same run, on PostgreSQL.

Usage::

    .venv/bin/python bench/dashboard.py                # 1,000,000 demands in a scratch database
    .venv/bin/python bench/dashboard.py --n 10000000 --naive-limit 0 --no-search
                                                       # ten million (about 44 GB of disk with indexes;
                                                       # a naive query takes over 14 minutes there)
    .venv/bin/python bench/dashboard.py --n 200000 --keep --db mybench   # keep the database afterwards

The scratch database (default ``redchain_bench_dashboard``) is created on the PostgreSQL of
``BENCH_POSTGRES`` (default ``postgres://postgres@127.0.0.1:5432``), migrated, filled with the demo zone's
structure and N bulk-loaded demands (``redchain.demo.scale``), and dropped at the end unless ``--keep``.
Prints one line per question and, last, ``dashboard_p95_ms=<rollup p95> naive_p95_ms=<naive p95>
speedup=<ratio>``, the p95 over all timed calls of each path. The late / due-soon lists are printed too;
they have no aggregate to compare with and stay out of the last line. Then the demand list's search (count and
first page) through the full-text index against the ``icontains`` filter, checked equal first, with a line
``search_p95_ms=<index p95> icontains_p95_ms=<p95>``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

SCRATCH = "redchain_bench_dashboard"


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def _timed(fn: Callable[[], object], rounds: int) -> list[float]:
    fn()  # warm the caches and the connection once
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _setup(args) -> None:
    import psycopg

    server = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    if not args.reuse:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.db}"')
            conn.execute(f'CREATE DATABASE "{args.db}"')
    os.environ["DATABASE_URL"] = f"{server}/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redchain.config.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "redchain-bench-only")
    os.environ.setdefault("REDCHAIN_VAR_DIR", tempfile.mkdtemp(prefix="redchain-bench-"))
    import django

    django.setup()


def _drop(args) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    server = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.db}"')


def _load(args):
    from django.core.management import call_command

    from redchain.demands.models import Demand
    from redchain.demo.generator import load_demo
    from redchain.demo.scale import load_scale
    from redchain.orgs.models import Zone

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load_demo(demand_count=0, party_work=False)
    zone = Zone.objects.get(code="demo")
    have = Demand.objects.filter(zone=zone).count()
    print(f"demo structure in {time.perf_counter() - started:.1f} s")
    if have < args.n:
        started = time.perf_counter()
        result = load_scale(
            zone=zone, n=args.n - have, progress=lambda done: print(f"  {done:,} loaded", flush=True)
        )
        took = time.perf_counter() - started
        print(
            f"bulk load: {result} in {took:.0f} s ({(args.n - have) / took:,.0f} demands/s, rollup cells kept batch by batch)"
        )
    return zone


def _questions(zone, period: str):
    """(name, rollup path, naive path or None) for every dashboard question, for two readers."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from redchain.accounts.models import User
    from redchain.demands import stats, stats_raw
    from redchain.demands.models import Demand

    admin, handler = User.objects.get(username="zone-admin"), User.objects.get(username="handler1")
    months = stats.months_until(period, 12)
    start, _end = stats.parse_period(months[0])
    _s, end = stats.parse_period(period)
    found = []
    for reader in (admin, handler):
        who = reader.username
        for group_by in stats.GROUPS:
            found.append(
                (
                    f"{who}: 三率 by {group_by}",
                    lambda g=group_by, u=reader: stats.rates(
                        user=u, zone_id=zone.pk, period=period, group_by=g
                    ),
                    lambda g=group_by, u=reader: stats_raw.rates(
                        user=u, zone_id=zone.pk, period=period, group_by=g
                    ),
                )
            )
        found.append(
            (
                f"{who}: 12-month trend × department",
                lambda u=reader: stats.trend(user=u, zone_id=zone.pk, period=period, group_by="department"),
                lambda u=reader: [
                    stats_raw.rates(user=u, zone_id=zone.pk, period=m, group_by="department") for m in months
                ],
            )
        )
        found.append(
            (
                f"{who}: department table with MoM / YoY",
                lambda u=reader: stats.rates_with_change(
                    user=u, zone_id=zone.pk, period=period, group_by="department"
                ),
                lambda u=reader: [
                    stats_raw.rates(user=u, zone_id=zone.pk, period=m, group_by="department")
                    for m in (period, months[-2], f"{int(period[:4]) - 1}{period[4:]}")
                ],
            )
        )
        found.append(
            (
                f"{who}: ranking",
                lambda u=reader: stats.ranking(user=u, zone_id=zone.pk, period=period),
                lambda u=reader: stats_raw.rates(
                    user=u, zone_id=zone.pk, period=period, group_by="department"
                ),
            )
        )
    for by in ("channel", "category"):
        field = "channel" if by == "channel" else "category__parent_id"
        found.append(
            (
                f"{admin.username}: volume by {by} × month",
                lambda b=by: stats.volume(user=admin, zone_id=zone.pk, period=period, by=b),
                lambda f=field: list(
                    Demand.objects.filter(zone=zone, created_at__gte=start, created_at__lt=end)
                    .values(f, month=TruncMonth("created_at"))
                    .annotate(n=Count("id"))
                ),
            )
        )
    return found


def _lists(zone):
    from redchain.accounts.models import User
    from redchain.demands import stats

    admin, handler = User.objects.get(username="zone-admin"), User.objects.get(username="handler1")
    return [
        (
            f"{u.username}: {urgency} list",
            lambda u=u, k=urgency: list(stats.urgent_orders(user=u, zone_id=zone.pk, urgency=k)),
        )
        for u in (admin, handler)
        for urgency in stats.URGENCIES
    ]


SEARCHES = ("融资", "留抵退税", "技改奖补资金", "噪音", "停电 厂房", "太行汽车座椅")


def _searches(zone):
    """The demand list's first page and its count for a search, through the full-text index (the selector)
    and through the ``icontains`` filter it replaced, for two readers."""
    from django.db.models import Q

    from redchain.accounts.models import User
    from redchain.demands import selectors

    def page(user, q, naive):
        if naive:  # the same answer read from every row: each word in title or body, or code, or firm
            words = Q()
            for word in q.split():
                words &= Q(title__icontains=word) | Q(body__icontains=word)
            qs = selectors.demand_list(user=user, zone_id=zone.pk).filter(
                words | Q(tracking_code=q.upper()) | Q(enterprise__name__icontains=q)
            )
        else:
            qs = selectors.demand_list(user=user, zone_id=zone.pk, q=q)
        return qs.count(), list(qs[:25])

    return [
        (
            f"{user.username}: search {q}",
            lambda u=user, q=q: page(u, q, False),
            lambda u=user, q=q: page(u, q, True),
        )
        for user in (User.objects.get(username="zone-admin"), User.objects.get(username="handler1"))
        for q in SEARCHES
    ]


def _latest_period(zone) -> str:
    from redchain.demands import stats
    from redchain.demands.models import Demand

    latest = (
        Demand.objects.filter(zone=zone, closed_at__isnull=False)
        .order_by("-closed_at")
        .values_list("closed_at", flat=True)
        .first()
    )
    return f"{latest.astimezone(stats.SHANGHAI):%Y-%m}"


def _check_equal(zone, period: str, groups=None) -> None:
    """The two paths must agree before their times mean anything."""
    from redchain.accounts.models import User
    from redchain.demands import stats, stats_raw

    for username in ("zone-admin", "handler1"):
        user = User.objects.get(username=username)
        for group_by in groups or stats.GROUPS:
            kept = [
                r.as_dict() for r in stats.rates(user=user, zone_id=zone.pk, period=period, group_by=group_by)
            ]
            raw = [
                r.as_dict()
                for r in stats_raw.rates(user=user, zone_id=zone.pk, period=period, group_by=group_by)
            ]
            if kept != raw:
                raise SystemExit(f"rollup and raw rows differ for {username} by {group_by}")
    print(
        f"rollup rows equal the raw tables for both readers, by {', '.join(groups or stats.GROUPS)}, {period}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="demands in the zone (default 1,000,000)")
    parser.add_argument("--rounds", type=int, default=30, help="timed calls per rollup question")
    parser.add_argument("--naive-rounds", type=int, default=3, help="timed calls per naive question")
    parser.add_argument("--db", default=SCRATCH, help=f"scratch database name (default {SCRATCH})")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database instead of recreating it")
    parser.add_argument(
        "--naive-limit",
        type=int,
        default=None,
        help="time the naive path for the first N questions only; 0 times none and skips the raw-table check "
        "(at 10M one naive call takes about 14 minutes)",
    )
    parser.add_argument(
        "--search-only", action="store_true", help="time only the search (the naive dashboards take minutes)"
    )
    parser.add_argument(
        "--no-search",
        action="store_true",
        help="skip the search timings (at 10M each icontains scan takes minutes; search is measured at 1M)",
    )
    args = parser.parse_args()
    _setup(args)
    try:
        return _run(args)
    finally:
        if not args.keep:
            _drop(args)


def _run(args) -> int:
    from django.db import connection

    zone = _load(args)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM demands_demand WHERE zone_id = %s", [zone.pk])
        demands = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM demands_ratecell WHERE zone_id = %s", [zone.pk])
        cells = cursor.fetchone()[0]
    period = _latest_period(zone)
    print(f"engine: {connection.vendor}; {demands:,} demands, {cells:,} rollup cells; period {period}")
    if args.search_only:
        _time_searches(zone, args)
        return 0
    # With --naive-limit (10M), the check reads the raw tables for two groupings, not all seven; with
    # --naive-limit 0 not at all: at 10M one raw 三率 query ran for 14 minutes, so the check is the 1M run's.
    if args.naive_limit != 0:
        _check_equal(zone, period, ("zone", "department") if args.naive_limit is not None else None)
    rollup_all: list[float] = []
    naive_all: list[float] = []
    print(f"\n{'question':<48} {'rollup p50':>10} {'p95':>8} {'naive p50':>10} {'p95':>9} {'speedup':>8}")
    for number, (name, fast, naive) in enumerate(_questions(zone, period)):
        kept = _timed(fast, args.rounds)
        rollup_all += kept
        if args.naive_limit is not None and number >= args.naive_limit:
            print(f"{name:<48} {statistics.median(kept):>10.2f} {_percentile(kept, 0.95):>8.2f}", flush=True)
            continue
        raw = _timed(naive, args.naive_rounds)
        naive_all += raw
        ratio = statistics.median(raw) / statistics.median(kept)
        print(
            f"{name:<48} {statistics.median(kept):>10.2f} {_percentile(kept, 0.95):>8.2f} "
            f"{statistics.median(raw):>10.1f} {_percentile(raw, 0.95):>9.1f} {ratio:>7.0f}x",
            flush=True,
        )
    print()
    for name, listing in _lists(zone):
        kept = _timed(listing, args.rounds)
        print(f"{name:<48} {statistics.median(kept):>10.2f} {_percentile(kept, 0.95):>8.2f}")
    if not args.no_search:
        _time_searches(zone, args)
    fast_p95 = _percentile(rollup_all, 0.95)
    if not naive_all:  # --naive-limit 0
        print(f"\ndashboard_p95_ms={fast_p95:.2f} naive_p95_ms=not-timed speedup=not-timed")
        return 0
    naive_p95 = _percentile(naive_all, 0.95)
    print(
        f"\ndashboard_p95_ms={fast_p95:.2f} naive_p95_ms={naive_p95:.1f} speedup={naive_p95 / fast_p95:.0f}"
    )
    return 0


def _time_searches(zone, args) -> None:
    print(
        f"\n{'search (count + first page of 25)':<48} {'index p50':>10} {'p95':>8} {'naive p50':>10} {'p95':>9}"
    )
    search_all: list[float] = []
    scan_all: list[float] = []
    for name, fast, naive in _searches(zone):
        if fast() != naive():
            raise SystemExit(f"the index and icontains disagree on {name}")
        kept = _timed(fast, max(5, args.rounds // 3))
        raw = _timed(naive, args.naive_rounds)
        search_all += kept
        scan_all += raw
        print(
            f"{name:<48} {statistics.median(kept):>10.2f} {_percentile(kept, 0.95):>8.2f} "
            f"{statistics.median(raw):>10.1f} {_percentile(raw, 0.95):>9.1f}",
            flush=True,
        )
    print(
        f"search_p95_ms={_percentile(search_all, 0.95):.1f} icontains_p95_ms={_percentile(scan_all, 0.95):.1f}"
    )


if __name__ == "__main__":
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))
    sys.exit(main())
