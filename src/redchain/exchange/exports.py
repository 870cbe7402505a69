"""Excel exports of the exchange lists. Each takes the rows of the page's own selector and filters, so an
export never holds more than its page."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from redchain.exchange import permissions as perms
from redchain.orgs.excel.tables import table_workbook, xlsx_response


def listings(rows, *, side: str, user) -> HttpResponse:
    """Needs or resources; a contact phone only where the page would show it whole."""
    headers = [
        _("Title"),
        _("Kind"),
        _("Status"),
        _("Posted by"),
        _("Alliance"),
        _("Industry chain"),
        _("Amount (10k yuan)"),
        _("Quantity"),
        _("Posted on"),
        _("Valid until"),
        _("Contact person"),
        _("Contact phone"),
        _("Matches"),
        _("Description"),
    ]
    data = [
        [
            r.title,
            r.get_kind_display(),
            r.get_status_display(),
            r.owner_name,
            r.alliance.name if r.alliance else _("Whole industry chain"),
            r.chain.name,
            r.amount_wan,
            r.quantity,
            r.posted_on,
            r.valid_until,
            r.contact_name,
            r.contact_phone if _full_phone(user, r) else r.masked_contact_phone,
            r.match_count,
            r.description,
        ]
        for r in rows
    ]
    title = _("Needs list") if side == "need" else _("Resources list")
    book = table_workbook(
        title=title, headers=headers, rows=data, widths=[28, 8, 8, 24, 24, 14, 10, 10, 12, 12, 10, 14, 8, 50]
    )
    return xlsx_response(book, name=title, fallback=f"{side}s")


def _full_phone(user, listing) -> bool:
    from redchain.accounts.scope import scope_for

    scope = scope_for(user)
    return (
        perms.owns(user, listing)
        or bool(scope.full_zone_ids | scope.staff_zone_ids)
        or perms.instructs_for(user, listing)
    )


def matches(rows) -> HttpResponse:
    headers = [
        _("Need"),
        _("Need posted by"),
        _("Resource"),
        _("Resource posted by"),
        _("Kind"),
        _("Alliance"),
        _("Status"),
        _("Score"),
        _("Proposed on"),
        _("Closed on"),
        _("Saved (10k yuan)"),
        _("Deal value (10k yuan)"),
        _("Result"),
    ]
    data = [
        [
            m.need.title,
            m.need.owner_name,
            m.resource.title,
            m.resource.owner_name,
            m.need.get_kind_display(),
            m.alliance.name if m.alliance else "",
            m.get_status_display(),
            m.score,
            m.proposed_on,
            m.closed_on,
            m.saved_wan,
            m.deal_value_wan,
            m.result or m.decline_reason,
        ]
        for m in rows
    ]
    title = _("Matches")
    book = table_workbook(
        title=title, headers=headers, rows=data, widths=[28, 22, 28, 22, 8, 24, 8, 6, 12, 12, 10, 10, 50]
    )
    return xlsx_response(book, name=title, fallback="matches")


def projects(rows) -> HttpResponse:
    headers = [
        _("Title"),
        _("Alliance"),
        _("Status"),
        _("Member units involved"),
        _("Investment (10k yuan)"),
        _("Started on"),
        _("Finished on"),
        _("Outcome"),
    ]
    data = [
        [
            p.title,
            p.alliance.name,
            p.get_status_display(),
            "、".join(u.display_name for u in p.units.all()),
            p.investment_wan,
            p.started_on,
            p.finished_on,
            p.outcome,
        ]
        for p in rows
    ]
    title = _("Projects list")
    book = table_workbook(title=title, headers=headers, rows=data, widths=[30, 24, 10, 40, 12, 12, 12, 50])
    return xlsx_response(book, name=title, fallback="projects")
