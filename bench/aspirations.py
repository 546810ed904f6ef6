"""Proposals at scale (issue 15): the public list, a deep page of it and the triage queue over
100,000 proposals with 1,000,000 supports.

Seeds PostgreSQL in a few statements (`INSERT … SELECT generate_series`): proposals spread
over the 34 kelurahan, 7 categories and the three stages; 10,000 verified organizations;
supports from those organizations (each proposal gets 10 on average) and scores at the
kelurahan stage. Then, in-process (Django test client, same database), times

  GET /api/v1/aspirations/?<filter>          page 1, and the page after 90 % of the rows
                                             (a cursor built the way DRF encodes it)
  GET /aspirasi/triase/                      the queue of Kelurahan Panggungrejo's official
  GET /api/v1/aspirations/ranking/?…         the ranking of a kecamatan

counting the SQL queries of each: they must not depend on the page or the number of rows,
and a deep page should cost at most 1.2× the first.

    python bench/aspirations.py                              # the full size (run it alone)
    python bench/aspirations.py --proposals 10000 --supports 100000   # development
    python bench/aspirations.py --reuse                      # measure the seeded database again
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/rd_bench_aspirations (default)
"""

import argparse
import base64
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support import create_database, migrate, server_env  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/rd_bench_aspirations"
FILTERS = {
    "all": {},
    "kecamatan": {"kecamatan": "{kecamatan}"},
    "kelurahan+stage": {"kelurahan": "{kelurahan}", "stage": "kelurahan"},
    "category+status": {"category": "{category}", "status": "submitted"},
}


def seed(proposals: int, supports: int) -> dict:
    """The world, straight in SQL; returns the ids the requests need."""
    from django.contrib.auth.models import Group
    from django.db import connection

    from aspirations import lists
    from aspirations.models import Category, Criterion, Kecamatan, Kelurahan, Stage
    from tests.factories import ConsultationFactory, UserFactory

    admin = UserFactory(username="bench-admin", is_superuser=True, is_staff=True)
    lurah = UserFactory(username="bench-lurah", first_name="Lurah")
    lurah.groups.add(Group.objects.get_or_create(name="officials")[0])
    kelurahan = Kelurahan.objects.get(name="Panggungrejo")
    lists.official_scope_set(actor=admin, user=lurah, stage=Stage.KELURAHAN, kelurahan=kelurahan)
    consultation = ConsultationFactory(kind="rpjmd", title="RPJMD (bench)")
    for n in range(7):
        Category.objects.create(name=f"Bidang {n + 1}", position=n)
    criterion = Criterion.objects.create(name="Urgensi")
    organizations = max(1, supports // max(1, proposals))
    organizations = max(organizations, 1000) if supports else 0
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name,"
            " email, is_staff, is_active, date_joined)"
            " SELECT '!', false, 'bench' || g, 'Warga ' || g, '', '', false, true, now()"
            " FROM generate_series(1, 1000) g"
        )
        cursor.execute(
            "INSERT INTO accounts_organization (name, acronym, registration_number, address,"
            " contact_email, contact_phone, status, status_reason, created_at)"
            " SELECT 'Organisasi ' || g, '', 'SKT-BENCH-' || g, '', '', '', 'verified', '', now()"
            " FROM generate_series(1, %s) g",
            [organizations],
        )
        cursor.execute(
            """
            INSERT INTO aspirations_aspiration (consultation_id, author_id, title, description,
              category_id, kecamatan_id, kelurahan_id, rw, estimated_cost, beneficiaries, stage,
              status, version, support_organizations, support_citizens, created_at, updated_at)
            SELECT %s, u.id, 'Usulan nomor ' || g, 'Uraian usulan.',
              c.ids[1 + g %% 7], k.kecamatan_id, k.id, '', 1000000 * (1 + g %% 500),
              1 + g %% 900, (ARRAY['kelurahan','kelurahan','kecamatan','kota'])[1 + g %% 4],
              (ARRAY['submitted','forwarded','deferred','rejected'])[1 + g %% 4], 1, 0, 0,
              now() - (g || ' minutes')::interval, now()
            FROM generate_series(1, %s) g
            JOIN (SELECT array_agg(id ORDER BY id) ids FROM aspirations_category) c ON true
            JOIN (SELECT row_number() OVER (ORDER BY id) - 1 n, id, kecamatan_id
                  FROM aspirations_kelurahan) k ON k.n = g %% 34
            JOIN (SELECT min(id) id FROM auth_user WHERE username LIKE 'bench%%') u ON true
            """,
            [consultation.pk, proposals],
        )
        # Each support: an organization for a proposal, no pair twice.
        cursor.execute(
            """
            INSERT INTO aspirations_support (aspiration_id, organization_id, cast_by_id,
              created_at)
            SELECT a.first + (g %% %s), o.first + (g / %s), u.id, now()
            FROM generate_series(0, %s - 1) g
            JOIN (SELECT min(id) first FROM aspirations_aspiration) a ON true
            JOIN (SELECT min(id) first FROM accounts_organization) o ON true
            JOIN (SELECT min(id) id FROM auth_user WHERE username LIKE 'bench%%') u ON true
            WHERE g / %s < %s
            """,
            [proposals, proposals, supports, proposals, organizations],
        )
        cursor.execute(
            "UPDATE aspirations_aspiration a SET support_organizations = s.n FROM"
            " (SELECT aspiration_id, count(*) n FROM aspirations_support GROUP BY 1) s"
            " WHERE s.aspiration_id = a.id"
        )
        cursor.execute(
            "INSERT INTO aspirations_score (aspiration_id, criterion_id, stage, value,"
            " scored_by_id, scored_at)"
            " SELECT id, %s, 'kelurahan', 1 + id %% 5, %s, now() FROM aspirations_aspiration",
            [criterion.pk, lurah.pk],
        )
        cursor.execute("ANALYZE")
    return {
        "lurah": lurah,
        "kecamatan": Kecamatan.objects.get(name="Panggungrejo").pk,
        "kelurahan": kelurahan.pk,
        "category": Category.objects.order_by("id").first().pk,
    }


def deep_cursor(query: dict, fraction: float = 0.9) -> str:
    """The cursor DRF would hand out for the page starting after `fraction` of the rows."""
    from aspirations.filters import AspirationFilter
    from aspirations.models import Aspiration

    rows = AspirationFilter(query, queryset=Aspiration.objects.all()).qs.order_by("-id")
    total = rows.count()
    pivot = rows.values_list("id", flat=True)[int(total * fraction)]
    token = urlencode({"p": str(pivot)}, doseq=True)
    return base64.b64encode(token.encode()).decode()


def timed(client, path: str, rounds: int) -> tuple[float, int]:
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    # Counted at the driver: Django forgets its query log when a request starts.
    with connection.execute_wrapper(count):
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    captured = executed
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - start)
    return (statistics.median(times) * 1000 if times else 0.0), len(captured)


def timed_pair(client, first: str, deep: str, rounds: int) -> tuple:
    """Page 1 and the deep page alternately, so both see the same machine load."""
    (_, q1), (_, q2) = timed(client, first, 0), timed(client, deep, 0)
    times = {first: [], deep: []}
    for _ in range(rounds):
        for path in (first, deep):
            start = time.perf_counter()
            client.get(path)
            times[path].append(time.perf_counter() - start)
    return (
        (statistics.median(times[first]) * 1000, q1),
        (statistics.median(times[deep]) * 1000, q2),
    )


def existing_world() -> dict:
    from django.contrib.auth import get_user_model

    from aspirations.models import Category, Kecamatan, Kelurahan

    return {
        "lurah": get_user_model().objects.get(username="bench-lurah"),
        "kecamatan": Kecamatan.objects.get(name="Panggungrejo").pk,
        "kelurahan": Kelurahan.objects.get(name="Panggungrejo").pk,
        "category": Category.objects.order_by("id").first().pk,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--proposals", type=int, default=100_000)
    parser.add_argument("--supports", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="measure a seeded database again")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    env = server_env(url)
    if not args.reuse:
        create_database(url)
        migrate(env)
    os.environ.update({k: v for k, v in env.items() if k in ("DATABASE_URL", "DJANGO_SECRET_KEY")})
    os.environ["DJANGO_SETTINGS_MODULE"] = "backend.settings"
    import django

    django.setup()
    from django.test import Client

    started = time.perf_counter()
    if args.reuse:
        world = existing_world()
    else:
        world = seed(args.proposals, args.supports)
        print(f"seeded {args.proposals:,} proposals, {args.supports:,} supports "
              f"in {time.perf_counter() - started:.0f} s")  # fmt: skip
    client = Client()
    print(f"{'request':<44} {'ms (median)':>12} {'queries':>8}")
    for name, template in FILTERS.items():
        query = {key: value.format(**world) for key, value in template.items()}
        first = f"/api/v1/aspirations/?{urlencode(query)}"
        deep = f"{first}&cursor={deep_cursor(query)}"
        (t1, q1), (t2, q2) = timed_pair(client, first, deep, args.rounds)
        print(f"{'list ' + name + ' page 1':<44} {t1:>12.1f} {q1:>8}")
        print(f"{'list ' + name + ' deep (90 %)':<44} {t2:>12.1f} {q2:>8}   ×{t2 / t1:.2f}")
    client.force_login(world["lurah"])
    t, q = timed(client, "/aspirasi/triase/", args.rounds)
    print(f"{'triage queue (Kel. Panggungrejo)':<44} {t:>12.1f} {q:>8}")
    ranking = f"/api/v1/aspirations/ranking/?stage=kecamatan&kecamatan={world['kecamatan']}"
    t, q = timed(client, ranking, max(3, args.rounds // 4))
    print(f"{'ranking (Kec. Panggungrejo)':<44} {t:>12.1f} {q:>8}")


if __name__ == "__main__":
    main()
