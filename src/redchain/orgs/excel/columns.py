"""The columns of each sheet: titles, help, parsing kind and allowed values.

A column's ``key`` is the model field it fills (or a reference resolved by the importer). Titles are
translated; an uploaded header is matched against the title in Chinese and in English and against the key,
so a template downloaded in either language imports. Choice cells accept the code, the label in either
language and the short Chinese names people type (``ALIASES``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from redchain.orgs.models import Enterprise, PartyMember, PartyOrg, Qualification, Segment

LANGUAGES = ("zh-hans", "en")


class Parse(enum.Enum):
    """How a cell is read."""

    TEXT = "text"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    DECIMAL = "decimal"
    INTEGER = "integer"
    DATE = "date"
    USCC = "uscc"
    PHONE = "phone"
    ID_NUMBER = "id_number"


@dataclass(frozen=True)
class Option:
    """One allowed value of a choice column."""

    code: str
    label: Any  # a lazy translated string
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    """One column of a sheet."""

    key: str
    title: Any  # a lazy translated string
    help: Any
    parse: Parse = Parse.TEXT
    required: bool = False
    options: tuple[Option, ...] = ()
    default: Any = None  # the value of a blank cell, when the model needs one
    max_length: int | None = None
    digits: tuple[int, int] | None = None  # (max_digits, decimal_places) of a decimal
    width: int = 16

    @property
    def is_text(self) -> bool:
        """Cells Excel must keep as text, or it mangles long digit strings."""
        return self.parse in (Parse.TEXT, Parse.USCC, Parse.PHONE, Parse.ID_NUMBER)


def normalise(value: str) -> str:
    """Compare titles and choice values without case, spaces or a required-marker asterisk."""
    return "".join(str(value).split()).strip("*＊").casefold()


def in_languages(text: Promise | str) -> set[str]:
    """A lazy string rendered in every supported language, for matching what people upload."""
    rendered = set()
    for language in LANGUAGES:
        with translation.override(language):
            rendered.add(str(text))
    return rendered


def title_candidates(column: Column) -> set[str]:
    return {normalise(text) for text in in_languages(column.title) | {column.key}}


def label_of(column: Column, code: str) -> str:
    """The display label of a stored code, in the active language (blank stays blank)."""
    for option in column.options:
        if option.code == code:
            return str(option.label)
    return code


def allowed_labels(column: Column) -> list[str]:
    return [str(option.label) for option in column.options]


# Short Chinese names that people type into spreadsheets, accepted besides the translated labels.
ALIASES: dict[str, tuple[str, ...]] = {
    "above": ("规上", "规上企业", "规模以上"),
    "below": ("规下", "规下企业", "规模以下"),
    "upstream": ("上游",),
    "midstream": ("中游",),
    "downstream": ("下游",),
    "leader": ("链主", "链主企业"),
    "key": ("重点配套企业", "配套企业", "重点企业"),
    "member": ("成员", "成员企业"),
    "specialised": ("专精特新", "专精特新企业"),
    "provincial_giant": ("省级小巨人", "省级专精特新小巨人"),
    "national_giant": ("国家级小巨人", "国家级专精特新小巨人", "小巨人"),
    "high_tech": ("高新技术企业", "高新企业", "高企"),
    "working_committee": ("党工委",),
    "committee": ("党委",),
    "general_branch": ("党总支", "总支"),
    "branch": ("党支部", "支部"),
    "group": ("党小组",),
    "enterprise": ("企业",),
    "department": ("部门", "职能部门"),
    "village": ("村",),
    "community": ("社区",),
    "fortress": ("堡垒支部", "过硬支部"),
    "advanced": ("先进", "先进支部"),
    "standard": ("标准", "一般"),
    "weak": ("软弱涣散",),
    "formal": ("正式党员", "正式"),
    "probationary": ("预备党员", "预备"),
    "flowing": ("流动党员", "流动"),
    "male": ("男",),
    "female": ("女",),
}


def _options(choices: type[models.TextChoices], *, skip: Iterable[str] = ()) -> tuple[Option, ...]:
    return tuple(
        Option(code=code, label=label, aliases=ALIASES.get(code, ()))
        for code, label in zip(choices.values, choices.labels, strict=True)
        if code not in skip
    )


def _length(model: type[models.Model], field: str) -> int | None:
    """The model's own limit, so the sheet refuses what the database would."""
    model_field = model._meta.get_field(field)
    return model_field.max_length if isinstance(model_field, models.Field) else None


def _digits(model: type[models.Model], field: str) -> tuple[int, int]:
    decimal_field = model._meta.get_field(field)
    assert isinstance(decimal_field, models.DecimalField)  # noqa: S101 - only ever called on decimal fields
    return decimal_field.max_digits, decimal_field.decimal_places


def _text(model: type[models.Model], key: str, title, help_text, **extra) -> Column:
    return Column(key=key, title=title, help=help_text, max_length=_length(model, key), **extra)


ENTERPRISE_COLUMNS: tuple[Column, ...] = (
    _text(
        Enterprise,
        "name",
        _("Enterprise name"),
        _("The registered name of the enterprise."),
        required=True,
        width=30,
    ),
    Column(
        key="uscc",
        title=_("Unified social credit code"),
        parse=Parse.USCC,
        required=True,
        width=22,
        help=_("18 characters with a check character. A code already in the zone updates that enterprise."),
    ),
    Column(
        key="scale",
        title=_("Scale"),
        parse=Parse.CHOICE,
        options=_options(Enterprise.Scale),
        default=Enterprise.Scale.BELOW,
        help=_("Above or below designated size; blank means below."),
    ),
    Column(
        key="chain",
        title=_("Industry chain"),
        max_length=100,
        width=18,
        help=_("The name of one of the zone's industry chains."),
    ),
    Column(
        key="segment",
        title=_("Chain segment"),
        parse=Parse.CHOICE,
        options=_options(Segment),
        default="",
        help=_("Where on the chain the enterprise sits; needs an industry chain."),
    ),
    Column(
        key="chain_role",
        title=_("Chain role"),
        parse=Parse.CHOICE,
        default="",
        options=_options(Enterprise.ChainRole),
        help=_("The enterprise's role on the chain; needs an industry chain."),
    ),
    Column(
        key="qualifications",
        title=_("Qualifications"),
        parse=Parse.MULTI_CHOICE,
        width=24,
        options=_options(Qualification),
        default=(),
        help=_("Any number of qualifications, separated by 、 or a comma."),
    ),
    _text(Enterprise, "industry", _("Industry"), _("The industry the enterprise works in.")),
    Column(
        key="land_area_mu",
        title=_("Land area (mu)"),
        parse=Parse.DECIMAL,
        digits=_digits(Enterprise, "land_area_mu"),
        help=_("A number of mu, at most two decimal places."),
    ),
    Column(key="employees", title=_("Employees"), parse=Parse.INTEGER, help=_("A whole number of people.")),
    Column(
        key="registered_capital_wan",
        title=_("Registered capital (10k yuan)"),
        parse=Parse.DECIMAL,
        digits=_digits(Enterprise, "registered_capital_wan"),
        help=_("In units of 10,000 yuan, at most two decimal places."),
    ),
    Column(
        key="established_on",
        title=_("Established on"),
        parse=Parse.DATE,
        help=_("A date such as 2024-03-15."),
    ),
    _text(
        Enterprise, "legal_representative", _("Legal representative"), _("The legal representative's name.")
    ),
    _text(Enterprise, "address", _("Address"), _("The enterprise's address in the zone."), width=30),
    _text(Enterprise, "contact_name", _("Contact person"), _("Who the zone contacts at the enterprise.")),
    Column(
        key="contact_phone",
        title=_("Contact phone"),
        parse=Parse.PHONE,
        help=_("7 to 12 digits; dashes and spaces are allowed."),
    ),
)

PARTY_ORG_COLUMNS: tuple[Column, ...] = (
    _text(
        PartyOrg,
        "name",
        _("Organisation name"),
        _("The full name of the party organisation."),
        required=True,
        width=28,
    ),
    Column(
        key="kind",
        title=_("Organisation type"),
        parse=Parse.CHOICE,
        required=True,
        options=_options(PartyOrg.Kind),
        help=_("The level of the organisation in the party tree."),
    ),
    Column(
        key="parent",
        title=_("Parent organisation"),
        width=28,
        help=_(
            "The name of the parent, already in the zone or on an earlier row of this file. "
            "If two organisations share the name, write the path, e.g. 甲党委/第一党支部. "
            "Leave blank only for the party working committee."
        ),
    ),
    Column(
        key="owner_kind",
        title=_("Owner type"),
        parse=Parse.CHOICE,
        default="",
        options=_options(PartyOrg.OwnerKind, skip=[""]),
        help=_(
            "What the organisation belongs to; can be left blank when an owner enterprise or "
            "department is given."
        ),
    ),
    Column(
        key="owner_enterprise",
        title=_("Owner enterprise (credit code)"),
        parse=Parse.USCC,
        width=22,
        help=_("The unified social credit code of an enterprise in the zone."),
    ),
    Column(
        key="owner_department",
        title=_("Owner department"),
        max_length=100,
        help=_("The name of a department of the zone."),
    ),
    _text(
        PartyOrg, "owner_place", _("Village or community"), _("For organisations of a village or community.")
    ),
    _text(PartyOrg, "secretary", _("Secretary"), _("The secretary's name.")),
    _text(PartyOrg, "brand_name", _("Branch brand"), _("The branch's brand (one branch, one brand).")),
    Column(
        key="brand_description",
        title=_("Brand description"),
        width=30,
        help=_("A few sentences about the brand."),
    ),
    Column(
        key="rating",
        title=_("Rating"),
        parse=Parse.CHOICE,
        default="",
        options=_options(PartyOrg.Rating, skip=[""]),
        help=_("The latest rating; blank means not rated."),
    ),
    Column(key="founded_on", title=_("Founded on"), parse=Parse.DATE, help=_("A date such as 2024-03-15.")),
)

PARTY_MEMBER_COLUMNS: tuple[Column, ...] = (
    _text(PartyMember, "name", _("Full name"), _("The member's name."), required=True),
    Column(
        key="org",
        title=_("Party organisation"),
        required=True,
        width=28,
        help=_("The name of a party organisation already in the zone (or its path, e.g. 甲党委/第一党支部)."),
    ),
    Column(
        key="gender",
        title=_("Gender"),
        parse=Parse.CHOICE,
        options=_options(PartyMember.Gender),
        default="",
        help=_("Male or female."),
    ),
    Column(
        key="status",
        title=_("Member status"),
        parse=Parse.CHOICE,
        options=_options(PartyMember.Status),
        default=PartyMember.Status.FORMAL,
        help=_("Formal, probationary or flowing; blank means formal."),
    ),
    Column(
        key="joined_on",
        title=_("Joined the party on"),
        parse=Parse.DATE,
        help=_("A date such as 2024-03-15."),
    ),
    _text(PartyMember, "position", _("Party post"), _("E.g. branch secretary or committee member.")),
    Column(
        key="phone",
        title=_("Mobile phone"),
        parse=Parse.PHONE,
        help=_("7 to 12 digits; dashes and spaces are allowed."),
    ),
    Column(
        key="id_number",
        title=_("ID number"),
        parse=Parse.ID_NUMBER,
        width=22,
        help=_("The 18-character resident ID number; unique in the zone."),
    ),
    Column(
        key="employer",
        title=_("Employer (credit code)"),
        parse=Parse.USCC,
        width=22,
        help=_("The unified social credit code of the member's enterprise in the zone."),
    ),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    "enterprises": ENTERPRISE_COLUMNS,
    "party-orgs": PARTY_ORG_COLUMNS,
    "party-members": PARTY_MEMBER_COLUMNS,
}

# Own titles rather than the models' plural names, which the catalogue words as counters for the dashboard.
KIND_LABELS = {
    "enterprises": _("Enterprises"),
    "party-orgs": _("Party organisations"),
    "party-members": _("Party members"),
}
IMPORT_TITLES = {
    "enterprises": _("Import enterprises"),
    "party-orgs": _("Import party organisations"),
    "party-members": _("Import party members"),
}


def kind_label(kind: str) -> str:
    """What a kind of sheet lists, in the active language."""
    return str(KIND_LABELS[kind])


def column_by_key(kind: str, key: str) -> Column | None:
    return next((column for column in COLUMNS[kind] if column.key == key), None)


def column_named(kind: str, key: str) -> Column:
    """The column ``key`` of ``kind``; a KeyError here is a programming error, not a user's."""
    return {column.key: column for column in COLUMNS[kind]}[key]
