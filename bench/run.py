"""Benchmarks of the foundation, printed as ratios against named baselines measured in the same run.

Usage: ``make bench`` (embedded SQLite in a temporary directory) or
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench make bench``.

Absolute times on shared machines are noise; what matters is how a scoped read compares with the same read
done without scoping, and how a page compares with the bare query it is built on.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redchain.config.settings")
# DEBUG off, as in production: no query log growing in memory, templates cached.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "redchain-bench-only")
os.environ.setdefault("REDCHAIN_VAR_DIR", tempfile.mkdtemp(prefix="redchain-bench-"))
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from redchain.accounts.models import User  # noqa: E402
from redchain.accounts.scope import forget_scope  # noqa: E402
from redchain.demo.generator import load_demo  # noqa: E402
from redchain.orgs import selectors  # noqa: E402
from redchain.orgs.models import Enterprise, PartyOrg  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))


def median_ms(fn: Callable[[], object], rounds: int = ROUNDS) -> float:
    fn()  # warm caches and connections
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def compare(
    title: str, subject: Callable[[], object], baseline_name: str, baseline: Callable[[], object]
) -> None:
    ours, base = median_ms(subject), median_ms(baseline)
    print(f"{title:<58} {ours:8.2f} ms   {baseline_name:<40} {base:8.2f} ms   ratio {ours / base:5.2f}")


def fresh(username: str) -> User:
    user = User.objects.get(username=username)
    forget_scope(user)
    return user


def page_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def main() -> None:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    summary = load_demo(demand_count=int(os.environ.get("BENCH_DEMANDS", "2000")))
    print(
        f"engine: {connection.vendor}; demo {'loaded' if summary.created else 'already present'} "
        f"in {time.perf_counter() - started:.1f} s; rounds per figure: {ROUNDS}\n"
    )

    admin, instructor, firm = fresh("zone-admin"), fresh("instructor1"), fresh("firm1")
    zone_id = admin.memberships.get().zone_id
    baselines = {
        "unscoped list": lambda: list(
            Enterprise.objects.filter(zone_id=zone_id)
            .select_related("chain")
            .prefetch_related("qualifications")[:50]
        ),
        "name icontains '锦城'": lambda: list(
            Enterprise.objects.filter(zone_id=zone_id, name__icontains="锦城")
        ),
        "flat org list": lambda: list(PartyOrg.objects.filter(zone_id=zone_id).order_by("path")),
    }

    def listed(user):
        return lambda: list(selectors.enterprise_list(user=user, zone_id=zone_id)[:50])

    cases = [
        ("enterprise list, 50 rows, zone admin", listed(admin), "unscoped list"),
        ("enterprise list, 50 rows, instructor (subquery scope)", listed(instructor), "unscoped list"),
        ("enterprise list, firm contact (own firm only)", listed(firm), "unscoped list"),
        (
            "search 'jc': name, pinyin, initials, uscc",
            lambda: list(selectors.enterprise_list(user=admin, zone_id=zone_id, q="jc")),
            "name icontains '锦城'",
        ),
        (
            "party-org tree with subtree counts",
            lambda: selectors.party_org_forest(user=admin, zone_id=zone_id),
            "flat org list",
        ),
        (
            "party-org tree, instructor's subtrees",
            lambda: selectors.party_org_forest(user=instructor, zone_id=zone_id),
            "flat org list",
        ),
    ]
    for title, subject, baseline in cases:
        compare(title, subject, f"baseline: {baseline}", baselines[baseline])

    client = Client()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    print()
    urls = [
        "/",
        "/orgs/enterprises/",
        "/orgs/party-orgs/",
        "/orgs/party-members/",
        "/orgs/alliances/",
        "/orgs/matrix/data.json",
    ]
    for url in urls:
        compare(
            f"page {url} ({page_queries(client, url)} queries)",
            lambda u=url: client.get(u),
            "baseline: unscoped list",
            baselines["unscoped list"],
        )

    demand_benchmarks(admin=admin, firm=firm, zone_id=zone_id)


def demand_benchmarks(*, admin: User, firm: User, zone_id: int) -> None:
    """The loop: intake through the service and the API against a bare insert, and the demand pages."""
    from redchain.demands.models import Demand
    from redchain.demands.services import demand_submit
    from redchain.orgs.models import Enterprise, Zone

    zone = Zone.objects.get(pk=zone_id)
    enterprise = Enterprise.objects.get(pk=firm.memberships.get().enterprise_id)
    counter = iter(range(10**6))

    def bare_insert():
        Demand.objects.create(zone=zone, title="基线", body="基线", enterprise=enterprise)

    def through_service():
        demand_submit(
            actor=firm,
            zone=zone,
            title=f"用电增容{next(counter)}",
            body="新厂房用电增容。",
            enterprise=enterprise,
        )

    api = Client()
    token = api.post(
        "/api/v1/auth/token",
        {"username": "firm1", "password": "redchain-demo"},
        content_type="application/json",
    )
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token.json()['token']}"}

    def through_api():
        body = {"title": f"招工{next(counter)}", "body": "急需焊工。"}
        assert (
            api.post("/api/v1/demands", body, content_type="application/json", **headers).status_code == 201
        )

    print()
    compare(
        "intake: demand_submit (validation, event, audit, notify)",
        through_service,
        "baseline: bare ORM insert",
        bare_insert,
    )
    compare("intake: POST /api/v1/demands as firm1", through_api, "baseline: bare ORM insert", bare_insert)

    client = Client()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    api_admin = Client()
    api_admin.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    busiest = Demand.objects.filter(zone=zone).order_by("-id").first()
    rows = lambda: list(Demand.objects.filter(zone=zone).order_by("-created_at")[:50])  # noqa: E731
    for url in [
        "/demands/",
        f"/demands/{busiest.pk}/",
        "/api/v1/demands?limit=50",
        f"/api/v1/demands/{busiest.pk}",
        "/stats/",
    ]:
        compare(
            f"page {url} ({page_queries(api_admin, url)} queries)",
            lambda u=url: client.get(u),
            "baseline: 50 demand rows",
            rows,
        )


if __name__ == "__main__":
    sys.exit(main())
