"""Throughput with one and two Zope instances on RelStorage/PostgreSQL, and
peak memory per instance, against plone.restapi Document creation, same run.

    make bench   # or: .venv/bin/python benchmarks/bench_cluster.py --requests 200

Builds the cluster of ``make start-cluster`` (scripts/cluster.py) in a
temporary folder: a local PostgreSQL with its default, durable settings,
the demo site, two instances (waitress, 4 threads each). Then, in rounds
that interleave the four set-ups, 8 clients send a fixed number of requests
as fast as they are answered:

- orders:   POST @checkout, anonymous, two lines, over one or both instances
- baseline: POST a Document through plone.restapi as admin, the same way

and prints the median requests per second, the two-instance/one-instance
scaling of each, and each instance's peak resident memory (VmHWM).
Client, database and both instances share this machine's cores: the
scaling is bounded by them.
"""

from bench_checkout_http import checkout_body
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from statistics import median

import argparse
import os
import platform
import requests
import shutil
import sys
import tempfile
import time
import uuid


ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import cluster  # noqa: E402


ADMIN = ("admin", "admin")
CLIENTS = 8


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def checkout(site: str, products: list):
    return requests.post(
        f"{site}/@checkout",
        json=checkout_body(products),
        headers={"Accept": "application/json", "Idempotency-Key": str(uuid.uuid4())},
        timeout=120,
    )


def document(site: str, _products: list):
    return requests.post(
        f"{site}/pages",
        json={"@type": "Document", "title": f"Page {uuid.uuid4().hex[:8]}"},
        headers={"Accept": "application/json"},
        auth=ADMIN,
        timeout=120,
    )


def throughput(send, sites: list, products: list, count: int) -> float:
    """Requests per second for ``count`` requests spread over ``sites``."""

    def one(n):
        answer = send(sites[n % len(sites)], products)
        if answer.status_code != 201:
            raise SystemExit(f"{answer.status_code}: {answer.text[:500]}")

    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(one, range(count)))
    return count / (time.perf_counter() - started)


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if cluster.postgres_bin() is None:
        raise SystemExit("PostgreSQL's server is not installed: make system")

    folder = Path(tempfile.mkdtemp(prefix="getpaid-bench-cluster-"))
    folder.chmod(0o755)  # PostgreSQL runs as user postgres when we are root
    postgres, instances = cluster.prepare(
        folder, (free_port(), free_port()), free_port()
    )
    try:
        for instance in instances:
            instance.start()
        sites = [f"{instance.url}/Plone" for instance in instances]
        answer = requests.post(
            f"{sites[0]}",
            json={"@type": "Folder", "id": "pages", "title": "Pages"},
            headers={"Accept": "application/json"},
            auth=ADMIN,
            timeout=60,
        )
        answer.raise_for_status()
        products = [
            requests.get(
                f"{sites[0]}/shop/{id}", headers={"Accept": "application/json"}
            ).json()["UID"]
            for id in ("blue-mug", "plone-t-shirt")
        ]
        started_mb = [peak_memory_mb(i.process.pid) for i in instances]
        setups = {
            ("orders", 1): (checkout, sites[:1]),
            ("orders", 2): (checkout, sites),
            ("baseline", 1): (document, sites[:1]),
            ("baseline", 2): (document, sites),
        }
        for send, on in setups.values():  # warm up every path
            throughput(send, on, products, 2 * CLIENTS)
        rates = {setup: [] for setup in setups}
        for _round in range(args.rounds):
            for setup, (send, on) in setups.items():
                rates[setup].append(throughput(send, on, products, args.requests))
        peak_mb = [peak_memory_mb(i.process.pid) for i in instances]
    finally:
        for instance in instances:
            instance.stop()
        postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)

    print(
        f"getpaid.orders on RelStorage/PostgreSQL, {platform.python_version()}, "
        f"{os.cpu_count()} cores, {CLIENTS} clients, {args.requests} requests "
        f"a run, median of {args.rounds} interleaved runs"
    )
    print()
    print(f"  {'':10} {'1 instance':>12} {'2 instances':>12} {'scaling':>8}")
    for kind, label in (("orders", "checkout"), ("baseline", "Document")):
        one, two = median(rates[(kind, 1)]), median(rates[(kind, 2)])
        print(f"  {label:10} {one:10.1f}/s {two:10.1f}/s {two / one:7.2f}x")
    print()
    for n, (start, peak) in enumerate(zip(started_mb, peak_mb, strict=True), 1):
        print(f"  instance {n}: {start:.0f} MB after start-up, peak {peak:.0f} MB")


if __name__ == "__main__":
    main()
