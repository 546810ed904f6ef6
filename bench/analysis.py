"""Comment analysis benchmark: quality of themes and duplicate groups, and speed to 100,000.

Quality, on the labelled Indonesian set in bench/data/ (analysis_seed.txt, written by hand:
nine themes of an RPJMD consultation, four campaigns, two resubmissions; the campaign
variants are made here by small edits and kept in analysis_labelled.jsonl):
  - themes against the labels: adjusted Rand index and NMI, beside the baseline
    "themes = sections" (each comment's section as its theme);
  - duplicate groups: pairwise precision and recall against the labelled groups, beside
    the baseline "identical text only".
Speed, on synthetic consultations grown from the labelled set (each comment rewritten by
swapping, dropping and borrowing words, campaigns scaled up): themes + duplicate groups at
10k, 50k and 100k comments, each size in a fresh process, with its peak RSS; at 10k the
duplicate recall against the exact pairwise comparison (every pair at or above the
similarity threshold, computed with a sparse matrix product).

    python bench/analysis.py                 # quality + speed at 10k, 50k, 100k
    python bench/analysis.py --quality       # quality only (seconds)
    python bench/analysis.py --sizes 10000   # speed at one size
    python bench/analysis.py --rebuild       # regenerate analysis_labelled.jsonl from the seed
    python bench/analysis.py --db 100000     # end to end on PostgreSQL (analysis_compute)

The speed rows call the engine directly (analysis.duplicates, analysis.themes); `--db`
measures the whole service on PostgreSQL: loading the comments, the engine, storing the
themes, groups and one placement per comment, then the two API reads.
"""

import argparse
import datetime
import json
import os
import platform
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench" / "data"
SEED_FILE = DATA / "analysis_seed.txt"
LABELLED = DATA / "analysis_labelled.jsonl"
SECTIONS = ["Bab I", "Bab II", "Bab III", "Bab IV", "Bab V"]

KELURAHAN = [
    "Bugul Kidul",
    "Bugul Lor",
    "Kebonsari",
    "Gadingrejo",
    "Ngemplakrejo",
    "Tambaan",
    "Panggungrejo",
    "Trajeng",
    "Mayangan",
    "Blandongan",
    "Karanganyar",
    "Kepel",
    "Pohjentrek",
    "Tapaan",
    "Wirogunan",
    "Krampyangan",
    "Bakalan",
    "Sekargadung",
    "Petahunan",
    "Kebonagung",
    "Purworejo",
    "Pekuncen",
    "Randusari",
    "Karangketug",
    "Tembokrejo",
    "Kradenan",
]
GREETINGS = [
    "Assalamualaikum wr. wb.",
    "Dengan hormat,",
    "Yth. Bapak Wali Kota Pasuruan,",
    "Selamat pagi Bapak/Ibu.",
    "Kepada Yth. Kepala Bappeda,",
    "Salam sejahtera,",
]
CLOSINGS = [
    "Terima kasih.",
    "Atas perhatiannya kami ucapkan terima kasih.",
    "Hormat kami, warga RT 03 RW 02.",
    "Wassalamualaikum wr. wb.",
    "Demikian, terima kasih atas perhatian Bapak.",
]
INFORMAL = {"tidak": "gak", "yang": "yg", "dengan": "dgn", "untuk": "utk", "sudah": "sdh"}


# --- the labelled set ------------------------------------------------------------------------


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def _typo(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long:
        return text
    i = rng.choice(long)
    word = words[i]
    j = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        word = word[:j] + word[j + 1] + word[j] + word[j + 2 :]  # two letters swapped
    else:
        word = word[:j] + word[j + 1 :]  # a letter dropped
    words[i] = word
    return " ".join(words)


def _kelurahan(text: str, rng: random.Random) -> str:
    for name in KELURAHAN:
        if name in text:
            return text.replace(name, rng.choice([k for k in KELURAHAN if k != name]))
    return f"{text} Kami warga Kelurahan {rng.choice(KELURAHAN)}."


def _swap(text: str, rng: random.Random) -> str:
    sentences = _sentences(text)
    if len(sentences) < 2:
        return text
    i = rng.randrange(len(sentences) - 1)
    sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
    return " ".join(sentences)


def _informal(text: str, rng: random.Random) -> str:
    for word, short in INFORMAL.items():
        text = re.sub(rf"\b{word}\b", short, text)
    return text


EDITS = [
    lambda t, r: f"{r.choice(GREETINGS)} {t}",
    lambda t, r: f"{t} {r.choice(CLOSINGS)}",
    _kelurahan,
    _typo,
    _swap,
    _informal,
]


def variant(text: str, rng: random.Random) -> str:
    """The letter as one more sender sent it: one to three small edits."""
    for edit in rng.sample(EDITS, rng.randint(1, 3)):
        text = edit(text, rng)
    return text


def _section(home: str, rng: random.Random) -> str:
    """Where a comment on a theme was posted: its home section half of the time."""
    return home if rng.random() < 0.5 else rng.choice(SECTIONS)


def build_labelled() -> list[dict]:
    rng = random.Random(16)
    rows: list[dict] = []
    kind = None
    for line in SEED_FILE.read_text().splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            head = re.match(r"#\s*(theme|campaign|resubmitted):\s*(.*)", line)
            if head:
                kind, fields = head.group(1), [f.strip() for f in head.group(2).split("|")]
            continue
        if kind == "theme":
            key, home = fields
            rows.append({"text": line, "theme": key, "section": _section(home, rng), "group": None})
        elif kind == "campaign":
            key, theme, section, copies = fields
            for n in range(int(copies)):
                text = line if n == 0 else variant(line, rng)
                rows.append({"text": text, "theme": theme, "section": section, "group": f"c-{key}"})
        elif kind == "resubmitted":
            theme, section, copies = fields
            key = f"r-{len(rows)}"
            for _n in range(int(copies)):
                rows.append({"text": line, "theme": theme, "section": section, "group": key})
    rng.shuffle(rows)
    author = 0
    for n, row in enumerate(rows):
        row["id"] = n + 1
        if row["group"] and row["group"].startswith("r-"):
            row["author"] = f"resubmitter-{row['group']}"
        else:
            author += 1
            row["author"] = f"author-{author}"
    return rows


def load_labelled() -> list[dict]:
    return [json.loads(line) for line in LABELLED.read_text().splitlines() if line.strip()]


def write_labelled() -> None:
    rows = build_labelled()
    with LABELLED.open("w") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} comments to {LABELLED.relative_to(ROOT)}")


# --- quality ------------------------------------------------------------------------------------


def _pairs(groups) -> set[tuple[int, int]]:
    found = set()
    for members in groups:
        members = sorted(members)
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                found.add((a, b))
    return found


def _precision_recall(found: set, truth: set) -> tuple[float, float]:
    hits = len(found & truth)
    return (hits / len(found) if found else 1.0), (hits / len(truth) if truth else 1.0)


def engine(rows: list[dict]) -> dict:
    """What analysis.engine.compute does, on plain rows (id, text, author), step by step."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):  # as analysis.engine.compute
        return _engine(rows)


def _engine(rows: list[dict]) -> dict:
    from analysis import duplicates, themes
    from analysis import text as indonesian

    started = time.perf_counter()
    texts = [
        duplicates.Text(
            id=row["id"], words=tuple(indonesian.words(row["text"])), author=row["author"]
        )
        for row in rows
    ]
    words_s = time.perf_counter() - started
    groups = duplicates.group(texts)
    groups_s = time.perf_counter() - started - words_s
    body = {row["id"]: row["text"] for row in rows}
    grouped = {c for g in groups for c in g}
    units = [themes.Unit(body[g[0]], tuple(g)) for g in groups]
    units += [themes.Unit(r["text"], (r["id"],)) for r in rows if r["id"] not in grouped]
    found = themes.find(units)
    total = time.perf_counter() - started
    return {
        "groups": groups,
        "themes": found,
        "texts": texts,
        "seconds": {
            "words": words_s,
            "groups": groups_s,
            "themes": total - words_s - groups_s,
            "total": total,
        },
    }


def quality() -> dict:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from analysis import duplicates

    rows = load_labelled()
    result = engine(rows)
    theme_of = {c: n for n, theme in enumerate(result["themes"]) for c in theme.comments}
    ids = [row["id"] for row in rows]
    truth = [row["theme"] for row in rows]
    predicted = [theme_of[i] for i in ids]
    sections = [row["section"] for row in rows]
    labelled_groups: dict[str, list[int]] = {}
    for row in rows:
        if row["group"]:
            labelled_groups.setdefault(row["group"], []).append(row["id"])
    true_pairs = _pairs(labelled_groups.values())
    found = _precision_recall(_pairs(result["groups"]), true_pairs)
    baseline = _precision_recall(_pairs(duplicates.identical(result["texts"])), true_pairs)
    return {
        "comments": len(rows),
        "labelled_themes": len(set(truth)),
        "themes_found": len(result["themes"]),
        "labels": [(t.label, len(t.comments)) for t in result["themes"]],
        "themes": {
            "ari": adjusted_rand_score(truth, predicted),
            "nmi": normalized_mutual_info_score(truth, predicted),
        },
        "sections_baseline": {
            "ari": adjusted_rand_score(truth, sections),
            "nmi": normalized_mutual_info_score(truth, sections),
        },
        "duplicate_pairs": len(true_pairs),
        "duplicates": {"precision": found[0], "recall": found[1]},
        "identical_baseline": {"precision": baseline[0], "recall": baseline[1]},
        "seconds": result["seconds"]["total"],
    }


# --- speed ----------------------------------------------------------------------------------------


def synthetic(size: int, seed: int = 7) -> list[dict]:
    """A consultation of `size` comments grown from the labelled set. Each new comment is
    written by a word-pair (Markov) chain of its theme's hand-written comments, 12 to 35
    words, now and then with a kelurahan and informal spelling: new text on the same
    subjects in the same words, as different people write. 2 % are campaign letters (the
    four labelled letters, each sent by many people with small edits)."""
    rng = random.Random(seed)
    rows = load_labelled()
    starts: dict[str, list[str]] = {}
    following: dict[str, dict[str, list[str]]] = {}
    for row in rows:
        if row["group"]:
            continue
        words = row["text"].split()
        starts.setdefault(row["theme"], []).append(words[0])
        chain = following.setdefault(row["theme"], {})
        for a, b in zip(words, words[1:], strict=False):
            chain.setdefault(a, []).append(b)
    letters = {r["group"]: r["text"] for r in rows if r["group"] and r["group"][0] == "c"}
    themes = sorted(starts)
    out = []
    for n in range(size):
        if rng.random() < 0.02:
            text = variant(letters[rng.choice(sorted(letters))], rng)
        else:
            theme = rng.choice(themes)
            word = rng.choice(starts[theme])
            words = [word]
            for _ in range(rng.randint(12, 35)):
                nexts = following[theme].get(word)
                word = rng.choice(nexts) if nexts else rng.choice(list(following[theme]))
                words.append(word)
            text = " ".join(words)
            if rng.random() < 0.3:
                text += f" Kami warga Kelurahan {rng.choice(KELURAHAN)}."
            if rng.random() < 0.2:
                text = _informal(text, rng)
        out.append({"id": n + 1, "text": text, "author": f"a{rng.randrange(size)}"})
    return out


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def exact_pairs(texts, threshold: float) -> set[tuple[int, int]]:
    """Every pair of comments whose shingle sets have a Jaccard similarity ≥ threshold, by
    brute force (a sparse product of the shingle matrix with itself, in slices)."""
    import numpy as np
    from scipy import sparse

    from analysis import duplicates

    usable = [t for t in texts if len(t.words) >= duplicates.MIN_WORDS]
    sets = [duplicates.shingles(t.words) for t in usable]
    vocabulary = {v: i for i, v in enumerate(np.unique(np.concatenate(sets)))}
    indptr = np.cumsum([0] + [len(s) for s in sets])
    indices = np.fromiter((vocabulary[v] for s in sets for v in s), dtype=np.int64)
    matrix = sparse.csr_matrix(
        (np.ones(len(indices), dtype=np.float32), indices, indptr),
        shape=(len(sets), len(vocabulary)),
    )
    sizes = np.array([len(s) for s in sets], dtype=np.float32)
    transposed = matrix.T.tocsc()
    found = set()
    for start in range(0, len(sets), 500):
        block = (matrix[start : start + 500] @ transposed).tocoo()
        rows, cols, common = block.row + start, block.col, block.data
        keep = rows < cols
        rows, cols, common = rows[keep], cols[keep], common[keep]
        similarity = common / (sizes[rows] + sizes[cols] - common)
        for a, b in zip(rows[similarity >= threshold], cols[similarity >= threshold], strict=True):
            found.add((usable[a].id, usable[b].id))
    return found


def one_size(size: int, reference: bool) -> dict:
    """Run in a fresh process: the engine on `size` synthetic comments, time and peak RSS."""
    from analysis import duplicates

    rows = synthetic(size)
    baseline_rss = _peak_rss_mb()
    cpu = time.process_time()
    result = engine(rows)
    answer = {
        "comments": size,
        "seconds": result["seconds"],
        "cpu_seconds": time.process_time() - cpu,
        "peak_rss_mb": _peak_rss_mb(),
        "rss_before_mb": baseline_rss,
        "groups": len(result["groups"]),
        "grouped": sum(len(g) for g in result["groups"]),
        "themes": len(result["themes"]),
    }
    if reference:
        started = time.perf_counter()
        exact = exact_pairs(result["texts"], duplicates.THRESHOLD)
        found = _pairs(result["groups"])
        answer["exact_pairs"] = len(exact)
        answer["recall_vs_exact"] = len(found & exact) / len(exact) if exact else 1.0
        answer["group_pairs_above_threshold"] = len(found & exact) / len(found) if found else 1.0
        answer["exact_seconds"] = time.perf_counter() - started
    return answer


def speed(sizes: list[int]) -> list[dict]:
    results = []
    for size in sizes:
        command = [sys.executable, __file__, "--one-size", str(size)]
        if size <= 10_000:
            command.append("--reference")
        done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1]), file=sys.stderr)
    return results


DB_URL = "postgres://postgres@127.0.0.1:5432/rd_bench_analysis"


def database_run(size: int) -> dict:
    """End to end on PostgreSQL, in this process: `size` synthetic comments in a fresh
    database (BENCH_DATABASE_URL, default rd_bench_analysis, dropped afterwards), then
    analysis.services.analysis_compute (load, compute, store) and the two API reads."""
    from bench import support

    url = os.environ.get("BENCH_DATABASE_URL", DB_URL)
    support.create_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    try:
        support.migrate(support.server_env(url))
        import django

        django.setup()
        from django.contrib.auth.models import User
        from django.utils import timezone

        from accounts.models import Agency
        from analysis import selectors, services
        from comments.models import Comment
        from consultations.models import Consultation

        consultation = Consultation.objects.create(
            title="Bench",
            agency=Agency.objects.create(name="Bappeda", acronym="Bappeda"),
            status=Consultation.Status.OPEN,
            opens_at=timezone.now(),
            closes_at=timezone.now() + datetime.timedelta(days=30),
        )
        authors = User.objects.bulk_create(User(username=f"warga{n}") for n in range(2000))
        rows = synthetic(size)
        Comment.objects.bulk_create(
            (
                Comment(
                    consultation=consultation,
                    author=authors[n % len(authors)],
                    stance="support",
                    body=row["text"][:5000],
                )
                for n, row in enumerate(rows)
            ),
            batch_size=5000,
        )
        cpu, started = time.process_time(), time.perf_counter()
        analysis = services.analysis_compute(consultation=consultation, force=True)
        compute = time.perf_counter() - started
        started = time.perf_counter()
        themes = selectors.themes(consultation)
        groups = selectors.duplicate_groups(consultation)
        reads = time.perf_counter() - started
        return {
            "comments": size,
            "compute_seconds": compute,
            "cpu_seconds": time.process_time() - cpu,
            "reads_seconds": reads,
            "peak_rss_mb": _peak_rss_mb(),
            "themes": len(themes["themes"]),
            "groups": len(groups["groups"]),
            "status": analysis.status,
        }
    finally:
        from django.db import connections

        connections.close_all()
        support.drop_database(url)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPU ({cpu}), Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quality", action="store_true", help="quality only")
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--one-size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--reference", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument(
        "--db", type=int, metavar="N", help="end to end on PostgreSQL with N comments"
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    if args.one_size:
        print(json.dumps(one_size(args.one_size, args.reference)))
        return
    if args.db:
        print(json.dumps(database_run(args.db)))
        return
    print(f"machine: {machine()}")
    q = quality()
    print(
        f"\nquality on {q['comments']} labelled comments ({q['labelled_themes']} themes, "
        f"{q['duplicate_pairs']} duplicate pairs):"
    )
    print(
        f"  themes found: {q['themes_found']}: "
        + "; ".join(f"{label} ({n})" for label, n in q["labels"])
    )
    print("  | | ARI | NMI |\n  | --- | --- | --- |")
    print(f"  | themes | {q['themes']['ari']:.3f} | {q['themes']['nmi']:.3f} |")
    base = q["sections_baseline"]
    print(f"  | baseline: sections | {base['ari']:.3f} | {base['nmi']:.3f} |")
    print("  | | precision | recall |\n  | --- | --- | --- |")
    dup = q["duplicates"]
    print(f"  | duplicate groups | {dup['precision']:.3f} | {dup['recall']:.3f} |")
    print(
        f"  | baseline: identical text | {q['identical_baseline']['precision']:.3f} | "
        f"{q['identical_baseline']['recall']:.3f} |"
    )
    if args.quality:
        return
    print("\nspeed (engine only, each size in a fresh process):")
    print(
        "  | comments | words s | groups s | themes s | total s | CPU s | peak RSS MB "
        "| groups (comments) | themes |"
    )
    print("  | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in speed([int(s) for s in args.sizes.split(",")]):
        s = r["seconds"]
        print(
            f"  | {r['comments']:,} | {s['words']:.1f} | {s['groups']:.1f} | {s['themes']:.1f} | "
            f"{s['total']:.1f} | {r['cpu_seconds']:.1f} | {r['peak_rss_mb']:.0f} | "
            f"{r['groups']:,} ({r['grouped']:,}) | {r['themes']} |"
        )
        if "recall_vs_exact" in r:
            print(
                f"    at {r['comments']:,}: {r['exact_pairs']:,} pairs at or above the threshold "
                f"(exact, {r['exact_seconds']:.0f} s); recall of the groups "
                f"{r['recall_vs_exact']:.4f}; share of grouped pairs above it "
                f"{r['group_pairs_above_threshold']:.4f}"
            )


if __name__ == "__main__":
    if "--rebuild" in sys.argv:
        write_labelled()
    else:
        main()
