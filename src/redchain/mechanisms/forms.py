"""Forms of the alliance-work pages: list filters (which feed the selectors and the exports alike) and one
form per write. Forms only parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from redchain.mechanisms.models import Action, ActionItem, Meeting, Place, today
from redchain.mechanisms.services import Presence


class DateInput(forms.DateInput):
    input_type = "date"


def _blank(label) -> list[tuple[str, Any]]:
    return [("", label)]


def _alliance_field(alliances, *, required: bool) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Alliance"),
        queryset=alliances,
        required=required,
        empty_label=_("All alliances") if not required else None,
    )


# ---------------------------------------------------------------------------------------------- filters


class _Filters(forms.Form):
    """Valid filters as selector keywords; an invalid field is ignored rather than emptying the page."""

    def cleaned_filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        data = dict(getattr(self, "cleaned_data", {}))
        if "alliance" in data:
            alliance = data.pop("alliance")
            data["alliance_id"] = alliance.pk if alliance else None
        if "overdue" in data:
            data["overdue"] = {"yes": True, "no": False}.get(data["overdue"] or "")
        return data


OVERDUE_CHOICES = [("", _("Any")), ("yes", _("Overdue")), ("no", _("Not overdue"))]


class MeetingFilterForm(_Filters):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_blank(_("All kinds")) + Meeting.Kind.choices
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(_("All statuses")) + Meeting.Status.choices
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    overdue = forms.ChoiceField(label=_("Overdue"), required=False, choices=OVERDUE_CHOICES)

    def __init__(self, *args, alliances, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"alliance": _alliance_field(alliances, required=False), **self.fields}


class ActionItemFilterForm(_Filters):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(_("All statuses")) + ActionItem.Status.choices
    )
    overdue = forms.ChoiceField(label=_("Overdue"), required=False, choices=OVERDUE_CHOICES)

    def __init__(self, *args, alliances, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"alliance": _alliance_field(alliances, required=False), **self.fields}


class PactFilterForm(_Filters):
    def __init__(self, *args, alliances, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alliance"] = _alliance_field(alliances, required=False)


class ActivityFilterForm(_Filters):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=_blank(_("All six actions")) + Action.choices
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, alliances, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"alliance": _alliance_field(alliances, required=False), **self.fields}


class PlaceFilterForm(_Filters):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_blank(_("All kinds")) + Place.Kind.choices
    )

    def __init__(self, *args, alliances, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alliance"] = _alliance_field(alliances, required=False)


# ---------------------------------------------------------------------------------------------- writes


def _place_field(places) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Place"), queryset=places, required=False, empty_label=_("Other place")
    )


class MeetingPlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    planned_on = forms.DateField(label=_("Planned date"), widget=DateInput)
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        required=False,
        help_text=_("Leave empty for a bimonthly meeting to use the standard title."),
    )

    def __init__(self, *args, alliances, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"alliance": _alliance_field(alliances, required=True), **self.fields}
        self.fields["place"] = _place_field(places)

    def clean(self):
        data = super().clean() or {}
        if data.get("kind") == Meeting.Kind.CONSULTATION and not data.get("title"):
            self.add_error("title", _("Give the consultation meeting a title."))
        return data


class ScheduleYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, alliances, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"alliance": _alliance_field(alliances, required=True), **self.fields}
        self.fields["year"].initial = today().year


class MeetingHeldForm(forms.Form):
    """The meeting's day, place and minutes, then one present/representative pair per member unit."""

    held_on = forms.DateField(label=_("Held on"), widget=DateInput)
    place_note = forms.CharField(label=_("Place (other)"), max_length=150, required=False)
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, members, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        self.fields["place"] = _place_field(places)
        for member in self.members:
            # The table shows the unit once per row; each input still needs its own name for a screen reader.
            unit = {"unit": member.display_name}
            self.fields[f"present_{member.pk}"] = forms.BooleanField(
                label=member.display_name,
                required=False,
                widget=forms.CheckboxInput(attrs={"aria-label": _("%(unit)s was present") % unit}),
            )
            self.fields[f"rep_{member.pk}"] = forms.CharField(
                label=_("Representative"),
                max_length=50,
                required=False,
                widget=forms.TextInput(attrs={"aria-label": _("Representative of %(unit)s") % unit}),
            )

    def member_rows(self):
        return [(m, self[f"present_{m.pk}"], self[f"rep_{m.pk}"]) for m in self.members]

    def base_fields_bound(self):
        return [self["held_on"], self["place"], self["place_note"], self["minutes"]]

    def presences(self) -> list[Presence]:
        data = self.cleaned_data
        return [
            Presence(member=m, present=data[f"present_{m.pk}"], representative=data[f"rep_{m.pk}"])
            for m in self.members
        ]


class MissedForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ActionItemForm(forms.Form):
    decision = forms.CharField(
        label=pgettext_lazy("meeting", "Decision"), widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(label=_("Due date"), widget=DateInput)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = forms.ModelChoiceField(label=_("Responsible unit"), queryset=members)


class CompleteForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DateInput)
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 3}))


class PactForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput)
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput)
    text = forms.CharField(label=_("Text of the pact"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, alliances, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"alliance": _alliance_field(alliances, required=True), **self.fields}


class CommitmentForm(forms.Form):
    content = forms.CharField(label=_("Commitment"), widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label=_("Due date"), widget=DateInput)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "member": forms.ModelChoiceField(label=_("Member unit"), queryset=members),
            **self.fields,
        }


class FulfilForm(forms.Form):
    fulfilled = forms.TypedChoiceField(
        label=_("Outcome"),
        choices=[("yes", _("fulfilled")), ("no", _("not fulfilled"))],
        coerce=lambda value: value == "yes",
    )
    assessed_on = forms.DateField(label=_("On"), widget=DateInput)
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 3}))


class ActivityForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=Action.choices)
    title = forms.CharField(label=_("Title"), max_length=150)
    held_on = forms.DateField(label=_("Date"), widget=DateInput)
    place_note = forms.CharField(label=_("Place (other)"), max_length=150, required=False)
    participant_count = forms.IntegerField(label=_("Participants"), min_value=1, max_value=100000)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, alliances, places, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {"alliance": _alliance_field(alliances, required=True), **self.fields}
        fields["place"] = _place_field(places)
        self.fields = fields
        self.order_fields(["alliance", "action", "title", "held_on", "place", "place_note"])


class PlaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=Place.Kind.choices)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)

    def __init__(self, *args, alliances, enterprises, zone_wide: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alliance"] = forms.ModelChoiceField(
            label=_("Alliance"),
            queryset=alliances,
            required=not zone_wide,
            empty_label=_("The whole zone") if zone_wide else None,
        )
        self.fields["host_enterprise"] = forms.ModelChoiceField(
            label=_("Host enterprise"), queryset=enterprises, required=False, empty_label=_("None")
        )
