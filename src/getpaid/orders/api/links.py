"""Secret links: how a customer without an account reaches their one order.

A token is 256 random bits (``secrets.token_urlsafe``), handed out once and
never stored: the order keeps only its SHA-256 digest, and the catalog
indexes the digests of active links so a token finds its order in one query.
The final comparison is constant-time (``hmac.compare_digest``); the index
lookup is not, but it is keyed by a digest, and timing a digest lookup tells
nothing about tokens that would hash to it.
"""

from dataclasses import replace
from datetime import datetime
from datetime import timedelta
from datetime import UTC
from getpaid.orders import _
from getpaid.orders.api.characters import refused_character
from getpaid.orders.content.links import SecretLink
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.exceptions import InvalidValue
from getpaid.orders.exceptions import OrderAnonymised
from getpaid.orders.exceptions import OrderNotFound
from getpaid.orders.exceptions import TooManyLinks
from plone import api

import hashlib
import hmac
import re
import secrets


OWNER = "owner"  # read, pay and cancel the order
STATUS = "status"  # read its state only, e.g. for a gift's recipient
KINDS = (OWNER, STATUS)
TOKEN_BYTES = 32
# token_urlsafe(32) gives 43 characters of the URL-safe base64 alphabet.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")
INDEX = "secret_link_digests"
MAX_LABEL = 100  # characters
# Active share links an order may have: the owner revokes one to make more.
MAX_SHARE_LINKS = 20
# Active owner links an order keeps: a new one (a lookup, a resent mail)
# retires the oldest, whose mail the customer has newer ones than.
MAX_OWNER_LINKS = 10


def link_url(token: str) -> str:
    """Where a secret link opens its order: ``@@order-status/<token>``."""
    return f"{api.portal.get().absolute_url()}/@@order-status/{token}"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def link_label(text) -> str:
    """Who a link is for, as typed, spaces tidied; InvalidValue if it won't do."""
    if text is None:
        text = ""
    if not isinstance(text, str):  # e.g. the form field given twice
        raise InvalidValue(_("Say who the link is for once."))
    label = " ".join(text.split())
    if len(label) > MAX_LABEL:
        raise InvalidValue(
            _(
                "Say who the link is for in at most ${most} characters.",
                mapping={"most": MAX_LABEL},
            )
        )
    if refused_character(label) is not None:  # e.g. one that reads backwards
        raise InvalidValue(_("Who the link is for can't contain that character."))
    return label


def check_has_customer(order) -> None:
    """OrderAnonymised when the order's customer data was erased
    (api/erasure.py): such an order takes no new link, and no mail or note
    for its customer, whoever asks."""
    if getattr(order, "anonymised", None):
        raise OrderAnonymised(
            _(
                "Order ${number} is anonymised: it has no customer to send "
                "a link, a mail or a note to.",
                mapping={"number": order.number},
            )
        )


def create_link(order, kind: str = OWNER, label: str = "") -> str:
    """Make a new secret link to the order; return its token (shown once).

    ``label`` says who it is for (link_label); the token is not kept. A
    share link beyond MAX_SHARE_LINKS is refused (TooManyLinks); an owner
    link beyond MAX_OWNER_LINKS retires the oldest.
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown link kind {kind!r}; one of {KINDS}.")
    check_has_customer(order)
    label = link_label(label)
    active = sum(link.active and link.kind == kind for link in order.secret_links)
    if kind == STATUS and active >= MAX_SHARE_LINKS:
        raise TooManyLinks(
            _(
                "An order can have at most ${most} share links: revoke one "
                "that is no longer needed first.",
                mapping={"most": MAX_SHARE_LINKS},
            )
        )
    now = datetime.now(UTC)
    links = list(order.secret_links)
    retire = active - MAX_OWNER_LINKS + 1 if kind == OWNER else 0
    for index, link in enumerate(links):  # oldest first
        if retire > 0 and link.active and link.kind == OWNER:
            links[index] = replace(link, revoked=now)
            retire -= 1
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = SecretLink(kind=kind, digest=digest(token), created=now, label=label)
    order.secret_links = (*links, link)
    order.reindexObject(idxs=[INDEX])
    return token


def revoke_links(order, kind: str | None = None) -> int:
    """Revoke the order's active links (of one kind); return how many."""
    now = datetime.now(UTC)
    revoked = 0
    links = []
    for link in order.secret_links:
        if link.active and kind in (None, link.kind):
            link = replace(link, revoked=now)
            revoked += 1
        links.append(link)
    order.secret_links = tuple(links)
    order.reindexObject(idxs=[INDEX])
    return revoked


def _expired(link: SecretLink) -> bool:
    days = get_setting("secret_link_days", 0) or 0
    return bool(days) and datetime.now(UTC) - link.created > timedelta(days=days)


def _grants(link: SecretLink, kind: str | None) -> bool:
    """An owner link grants what a status link does, not the reverse."""
    return kind in (None, STATUS, link.kind)


def revoke_link(order, index: int) -> None:
    """Revoke the order's ``index``-th link (as listed in secret_links)."""
    links = list(order.secret_links)
    link = links[index]
    if link.active:
        links[index] = replace(link, revoked=datetime.now(UTC))
        order.secret_links = tuple(links)
        order.reindexObject(idxs=[INDEX])


def revoke_share_link(order, index: int) -> bool:
    """Revoke the order's share link number ``index``; False if there is none.

    The owner's own link can't be revoked this way: only staff replace it.
    """
    links = order.secret_links
    if not 0 <= index < len(links):
        return False
    if links[index].kind != STATUS or not links[index].active:
        return False
    revoke_link(order, index)
    return True


def is_owner_token(order, token: str) -> bool:
    """Whether ``token`` is an active, unexpired owner link of this order."""
    wanted = digest(token)
    return any(
        link.active
        and link.kind == OWNER
        and hmac.compare_digest(link.digest, wanted)
        and not _expired(link)
        for link in order.secret_links
    )


def find_by_token(token: str, kind: str | None = None):
    """(order, link) for an active, unexpired token, or OrderNotFound.

    ``kind`` limits what the token may be (an owner link also grants what a
    status link does: pass ``kind=STATUS`` to accept both).
    """
    if not isinstance(token, str) or not TOKEN_SHAPE.fullmatch(token):
        raise OrderNotFound(_("No order has this link."))
    wanted = digest(token)
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(**{INDEX: wanted}):
        order = brain._unrestrictedGetObject()
        for link in order.secret_links:
            matches = link.active and hmac.compare_digest(link.digest, wanted)
            if matches and _grants(link, kind) and not _expired(link):
                return order, link
    raise OrderNotFound(_("No order has this link."))
