"""Attachments: the type is sniffed from the bytes, the size is capped, downloads check scope."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from redchain.audit.models import AuditEntry
from redchain.demands import services as s
from redchain.demands.attachments import attachment_add, clean_name, validate_upload
from redchain.demands.models import Attachment, Demand
from redchain.demands.permissions import NotPermitted

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 64
    + b"This program cannot be run"
)


def office_zip(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<x/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def private_storage(tmp_path, monkeypatch):
    field = Attachment._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path / "private"))
    return tmp_path / "private"


@pytest.fixture
def demand(world):
    return s.demand_submit(actor=world.fiona, zone=world.zone, title="t", body="b", enterprise=world.firm_x)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("a.png", PNG, "image/png"),
        ("a.pdf", PDF, "application/pdf"),
        ("a.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        ("a.gif", b"GIF89a" + b"\x00" * 20, "image/gif"),
        ("a.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 10, "image/webp"),
        (
            "a.docx",
            office_zip("word/"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("a.xlsx", office_zip("xl/"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            "a.pptx",
            office_zip("ppt/"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        (
            "a.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40 + "WordDocument".encode("utf-16-le"),
            "application/msword",
        ),
        (
            "a.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40 + "Workbook".encode("utf-16-le"),
            "application/vnd.ms-excel",
        ),
    ],
)
def test_accepted_types_are_recognised_by_their_bytes(name, content, content_type):
    assert validate_upload(upload(name, content)).content_type == content_type


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("invoice.pdf", EXE),  # a program renamed .pdf
        ("photo.png", b"<html><script>alert(1)</script></html>"),
        ("plain.zip", b"PK\x03\x04" + b"\x00" * 30),  # a broken zip
        (
            "setup.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
        ),  # OLE without a Word stream (e.g. .msi)
    ],
)
def test_other_types_are_refused_whatever_their_name(name, content):
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(name, content, "application/pdf"))
    assert caught.value.code == "file_type" and name in caught.value.messages[0]


def test_a_zip_that_is_not_office_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/evil.exe", "MZ")  # no [Content_Types].xml
    with pytest.raises(ValidationError):
        validate_upload(upload("a.docx", buffer.getvalue()))


def test_size_cap(settings):
    settings.REDCHAIN_ATTACHMENT_MAX_BYTES = len(PNG) - 1
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload("big.png", PNG))
    assert caught.value.code == "too_large"
    settings.REDCHAIN_ATTACHMENT_MAX_BYTES = len(PNG)
    assert validate_upload(upload("big.png", PNG))


def test_empty_file_is_refused():
    with pytest.raises(ValidationError):
        validate_upload(upload("empty.pdf", b""))


def test_clean_name_strips_paths_and_fixes_the_extension():
    assert clean_name("../../etc/passwd", "pdf") == "passwd.pdf"
    assert clean_name("C:\\Users\\报告.PDF", "pdf") == "报告.PDF"
    assert clean_name("photo.jpeg", "jpg") == "photo.jpeg"
    assert clean_name("a\x00b.png", "png") == "ab.png"


def test_attachment_add_stores_privately_and_audits(world, demand, private_storage):
    attachment = attachment_add(actor=world.fiona, demand=demand, upload=upload("营业执照.png", PNG))
    assert attachment.content_type == "image/png" and attachment.original_name == "营业执照.png"
    assert attachment.size == len(PNG) and attachment.uploaded_by == world.fiona
    stored = private_storage / attachment.file.name
    assert stored.read_bytes() == PNG and "营业执照" not in attachment.file.name
    assert AuditEntry.objects.filter(action="demand.attachment_added", object_id=str(demand.pk)).exists()


def test_attachment_add_refuses_outsiders_and_bad_files(world, demand):
    with pytest.raises(NotPermitted):
        attachment_add(actor=world.frank, demand=demand, upload=upload("a.png", PNG))
    with pytest.raises(ValidationError):
        attachment_add(actor=world.fiona, demand=demand, upload=upload("a.pdf", EXE))
    assert not Attachment.objects.exists()


def test_submit_with_attachments(login, world):
    client = login(world.fiona)
    files = [upload("现场照片.png", PNG, "image/png"), upload("申请书.pdf", PDF, "application/pdf")]
    response = client.post(reverse("demands:submit"), {"title": "t", "body": "b", "attachments": files})
    assert response.status_code == 302
    demand = Demand.objects.get()
    assert sorted(demand.attachments.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/png",
    ]


def test_submit_with_a_disguised_program_is_refused_and_creates_nothing(login, world):
    client = login(world.fiona)
    files = [upload("现场照片.png", PNG), upload("invoice.pdf", EXE)]
    response = client.post(reverse("demands:submit"), {"title": "t", "body": "b", "attachments": files})
    assert response.status_code == 400 and "invoice.pdf" in response.content.decode()
    assert not Demand.objects.exists() and not Attachment.objects.exists()


def test_download_four_ways(client, login, world, demand):
    attachment = attachment_add(actor=world.fiona, demand=demand, upload=upload("申请书.pdf", PDF))
    url = reverse("demands:attachment", args=[demand.pk, attachment.pk])
    assert client.get(url).status_code == 302
    assert login(world.nora).get(url).status_code == 403
    assert login(world.frank).get(url).status_code == 404  # another enterprise's contact
    assert login(world.zara).get(url).status_code == 404
    assert login(world.hannah).get(url).status_code == 404  # not dispatched to her department
    response = login(world.fiona).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert login(world.alice).get(url).status_code == 200


def test_download_of_an_attachment_of_another_demand_is_404(login, world, demand):
    other = s.demand_submit(actor=world.fiona, zone=world.zone, title="t2", body="b", enterprise=world.firm_x)
    attachment = attachment_add(actor=world.fiona, demand=other, upload=upload("a.png", PNG))
    url = reverse("demands:attachment", args=[demand.pk, attachment.pk])
    assert login(world.fiona).get(url).status_code == 404


def test_detail_page_links_the_attachments(login, world, demand):
    attachment = attachment_add(actor=world.fiona, demand=demand, upload=upload("申请书.pdf", PDF))
    body = login(world.fiona).get(reverse("demands:detail", args=[demand.pk])).content.decode()
    assert reverse("demands:attachment", args=[demand.pk, attachment.pk]) in body and "申请书.pdf" in body
