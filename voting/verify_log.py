#!/usr/bin/env python3
"""Verify a published Ruang Dialog vote log without trusting the server.

Standalone on purpose: standard library only, no Django, so anyone can read and
run it (docs/VOTING.md, "Verify it yourself"). The server uses the same
functions, so there is exactly one definition of the hash.

    python voting/verify_log.py vote-log.json
    python voting/verify_log.py https://host/api/v1/consultations/7/vote-log/ \
        --tallies https://host/api/v1/consultations/7/tallies/ --head 3f9a…

The input is the JSON the vote-log endpoint returns: either one page
(`{"results": [...], "next": ...}`, whose `next` links are followed when it was
given as a URL), a list of pages, or a plain list of records. It recomputes every
hash, checks that each record points at the one before it, replays the votes and
prints the final tally of every item; with --tallies it also compares them with
the published tallies; with --head (repeatable) it checks that the chain still
passes through a head you wrote down earlier. A secret ballot's log is sealed
until voting closes: then only the links and the heads can be checked. Exit
status 0 means the log is intact, 1 that it is not.
"""

import argparse
import hashlib
import json
import sys
import urllib.request
from collections import Counter, defaultdict

GENESIS = "0" * 64
FORMAT = 1
# The fields covered by the hash, besides `prev` (the previous record's hash).
HASHED_FIELDS = (
    "consultation",
    "seq",
    "item",
    "voter",
    "actor",
    "choice",
    "action",
    "nonce",
    "at",
)


def canonical(record: dict, prev_hash: str) -> bytes:
    """The exact bytes that are hashed: sorted keys, no spaces, ASCII only."""
    payload = {name: record[name] for name in HASHED_FIELDS}
    payload["prev"] = prev_hash
    payload["v"] = FORMAT
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def record_hash(record: dict, prev_hash: str) -> str:
    return hashlib.sha256(canonical(record, prev_hash)).hexdigest()


def verify(records: list[dict]) -> tuple[list[str], dict[int, Counter]]:
    """Check the chain and replay it: (problems, {item: Counter(choice → count)})."""
    problems: list[str] = []
    current: dict[tuple[str, int], str] = {}
    prev = GENESIS
    expected_seq = 1
    for record in records:
        seq = record.get("seq")
        if seq != expected_seq:
            problems.append(f"record {seq}: expected seq {expected_seq} (missing or reordered)")
        if record.get("prev_hash") != prev:
            problems.append(f"record {seq}: prev_hash does not match the previous record's hash")
        if record.get("sealed"):
            # Secret ballot still open: only the place in the chain is published.
            prev = record.get("hash", "")
            expected_seq = (seq if isinstance(seq, int) else expected_seq) + 1
            continue
        recomputed = record_hash(record, record.get("prev_hash", ""))
        if recomputed != record.get("hash"):
            problems.append(f"record {seq}: hash mismatch (the record was altered)")
        key = (record["voter"], record["item"])
        had = key in current
        if record["action"] == "withdraw":
            if not had:
                problems.append(f"record {seq}: withdraws a vote that was never cast")
            current.pop(key, None)
        else:
            if record["action"] == "cast" and had:
                problems.append(f"record {seq}: 'cast' but this voter already voted on the item")
            if record["action"] == "change" and not had:
                problems.append(f"record {seq}: 'change' of a vote that was never cast")
            if not record["choice"]:
                problems.append(f"record {seq}: a {record['action']} without a choice")
            current[key] = record["choice"]
        prev = record.get("hash", "")
        expected_seq = (seq if isinstance(seq, int) else expected_seq) + 1
    tallies: dict[int, Counter] = defaultdict(Counter)
    for (_voter, item), choice in current.items():
        tallies[item][choice] += 1
    return problems, dict(tallies)


def missing_heads(records: list[dict], heads: list[str]) -> list[str]:
    """The written-down heads the chain no longer passes through."""
    hashes = {record.get("hash") for record in records}
    return [head for head in heads if head != GENESIS and head.lower() not in hashes]


def _load(source: str):
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=30) as response:  # noqa: S310 - user-given URL
            return json.load(response)
    with open(source, encoding="utf-8") as handle:
        return json.load(handle)


def load_records(source: str) -> list[dict]:
    """Every record from a file or URL, following `next` links of a paginated answer."""
    data = _load(source)
    pages = data if isinstance(data, list) and data and "results" in data[0] else [data]
    records: list[dict] = []
    for page in pages:
        if isinstance(page, list):
            records.extend(page)
            continue
        records.extend(page.get("results", []))
        link = page.get("next")
        while link and source.startswith(("http://", "https://")):
            more = _load(link)
            records.extend(more.get("results", []))
            link = more.get("next")
    return sorted(records, key=lambda record: record.get("seq", 0))


def load_tallies(source: str) -> tuple[dict[int, dict], dict | None]:
    """The published tallies by item, and the chain head they belong to (if given)."""
    data = _load(source)
    rows = data.get("results", data) if isinstance(data, dict) else data
    head = data.get("chain") if isinstance(data, dict) else None
    return {row["item"]: row for row in rows}, head


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", help="vote-log JSON file or URL")
    parser.add_argument("--tallies", help="published tallies JSON file or URL, to compare")
    parser.add_argument(
        "--head",
        action="append",
        default=[],
        metavar="HASH",
        help="a chain head you wrote down earlier (repeatable): the chain must still reach it",
    )
    args = parser.parse_args(argv)

    records = load_records(args.log)
    problems, tallies = verify(records)
    for head in missing_heads(records, args.head):
        problems.append(f"the chain no longer reaches head {head} (records removed or rewritten)")
    head = records[-1]["hash"] if records else GENESIS
    print(f"{len(records)} records, head {head}")
    sealed = sum(1 for record in records if record.get("sealed"))
    if sealed:
        print(f"{sealed} records sealed (secret ballot still open): links checked, votes later")
    for item in sorted(tallies):
        counts = ", ".join(f"{choice} {n}" for choice, n in sorted(tallies[item].items()))
        print(f"item {item}: {counts}")
    if args.tallies:
        rows, at = load_tallies(args.tallies)
        counted = tallies
        if at:  # the tallies name the chain head they were counted at: replay up to it
            length = at.get("length", 0)
            if length > len(records) or (length and records[length - 1].get("hash") != at["head"]):
                problems.append(
                    f"the published tallies belong to head {at['head']} (record {length}), "
                    "which this log does not reach"
                )
            else:
                counted = verify(records[:length])[1]
        for item, row in sorted(rows.items()):
            if row.get("hidden"):
                continue
            published = {choice: n for choice, n in (row.get("counts") or {}).items() if n}
            recomputed = dict(counted.get(item, {}))
            if published != recomputed:
                problems.append(
                    f"item {item}: published tally {published} != recomputed {recomputed}"
                )
    for problem in problems:
        print("FAIL", problem, file=sys.stderr)
    if problems:
        print("TAMPERED or incomplete")
    elif sealed:
        print("OK: chain links intact; the votes can be recounted once voting closes")
    else:
        print("OK: chain intact, tallies recomputed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
