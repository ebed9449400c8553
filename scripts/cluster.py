"""The demo on PostgreSQL: RelStorage and several Zope instances on one database.

    make start-cluster        # or: .venv/bin/python scripts/cluster.py start

initialises a PostgreSQL cluster under var/cluster/postgres (first run only),
starts it on port 5433, creates the site with the add-on and the demo
products, and serves two Zope instances on http://localhost:8080/Plone and
http://localhost:8082/Plone, with the PayPal simulator on :8081 and the
Stripe simulator on :8083. Ctrl-C stops them all; the data stays for the
next start. docs/howto-scale-out.rst says how this maps to production.
tests/cluster uses the same pieces.
"""

from pathlib import Path

import argparse
import base64
import glob
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request


ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

ZOPE_CONF = """\
%define INSTANCE {home}
instancehome $INSTANCE
%import relstorage
# Instances racing on one database conflict more often than one process
# does; a retry is cheap and safe (side effects wait for the commit).
max-conflict-retries 10
<zodb_db main>
  # Every instance on one PostgreSQL database; blobs live in it too, each
  # instance keeps a local cache of them.
  <relstorage>
    keep-history false
    shared-blob-dir false
    blob-dir $INSTANCE/var/blobcache
    blob-cache-size 256mb
    <postgresql>
      dsn {dsn}
    </postgresql>
  </relstorage>
  mount-point /
</zodb_db>
<environment>
  CHAMELEON_CACHE $INSTANCE/var/cache
  zope_i18n_compile_mo_files true
  GETPAID_TEND_MAIL_QUEUE on
  GETPAID_PAYPAL_CLIENT_SECRET simulator-secret
  GETPAID_STRIPE_SECRET_KEY sk_test_simulator
  GETPAID_STRIPE_WEBHOOK_SECRET whsec_simulator
</environment>
<dos_protection>
</dos_protection>
"""

ZOPE_INI = """\
[app:zope]
use = egg:Zope#main
zope_conf = %(here)s/zope.conf

[server:main]
use = egg:waitress#main
host = 127.0.0.1
port = {port}
threads = {threads}

# While PostgreSQL is unreachable: 503 with Retry-After, not a bare 500.
[filter:database-unavailable]
use = egg:getpaid.orders#database_unavailable

[pipeline:main]
pipeline =
    egg:Zope#httpexceptions
    database-unavailable
    zope

[loggers]
keys = root, getpaid

# INFO: the conflicts Zope retried, and the IPNs handled.
[logger_getpaid]
level = INFO
handlers = eventlog
qualname = getpaid.orders
propagate = 0

[handlers]
keys = eventlog

[formatters]
keys = generic

[formatter_generic]
format = %(asctime)s %(levelname)s [%(name)s] %(message)s

[logger_root]
level = WARNING
handlers = eventlog

[handler_eventlog]
class = FileHandler
args = (r'{home}/var/event.log', 'a')
formatter = generic
"""


def postgres_bin() -> Path | None:
    """Debian's PostgreSQL server binaries, newest version first."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(found[0]).parent if found else None


class Postgres:
    """A PostgreSQL cluster in a folder of ours, on loopback only.

    PostgreSQL refuses to run as root: as root, it runs as user postgres.
    """

    def __init__(self, folder: Path, port: int, fast: bool = False):
        self.folder, self.port, self.fast = folder, port, fast
        self.data, self.log = folder / "data", folder / "postgres.log"
        self.bin = postgres_bin()
        if self.bin is None:
            raise RuntimeError("PostgreSQL's server is not installed: make system")

    @property
    def dsn(self) -> str:
        return f"dbname='shop' host='127.0.0.1' port='{self.port}' user='postgres'"

    def run(self, command: str, *args, check=True, **options):
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run(
            prefix + [str(self.bin / command), *map(str, args)],
            capture_output=True,
            text=True,
            **options,
        )
        if check and done.returncode:
            raise RuntimeError(f"{command} failed: {done.stdout}{done.stderr}")
        return done

    def init(self) -> None:
        if (self.data / "PG_VERSION").exists():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self.run("initdb", "-D", self.data, "-U", "postgres", "-A", "trust")
        self.start()
        self.run(
            "createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", "shop"
        )

    def options(self) -> str:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
        if self.fast:  # tests: durability is not what they measure
            options += " -c fsync=off -c synchronous_commit=off"
        return options

    def start(self) -> None:
        self.run(
            "pg_ctl", "-D", self.data, "-l", self.log, "-o", self.options(),
            "-w", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self.run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop", check=False)

    def restart(self) -> None:
        self.run(
            "pg_ctl", "-D", self.data, "-l", self.log, "-m", "fast",
            "-o", self.options(), "-w", "restart",
        )  # fmt: skip


def write_instance(
    home: Path, port: int, dsn: str, admin="admin:admin", threads: int = 2
) -> Path:
    """A Zope instance folder on the shared database; its zope.conf."""
    for folder in ("var", "var/cache", "var/blobcache"):
        (home / folder).mkdir(parents=True, exist_ok=True)
    conf = home / "zope.conf"
    conf.write_text(ZOPE_CONF.format(home=home, dsn=dsn))
    (home / "zope.ini").write_text(
        ZOPE_INI.format(home=home, port=port, threads=threads)
    )
    # Zope adds this user at start-up when the database has none yet.
    user, password = admin.split(":", 1)
    digest = base64.b64encode(hashlib.sha1(password.encode()).digest()).decode()
    (home / "inituser").write_text(f"{user}:{{SHA}}{digest}\n")
    return conf


def zconsole(conf: Path, script: Path, *args) -> str:
    done = subprocess.run(
        [BIN / "zconsole", "run", conf, script, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if done.returncode:
        raise RuntimeError(f"{script.name} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


class Instance:
    """One Zope process serving the shared database."""

    def __init__(self, home: Path, port: int):
        self.home, self.port, self.process = home, port, None
        self.url = f"http://127.0.0.1:{port}"

    def start(self, timeout: float = 120) -> None:
        log = (self.home / "var" / "stdout.log").open("a")
        self.process = subprocess.Popen(
            [BIN / "runwsgi", self.home / "zope.ini"],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        wait_for(f"{self.url}/", timeout, self.process)

    def kill(self) -> None:
        """SIGKILL: the process dies mid-request, as in a crash."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_for(url: str, timeout: float, process=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process serving {url} exited")
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except OSError as error:
            if getattr(error, "code", None):  # an HTTP error is an answer
                return
            time.sleep(0.3)
    raise TimeoutError(f"nothing answered on {url}")


def prepare(folder: Path, ports, pg_port: int, fast: bool = False, threads: int = 2):
    """PostgreSQL running, the site created, instances configured (not started).

    Shared by ``make start-cluster``, tests/cluster and benchmarks/bench_cluster.py.
    Returns (postgres, instances); PostgreSQL is stopped again if this fails.
    """
    postgres = Postgres(folder / "postgres", pg_port, fast)
    postgres.init()  # creates and starts it on the first run
    if postgres.run("pg_ctl", "-D", postgres.data, "status", check=False).returncode:
        postgres.start()
    try:
        homes = {folder / f"instance{n}": port for n, port in enumerate(ports, 1)}
        confs = [
            write_instance(h, port, postgres.dsn, threads=threads)
            for h, port in homes.items()
        ]
        # One queue folder for every instance of this host (zope.sendmail
        # lets several processes send from one); docs/howto-scale-out.rst.
        mail_queue = folder / "mailqueue"
        print(
            zconsole(confs[0], ROOT / "scripts" / "create_site.py", mail_queue), end=""
        )
    except BaseException:
        postgres.stop()
        raise
    return postgres, [Instance(home, port) for home, port in homes.items()]


def start(folder: Path, ports=(8080, 8082), pg_port: int = 5433) -> None:
    postgres, instances = prepare(folder, ports, pg_port)
    simulator = subprocess.Popen(
        [
            *(sys.executable, ROOT / "tools" / "paypal_simulator.py"),
            *("--port", "8081"),
            *("--webhook-url", f"http://localhost:{ports[0]}/Plone/@@paypal-webhook"),
        ]
    )
    stripe = subprocess.Popen(
        [
            *(sys.executable, ROOT / "tools" / "stripe_simulator.py"),
            *("--port", "8083"),
            *("--webhook-url", f"http://localhost:{ports[0]}/Plone/@@stripe-webhook"),
        ]
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop all, as Ctrl-C
    try:
        for instance in instances:
            instance.start()
            print(f"Zope on {instance.url}/Plone  (admin / admin)")
        print("PayPal simulator on http://127.0.0.1:8081 (development only)")
        print("Stripe simulator on http://127.0.0.1:8083 (development only)")
        print(f"PostgreSQL on 127.0.0.1:{pg_port}, data in {postgres.data}")
        print("Ctrl-C stops everything; the data stays.")
        while all(i.process.poll() is None for i in instances):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        for instance in instances:
            instance.stop()
        simulator.terminate()
        stripe.terminate()
        postgres.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["start"])
    parser.add_argument("--folder", type=Path, default=ROOT / "var" / "cluster")
    args = parser.parse_args()
    start(args.folder.resolve())


if __name__ == "__main__":
    main()
