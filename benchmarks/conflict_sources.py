"""Where the ZODB conflicts Zope retried were: run through zconsole with
the instances' event logs, after a run of the cluster.

    zconsole run var/cluster/instance1/zope.conf \\
        benchmarks/conflict_sources.py var/cluster/instance*/var/event.log

Each "Conflict, retry" line (subscribers/conflicts.py) names the object
that conflicted, most often a node of a BTree. This finds, for each, the
object that holds the tree (a catalog index, the catalog, the orders
folder...) by following the database's references from its root, and
prints the counts, most first: which trees to make conflict less. A set of
record ids that an index keeps under one value is named with the value.
"""

from collections import Counter
from ZODB.serialize import referencesf
from ZODB.utils import p64
from ZODB.utils import z64

import re
import sys


# "Conflict, retry 1 of 10 for POST /Plone/@checkout: ... (oid 0x0e60, ..."
CONFLICT = re.compile(r"Conflict, retry \d+ of \d+ for (\S+ \S+?): .*?\(oid (\w+)")


def parents(storage, wanted: set) -> dict:
    """The first referrer found of every object, from the root down."""
    parent, queue = {z64: None}, [z64]
    while queue and not wanted <= parent.keys():
        oid = queue.pop()
        data, _serial = storage.load(oid)
        for child in referencesf(data):
            if child not in parent:
                parent[child] = oid
                queue.append(child)
    return parent


def is_tree_part(obj) -> bool:
    return type(obj).__module__.startswith("BTrees.")


def is_set_part(obj) -> bool:
    return is_tree_part(obj) and "Set" in type(obj).__name__


def key_of(mapping, value_oid: bytes):
    """The key under which a node of a mapping tree holds ``value_oid``."""
    for key, value in mapping.items():
        if getattr(value, "_p_oid", None) == value_oid:
            return key
    return "?"


def owner(connection, parent: dict, oid: bytes) -> str:
    """Names the holder of the tree ``oid`` is a node of: "Class id.attribute".

    An index keeps a set of record ids under each value; a node of such a
    set is named with its key, "Class id.attribute['value']": every object
    indexed with that value writes the set, unlike a new key in the tree.
    """
    node, set_top = oid, None
    while True:
        if is_set_part(connection.get(node)):
            set_top = node
        up = parent.get(node)
        if up is None or not is_tree_part(connection.get(up)):
            break
        node = up
    holder_oid = parent.get(node)
    if holder_oid is None:
        return "(not reachable from the root)"
    holder = connection.get(holder_oid)
    holder._p_activate()
    attribute = next(
        (
            name
            for name, value in vars(holder).items()
            if getattr(value, "_p_oid", None) == node
        ),
        type(connection.get(node)).__name__,
    )
    name = getattr(holder, "id", None) or getattr(holder, "__name__", None) or ""
    where = f"{type(holder).__name__} {name}.{attribute}".replace(" .", ".")
    if set_top is not None and set_top != node:
        where += f"[{key_of(connection.get(parent[set_top]), set_top)!r}]"
    return where


def main(app, logs: list[str]) -> None:
    conflicts = Counter()  # (request, oid) -> count
    for log in logs:
        with open(log, encoding="utf-8", errors="replace") as lines:
            for line in lines:
                found = CONFLICT.search(line)
                if found:
                    request, oid = found.group(1), p64(int(found.group(2), 16))
                    conflicts[request, oid] += 1
    if not conflicts:
        print("No conflicts retried.")
        return
    connection = app._p_jar
    parent = parents(connection.db().storage, {oid for _, oid in conflicts})
    by_request = {}
    for (request, oid), count in conflicts.items():
        where = owner(connection, parent, oid)
        by_request.setdefault(request, Counter())[where] += count
    for request, sources in sorted(by_request.items()):
        total = sum(sources.values())
        print(f"{total} conflicts retried for {request}, on what these hold:")
        for where, count in sources.most_common():
            print(f"  {count:5}  {count / total:4.0%}  {where}")


if __name__ == "__main__":  # as zconsole runs it; tests import it
    # zconsole keeps its own argv: run, the zope.conf, this script, then ours.
    main(app, sys.argv[4:])  # noqa: F821 -- zconsole provides `app`
