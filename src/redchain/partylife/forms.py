"""Forms of the party-life pages: list filters, the activity form with its roll call, brands, ratings and
cadence rules. Organisation choices come from the scoped selectors, so a form never offers what the user
cannot see or record for."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from redchain.orgs.models import PartyMember, PartyOrg
from redchain.partylife import compliance
from redchain.partylife.models import (
    EVERY_MONTHS_CHOICES,
    RULE_ORG_KINDS,
    ActivityKind,
    Attendance,
    BranchBrand,
    BranchRating,
)
from redchain.partylife.permissions import writable_orgs

BRANCH_KINDS = (PartyOrg.Kind.BRANCH, PartyOrg.Kind.GENERAL_BRANCH)
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _blank(label) -> list:
    return [("", label)]


def _org_choices(orgs, empty_label) -> list:
    return _blank(empty_label) + [(org.pk, org.name) for org in orgs.order_by("sort_name", "id")]


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


class MonthField(forms.CharField):
    """A month as "YYYY-MM" (the browser's month input), cleaned to the first day of the month."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2025-06"})

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        month = compliance.parse_month(text)
        if month is None:
            raise ValidationError(_("Enter a month as YYYY-MM."), code="invalid")
        return month


class _Filters(forms.Form):
    def cleaned_filters(self) -> dict:
        """Valid filters for the selector; an invalid field is ignored rather than emptying the page."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data[name] for name in self.fields if data.get(name) not in (None, "")}


class ActivityFilterForm(_Filters):
    org = forms.TypedChoiceField(label=_("Party organisation"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_blank(_("All kinds")) + ActivityKind.choices
    )
    month = MonthField(label=_("Month"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = _org_choices(orgs, _("All organisations"))  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs.update(placeholder=_("Title or topic"), type="search")

    def cleaned_filters(self) -> dict:
        filters = super().cleaned_filters()
        if "org" in filters:
            filters["org_id"] = filters.pop("org")
        return filters


class ComplianceFilterForm(_Filters):
    month = MonthField(label=_("Month"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_blank(_("All kinds")) + ActivityKind.choices
    )


class OrgPickForm(forms.Form):
    """The first step of recording an activity: whose activity it is (the roll call depends on it)."""

    org = forms.TypedChoiceField(label=_("Party organisation"), coerce=int)

    def __init__(self, *args, user, zone, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = writable_orgs(user, zone.pk).exclude(kind=PartyOrg.Kind.WORKING_COMMITTEE)
        self.fields["org"].choices = _org_choices(orgs, _("Choose an organisation"))  # type: ignore[attr-defined]


class ActivityForm(forms.Form):
    """An activity and its roll call: one present/absent/excused choice per member of the organisation."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Held on"), widget=DATE_INPUT)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    host = forms.CharField(label=_("Host or lecturer"), max_length=50, required=False)
    content = forms.CharField(
        label=_("Content and minutes"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, members: list[PartyMember], statuses: dict[int, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for member in members:
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=member.name,
                choices=Attendance.Status.choices,
                initial=(statuses or {}).get(member.pk, Attendance.Status.PRESENT),
                widget=forms.RadioSelect,
            )

    def roll_call_fields(self):
        return [(member, self[f"member_{member.pk}"]) for member in self.members]

    def activity_fields(self):
        return [self[name] for name in ("kind", "title", "held_on", "place", "topic", "host", "content")]

    def values(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("kind", "title", "held_on", "place", "topic", "host", "content")
        }

    def attendance(self) -> dict[int, str]:
        return {member.pk: self.cleaned_data[f"member_{member.pk}"] for member in self.members}


class CadenceRuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Activity kind"), choices=ActivityKind.choices)
    every_months = forms.TypedChoiceField(label=_("Frequency"), choices=EVERY_MONTHS_CHOICES, coerce=int)
    org_kinds = forms.MultipleChoiceField(
        label=_("Applies to"),
        choices=[(kind, PartyOrg.Kind(kind).label) for kind in RULE_ORG_KINDS],
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class BrandForm(forms.Form):
    org = forms.TypedChoiceField(label=_("Branch"), coerce=int)
    name = forms.CharField(label=_("Brand name"), max_length=100)
    slogan = forms.CharField(label=_("Slogan"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Brand description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    established_year = forms.IntegerField(label=_("Established in"), min_value=1949, max_value=2100)

    def __init__(self, *args, user, zone, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["org"]
        else:
            orgs = writable_orgs(user, zone.pk).filter(kind__in=BRANCH_KINDS)
            self.fields["org"].choices = _org_choices(orgs, _("Choose a branch"))  # type: ignore[attr-defined]

    def values(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in ("name", "slogan", "description", "established_year")
        }


class BrandNameForm(forms.Form):
    named_on = forms.DateField(label=_("Named on"), widget=DATE_INPUT)


class BrandFilterForm(_Filters):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(_("All statuses")) + BranchBrand.Status.choices
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class RatingForm(forms.Form):
    org = forms.TypedChoiceField(label=_("Branch"), coerce=int)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    score = forms.DecimalField(label=_("Score"), min_value=0, max_value=100, max_digits=4, decimal_places=1)
    rated_on = forms.DateField(label=_("Rated on"), widget=DATE_INPUT)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, zone, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["org"]
            del self.fields["year"]
        else:
            orgs = writable_orgs(user, zone.pk).filter(kind__in=BRANCH_KINDS)
            self.fields["org"].choices = _org_choices(orgs, _("Choose a branch"))  # type: ignore[attr-defined]
        self.fields["score"].help_text = _(
            "90 and above: five stars; 80: four; 70: three; 60: two; below: one."
        )


class RatingFilterForm(_Filters):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    level = forms.TypedChoiceField(
        label=_("Level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=_blank(_("All levels")) + BranchRating.Level.choices,
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _blank(_("All years")) + [(y, str(y)) for y in years]  # type: ignore[attr-defined]
