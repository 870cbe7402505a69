"""Files sent with a demand: the type is sniffed from the bytes, never taken from the name or the browser.

A file named ``invoice.pdf`` that starts like a Windows program is refused. Accepted files are stored under
``VAR_DIR/private`` (the :class:`~redchain.demands.models.Attachment` storage), outside the web root, and are
only ever served by :func:`download_response` after the view has checked the demand is in the user's scope.
"""

from __future__ import annotations

import os
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from redchain.audit.services import audit_record
from redchain.demands import permissions as perms
from redchain.demands.models import Attachment, Demand

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
OFFICE_ZIP_TYPES = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}
# Legacy Office files are OLE compound files, as are installers (.msi): the stream name tells them apart.
OLE_STREAMS = {
    "WordDocument".encode("utf-16-le"): ("application/msword", "doc"),
    "Workbook".encode("utf-16-le"): ("application/vnd.ms-excel", "xls"),
    "Book".encode("utf-16-le"): ("application/vnd.ms-excel", "xls"),
}


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extension: str


def sniff(upload) -> Sniffed | None:
    """The file's real type from its first bytes (and, for zip and OLE containers, their contents)."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    simple = [
        (b"\x89PNG\r\n\x1a\n", Sniffed("image/png", "png")),
        (b"\xff\xd8\xff", Sniffed("image/jpeg", "jpg")),
        (b"GIF87a", Sniffed("image/gif", "gif")),
        (b"GIF89a", Sniffed("image/gif", "gif")),
        (b"%PDF-", Sniffed("application/pdf", "pdf")),
    ]
    for magic, kind in simple:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("image/webp", "webp")
    if head.startswith(ZIP_MAGIC):
        return _sniff_office_zip(upload)
    if head.startswith(OLE_MAGIC):
        return _sniff_ole(upload)
    return None


def _sniff_office_zip(upload) -> Sniffed | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for prefix, (content_type, extension) in OFFICE_ZIP_TYPES.items():
        if any(name.startswith(prefix) for name in names):
            return Sniffed(content_type, extension)
    return None


def _sniff_ole(upload) -> Sniffed | None:
    data = upload.read(settings.REDCHAIN_ATTACHMENT_MAX_BYTES + 1)
    upload.seek(0)
    for stream, (content_type, extension) in OLE_STREAMS.items():
        if stream in data:
            return Sniffed(content_type, extension)
    return None


def clean_name(name: str, extension: str) -> str:
    """A display name without path parts or control characters, ending in the sniffed type's extension."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip() or "attachment"
    stem, dot, ext = base.rpartition(".")
    if not dot or ext.lower() not in {extension, "jpeg" if extension == "jpg" else extension}:
        base = f"{base}.{extension}"
    return base[-200:]


def validate_upload(upload) -> Sniffed:
    """Raise a ``ValidationError`` (with a message for the person who sent it) unless the file is acceptable."""
    limit = settings.REDCHAIN_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s.") % {"name": upload.name, "limit": filesizeformat(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": upload.name}, code="empty")
    kind = sniff(upload)
    if kind is None:
        raise ValidationError(
            _(
                "%(name)s is not an accepted file type. Send images (PNG, JPEG, GIF, WebP), PDF or Office "
                "documents (Word, Excel, PowerPoint)."
            )
            % {"name": upload.name},
            code="file_type",
        )
    return kind


def _may_attach(actor, demand: Demand) -> bool:
    return (
        (demand.submitted_by_id is not None and demand.submitted_by_id == getattr(actor, "pk", None))
        or perms.is_contact_of(actor, demand)
        or perms.administers(actor, demand)
        or any(perms.handles(actor, a) for a in demand.assignments.all() if a.is_active)
    )


@transaction.atomic
def attachment_add(*, actor, demand: Demand, upload) -> Attachment:
    """Check, store and record one file on a demand. A refused file writes nothing."""
    perms.require(_may_attach(actor, demand))
    kind = validate_upload(upload)
    attachment = Attachment(
        demand=demand,
        original_name=clean_name(upload.name, kind.extension),
        content_type=kind.content_type,
        size=upload.size,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    upload.seek(0)
    attachment.file.save(kind.extension, upload, save=False)
    attachment.save()
    # A rolled-back transaction leaves the stored file behind under a random name in the private folder,
    # unreachable; that is harmless, and a cleanup can remove files no Attachment row points at.
    audit_record(
        actor=actor,
        action="demand.attachment_added",
        obj=demand,
        changes={"attachment": [None, attachment.pk]},
        reason=attachment.original_name,
    )
    return attachment


def download_response(attachment: Attachment) -> FileResponse:
    """Stream the file as a download that no browser will render or re-type."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
