"""The conflicts Zope retries are logged, naming the object that conflicted."""

from BTrees.OOBTree import OOBucket
from io import BytesIO
from ZODB.POSException import ConflictError
from ZODB.utils import p64
from zope.event import notify
from ZPublisher.HTTPRequest import HTTPRequest
from ZPublisher.HTTPResponse import HTTPResponse
from ZPublisher.pubevents import PubBeforeAbort

import logging
import pytest


def request(retries: int):
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/Plone/@checkout",
        "SERVER_NAME": "shop.example.org",
        "SERVER_PORT": "80",
    }
    made = HTTPRequest(BytesIO(), environ, HTTPResponse())
    made.retry_count, made.retry_max_count = retries, 10
    return made


def abort(error, retries=0, retry=True):
    try:
        raise error
    except Exception as raised:
        notify(PubBeforeAbort(request(retries), (type(raised), raised, None), retry))


@pytest.fixture
def log(integration, caplog):
    caplog.set_level(logging.INFO, logger="getpaid.orders")
    return caplog


def conflict():
    bucket = OOBucket()
    bucket._p_oid = p64(0x2A)
    return ConflictError(object=bucket)


def test_a_retried_conflict_is_logged_with_its_object(log):
    abort(conflict(), retries=1)
    (record,) = log.records
    assert record.levelno == logging.INFO
    message = record.getMessage()
    assert "retry 2 of 10 for POST /Plone/@checkout" in message
    assert "oid 0x2a" in message
    assert "BTrees.OOBTree.OOBucket" in message


def test_giving_up_is_a_warning(log):
    abort(conflict(), retries=10, retry=False)
    (record,) = log.records
    assert record.levelno == logging.WARNING
    assert "gave up on POST /Plone/@checkout after 10 retries" in record.getMessage()


def test_other_errors_are_not_conflicts(log):
    abort(ValueError("not a conflict"))
    assert log.records == []
