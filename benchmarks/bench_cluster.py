"""Throughput with one and two Zope instances on RelStorage/PostgreSQL, and
peak memory per instance, against plone.restapi Document creation, same run.

    make bench   # or: .venv/bin/python benchmarks/bench_cluster.py --requests 200

Builds the cluster of ``make start-cluster`` (scripts/cluster.py) in a
temporary folder: a local PostgreSQL with its default, durable settings,
the demo site, two instances (waitress, 2 threads each, or --threads).
With --prefill N, the site first gets N past orders and N pages
(prefill_shop.py): a shop that has been open a while, with bigger catalog
and folder trees than an empty one.
Then, in rounds that interleave the four set-ups, 8 clients (or --clients)
send a fixed number of requests as fast as they are answered:

- orders:   POST @checkout, anonymous, two lines, a new customer each time,
            over one or both instances
- baseline: POST a Document through plone.restapi as admin, the same way

and prints the median requests per second, the two-instance/one-instance
scaling of each, and each instance's peak resident memory (VmHWM). To show
where the time goes, it also prints per request: the ZODB conflicts Zope
retried (from the instances' event logs), and the CPU time of the Zope
processes, of PostgreSQL and of the client; how many cores were busy; and
which trees the conflicts were on (conflict_sources.py). Client, database
and both instances share this machine's cores: the scaling is bounded by
them.
"""

from bench_checkout_http import checkout_body
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from statistics import median

import argparse
import contextlib
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


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def checkout(site: str, products: list):
    body = checkout_body(products)
    someone = uuid.uuid4().hex[:8]  # each order is a new customer, as in a shop
    body["customer"].update(last_name=someone, email=f"{someone}@example.org")
    return requests.post(
        f"{site}/@checkout",
        json=body,
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


def throughput(send, sites: list, products: list, count: int, clients: int) -> float:
    """Requests per second for ``count`` requests spread over ``sites``."""

    def one(n):
        answer = send(sites[n % len(sites)], products)
        if answer.status_code != 201:
            raise SystemExit(f"{answer.status_code}: {answer.text[:500]}")

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(count)))
    return count / (time.perf_counter() - started)


TICKS = os.sysconf("SC_CLK_TCK")


def stat_fields(pid) -> list[str]:
    """/proc/<pid>/stat after the command name: state, ppid, ... utime, stime."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pid: int) -> float:
    fields = stat_fields(pid)
    return (int(fields[11]) + int(fields[12])) / TICKS  # user + system


def postgres_pids(postgres) -> list[int]:
    """The postmaster and its children (the backends serving the instances)."""
    main = int((postgres.data / "postmaster.pid").read_text().split()[0])
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat_fields(stat.parent.name)[1]) == main:
                children.append(int(stat.parent.name))
        except (OSError, ValueError):
            pass  # gone meanwhile
    return [main, *children]


class Meter:
    """Conflicts retried and CPU seconds spent, between two readings."""

    def __init__(self, instances, postgres):
        self.instances, self.postgres = instances, postgres

    def read(self) -> dict:
        def total(pids):
            seconds = 0.0
            for pid in pids:
                with contextlib.suppress(OSError):  # a backend that ended
                    seconds += cpu_seconds(pid)
            return seconds

        logs = [i.home / "var" / "event.log" for i in self.instances]
        own = os.times()
        return {
            "conflicts": sum(log.read_text().count("Conflict, retry") for log in logs),
            "zope": total(i.process.pid for i in self.instances),
            "postgres": total(postgres_pids(self.postgres)),
            "client": own.user + own.system,
            "wall": time.perf_counter(),
        }

    def since(self, before: dict) -> dict:
        after = self.read()
        return {key: after[key] - before[key] for key in after}


def cpu(run: dict) -> float:
    """CPU seconds of a Meter reading: Zope, PostgreSQL and the client."""
    return run["zope"] + run["postgres"] + run["client"]


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2, help="per instance")
    parser.add_argument(
        "--clients", type=int, default=8, help="requests in flight at once"
    )
    parser.add_argument(
        "--prefill",
        type=int,
        default=0,
        help="orders and pages in the site before it measures (prefill_shop.py)",
    )
    args = parser.parse_args()
    if cluster.postgres_bin() is None:
        raise SystemExit("PostgreSQL's server is not installed: make system")

    folder = Path(tempfile.mkdtemp(prefix="getpaid-bench-cluster-"))
    folder.chmod(0o755)  # PostgreSQL runs as user postgres when we are root
    postgres, instances = cluster.prepare(
        folder, (free_port(), free_port()), free_port(), threads=args.threads
    )
    try:
        prefill = Path(__file__).with_name("prefill_shop.py")
        print(cluster.zconsole(instances[0].home / "zope.conf", prefill, args.prefill))
        for instance in instances:
            instance.start()
        sites = [f"{instance.url}/Plone" for instance in instances]
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
            throughput(send, on, products, 2 * args.clients, args.clients)
        meter = Meter(instances, postgres)
        rates = {setup: [] for setup in setups}
        spent = {setup: [] for setup in setups}
        for _round in range(args.rounds):
            for setup, (send, on) in setups.items():
                before = meter.read()
                rates[setup].append(
                    throughput(send, on, products, args.requests, args.clients)
                )
                spent[setup].append(meter.since(before))
        peak_mb = [peak_memory_mb(i.process.pid) for i in instances]
        sources = cluster.zconsole(
            instances[0].home / "zope.conf",
            Path(__file__).with_name("conflict_sources.py"),
            *(i.home / "var" / "event.log" for i in instances),
        )
    finally:
        for instance in instances:
            instance.stop()
        postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)

    report(args, rates, spent, started_mb, peak_mb)
    print()
    print("Over the whole run, warm-up included:")
    print(sources, end="")


def report(args, rates: dict, spent: dict, started_mb: list, peak_mb: list):
    print(
        f"getpaid.orders on RelStorage/PostgreSQL, {platform.python_version()}, "
        f"{os.cpu_count()} cores, {args.threads} threads per instance, "
        f"{args.clients} clients, {args.requests} requests "
        f"a run, median of {args.rounds} interleaved runs, "
        f"{args.prefill} orders and pages made before"
    )
    print()
    print(f"  {'':10} {'1 instance':>12} {'2 instances':>12} {'scaling':>8}")
    for kind, label in (("orders", "checkout"), ("baseline", "Document")):
        one, two = median(rates[(kind, 1)]), median(rates[(kind, 2)])
        print(f"  {label:10} {one:10.1f}/s {two:10.1f}/s {two / one:7.2f}x")
    print()
    # Two instances can't serve more than the cores give at their CPU cost per
    # request, whatever the code does: a ceiling this machine puts on scaling.
    cores = os.cpu_count()
    for kind, label in (("orders", "checkout"), ("baseline", "Document")):
        runs = spent[(kind, 2)]
        most = cores * args.requests * len(runs) / sum(map(cpu, runs))
        print(
            f"  {label}: at most {most:.1f}/s on {cores} cores for 2 instances "
            f"at their CPU per request, {most / median(rates[(kind, 1)]):.2f}x "
            f"the 1-instance rate"
        )
    print()
    print(
        f"  {'per request':22} {'conflicts':>9} {'Zope ms':>8} {'PG ms':>6} "
        f"{'client ms':>9} {'busy cores':>10}"
    )
    for (kind, n), runs in spent.items():
        count = args.requests * len(runs)

        def per_request(key, runs=runs, count=count):
            return sum(run[key] for run in runs) / count

        busy = sum(map(cpu, runs)) / sum(r["wall"] for r in runs)
        print(
            f"  {kind + ', ' + str(n) + ' instance(s)':22} "
            f"{per_request('conflicts'):9.2f} {per_request('zope') * 1000:8.1f} "
            f"{per_request('postgres') * 1000:6.1f} "
            f"{per_request('client') * 1000:9.1f} {busy:10.2f}"
        )
    print()
    for n, (start, peak) in enumerate(zip(started_mb, peak_mb, strict=True), 1):
        print(f"  instance {n}: {start:.0f} MB after start-up, peak {peak:.0f} MB")


if __name__ == "__main__":
    main()
