"""benchmarks/conflict_sources.py names the object each conflicted node is in."""

from BTrees.IIBTree import IITreeSet
from BTrees.OOBTree import OOBTree
from OFS.SimpleItem import SimpleItem
from pathlib import Path
from ZODB import DB

import importlib.util
import pytest
import transaction


SCRIPT = Path(__file__).parents[2] / "benchmarks" / "conflict_sources.py"


def load_script():
    spec = importlib.util.spec_from_file_location("conflict_sources", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def index():
    """An index-like holder: a tree of 300 keys, each a set of record ids."""
    db = DB(None)
    connection = db.open()
    holder = SimpleItem()
    holder.id = "roles"
    holder._index = OOBTree()
    for n in range(300):
        holder._index[f"key{n:03}"] = IITreeSet(range(n, n + 2))
    holder._index["Manager"] = IITreeSet(range(1000))  # several buckets
    connection.root()["index"] = holder
    transaction.commit()
    yield connection, holder
    transaction.abort()
    connection.close()
    db.close()


def named(connection, oid):
    script = load_script()
    parent = script.parents(connection.db().storage, {oid})
    return script.owner(connection, parent, oid)


def test_a_node_of_the_tree_is_named_by_its_holder(index):
    connection, holder = index
    bucket = holder._index._firstbucket
    assert bucket._p_oid is not None  # a node of its own, not the tree's root
    assert named(connection, bucket._p_oid) == "SimpleItem roles._index"


def test_a_set_under_one_value_is_named_with_the_value(index):
    connection, holder = index
    bucket = holder._index["Manager"]._firstbucket
    assert bucket._p_oid is not None
    assert named(connection, bucket._p_oid) == "SimpleItem roles._index['Manager']"


def test_an_object_out_of_reach_is_said_so(index):
    connection, _holder = index
    stray = SimpleItem()
    connection.add(stray)
    transaction.commit()
    assert named(connection, stray._p_oid) == "(not reachable from the root)"
