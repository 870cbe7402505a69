"""Forms of the visit pages: the list filters (shared with the Excel export), logging and editing a visit,
and the small forms of a finding. They validate input; the services validate the rules and write."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from redchain.orgs.models import Department, Enterprise
from redchain.visits import selectors
from redchain.visits.models import Visit, VisitFinding

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _blank(label):
    return [("", label)]


class VisitFilterForm(forms.Form):
    month = forms.CharField(
        label=_("Month"), required=False, widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    )
    department = forms.TypedChoiceField(label=_("Department"), required=False, coerce=int, empty_value=None)
    enterprise = forms.TypedChoiceField(label=_("Enterprise"), required=False, coerce=int, empty_value=None)
    visitor = forms.TypedChoiceField(label=_("Visitor"), required=False, coerce=int, empty_value=None)
    purpose = forms.ChoiceField(
        label=_("Purpose"), required=False, choices=_blank(_("All purposes")) + Visit.Purpose.choices
    )
    open_findings = forms.ChoiceField(
        label=_("Findings"),
        required=False,
        choices=[("", _("Any")), ("yes", _("With open findings")), ("no", _("No open findings"))],
    )

    def __init__(self, *args, user, zone, **kwargs):
        super().__init__(*args, **kwargs)
        choices = {
            "department": selectors.filter_departments(user=user, zone_id=zone.pk),
            "enterprise": selectors.filter_enterprises(user=user, zone_id=zone.pk),
            "visitor": selectors.filter_visitors(user=user, zone_id=zone.pk),
        }
        empty = {
            "department": _("All departments"),
            "enterprise": _("All enterprises"),
            "visitor": _("Everyone"),
        }
        for name, rows in choices.items():
            self.fields[name].choices = _blank(empty[name]) + [(row.pk, str(row)) for row in rows]  # type: ignore[attr-defined]

    def clean_month(self) -> dt.date | None:
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return None
        match = MONTH.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(_("Enter a month as YYYY-MM."))
        return dt.date(int(match.group(1)), int(match.group(2)), 1)

    def cleaned_filters(self) -> dict:
        """Valid filters for the selector; an invalid field is ignored rather than emptying the page."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "month": data.get("month"),
            "department_id": data.get("department"),
            "enterprise_id": data.get("enterprise"),
            "visitor_id": data.get("visitor"),
            "purpose": data.get("purpose", ""),
            "open_findings": {"yes": True, "no": False}.get(data.get("open_findings") or ""),
        }


class VisitForm(forms.Form):
    """Log or correct a visit. Built for a phone: native date and time pickers, big radio targets."""

    visited_on = forms.DateField(
        label=_("Visited on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"), choices=Visit.Purpose.choices, widget=forms.RadioSelect, initial="routine"
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the enterprise's address."),
    )
    people_met = forms.CharField(label=_("People met"), max_length=200, required=False)
    companions = forms.CharField(
        label=_("Companions"),
        max_length=200,
        required=False,
        help_text=_("Who went along, e.g. colleagues of other departments."),
    )
    summary = forms.CharField(
        label=_("What was found"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the enterprise is doing and what troubles it."),
    )
    internal_note = forms.CharField(
        label=_("Internal note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Not shown to the enterprise."),
    )

    def __init__(self, *args, user, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = selectors.department_choices(user=user, zone_id=zone.pk)  # type: ignore[attr-defined]
        self.fields["visited_on"].initial = timezone.localdate()

    def visit_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("enterprise", None)
        if data.get("department") is None:
            data.pop("department", None)
        return data


class VisitCreateForm(VisitForm):
    """A new visit also names the enterprise, found by name or pinyin among those the user may visit."""

    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"),
        queryset=Enterprise.objects.none(),
        error_messages={"required": _("Choose the enterprise you visited.")},
    )

    field_order = ["enterprise"]

    def __init__(self, *args, user, zone, **kwargs):
        super().__init__(*args, user=user, zone=zone, **kwargs)
        self.fields["enterprise"].queryset = selectors.loggable_enterprises(user=user, zone_id=zone.pk)  # type: ignore[attr-defined]

    def chosen_enterprise(self):
        """The enterprise picked so far (valid or not yet validated), to show it selected again."""
        value = self.data.get("enterprise") if self.is_bound else self.initial.get("enterprise")
        if not value:
            return None
        try:
            return self.fields["enterprise"].queryset.filter(pk=int(value)).first()  # type: ignore[attr-defined]
        except (TypeError, ValueError):
            return None


class VisitEditForm(VisitForm):
    """The enterprise of a logged visit stays as it is: findings and demands were raised against it."""

    def __init__(self, *args, user, zone, **kwargs):
        super().__init__(*args, user=user, zone=zone, **kwargs)
        del self.fields["department"]


class FindingForm(forms.Form):
    title = forms.CharField(label=_("Problem"), max_length=200)
    detail = forms.CharField(
        label=_("Details of the problem"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=VisitFinding.Urgency.choices,
        initial=VisitFinding.Urgency.NORMAL,
        widget=forms.RadioSelect,
    )


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=_("How it was resolved"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
