"""Forms of the exchange pages: list filters (shared with the Excel exports) and the writing forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from redchain.accounts.scope import scope_for
from redchain.exchange.models import Kind, ListingStatus, Match, Project
from redchain.orgs import selectors as org_selectors
from redchain.orgs.models import AllianceMember


def _blank(label):
    return [("", label)]


class _Filters(forms.Form):
    def cleaned_filters(self) -> dict:
        """Valid filters for the selector; an invalid field is ignored rather than emptying the page."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {self.targets.get(name, name): value for name, value in data.items() if value}  # type: ignore[attr-defined]


def _alliance_choices(zone):
    return _blank(_("All alliances")) + list(
        zone.alliances.order_by("chain__position", "id").values_list("id", "name")
    )


class ListingFilterForm(_Filters):
    targets = {"alliance": "alliance_id", "chain": "chain_id"}
    alliance = forms.TypedChoiceField(label=_("Alliance"), required=False, coerce=int, empty_value=None)
    chain = forms.TypedChoiceField(label=_("Industry chain"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_blank(_("All kinds")) + Kind.choices)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(_("All statuses")) + ListingStatus.choices
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alliance"].choices = _alliance_choices(zone)  # type: ignore[attr-defined]
        chains = zone.chains.order_by("position", "id").values_list("id", "name")
        self.fields["chain"].choices = _blank(_("All chains")) + list(chains)  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs.update(type="search", placeholder=_("Title or description"))


class MatchFilterForm(_Filters):
    targets = {"alliance": "alliance_id"}
    alliance = forms.TypedChoiceField(label=_("Alliance"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(_("All statuses")) + Match.Status.choices
    )

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alliance"].choices = _alliance_choices(zone)  # type: ignore[attr-defined]


class ProjectFilterForm(_Filters):
    targets = {"alliance": "alliance_id"}
    alliance = forms.TypedChoiceField(label=_("Alliance"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(_("All statuses")) + Project.Status.choices
    )

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alliance"].choices = _alliance_choices(zone)  # type: ignore[attr-defined]


class _DateInput(forms.DateInput):
    input_type = "date"


class ListingForm(forms.Form):
    """Post or edit a need or resource. ``owners`` are the owners this user may post for."""

    owner = forms.ChoiceField(label=_("Posted by"))
    alliance = forms.TypedChoiceField(
        label=_("Alliance"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Leave empty to post to the whole industry chain."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=150)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    amount_wan = forms.DecimalField(
        label=_("Amount (10k yuan)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    quantity = forms.CharField(label=_("Quantity"), required=False, max_length=50)
    valid_until = forms.DateField(label=_("Valid until"), widget=_DateInput)
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=50)
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=30)

    def __init__(self, *args, owners: list[tuple[str, str]], alliances, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owners  # type: ignore[attr-defined]
        self.fields["alliance"].choices = _blank(_("Whole industry chain")) + [  # type: ignore[attr-defined]
            (a.pk, a.name) for a in alliances
        ]
        if editing:
            del self.fields["owner"], self.fields["alliance"]


def owner_choices(user, zone) -> list[tuple[str, str]]:
    """The owners this user may post for: "e:<id>", "d:<id>" or "i:<alliance id>:<name>"."""
    scope = scope_for(user)
    choices: list[tuple[str, str]] = []
    if scope.administers(zone.pk) or scope.alliance_ids:
        members = AllianceMember.objects.filter(alliance__zone=zone).select_related(
            "enterprise", "department", "alliance"
        )
        if not scope.administers(zone.pk):
            members = members.filter(alliance_id__in=scope.alliance_ids)
        for m in members.exclude(kind=AllianceMember.Kind.PARTY_ORG).order_by("alliance_id", "kind", "id"):
            if m.enterprise_id:
                choices.append((f"e:{m.enterprise_id}", m.display_name))
            elif m.department_id:
                choices.append((f"d:{m.department_id}", m.display_name))
            else:
                choices.append(
                    (f"i:{m.alliance_id}:{m.external_name}", f"{m.external_name}（{m.alliance.name}）")
                )
    firms = org_selectors.enterprise_list(user=user, zone_id=zone.pk).filter(id__in=scope.enterprise_ids)
    choices += [(f"e:{firm.pk}", firm.name) for firm in firms]
    departments = org_selectors.department_list(user=user, zone_id=zone.pk).filter(
        id__in=scope.department_ids
    )
    choices += [(f"d:{d.pk}", d.name) for d in departments]
    return list(dict.fromkeys(choices))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)


class CloseMatchForm(forms.Form):
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    saved_wan = forms.DecimalField(
        label=_("Saved (10k yuan)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    deal_value_wan = forms.DecimalField(
        label=_("Deal value (10k yuan)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )


class ProposeForm(forms.Form):
    resource = forms.TypedChoiceField(label=_("Resource"), coerce=int)

    def __init__(self, *args, resources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].choices = [(r.pk, f"{r.title}（{r.owner_name}）") for r in resources]  # type: ignore[attr-defined]


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    units = forms.TypedMultipleChoiceField(label=_("Member units involved"), required=False, coerce=int)
    status = forms.ChoiceField(label=_("Status"), choices=Project.Status.choices)
    investment_wan = forms.DecimalField(
        label=_("Investment (10k yuan)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    started_on = forms.DateField(label=_("Started on"), required=False, widget=_DateInput)
    finished_on = forms.DateField(label=_("Finished on"), required=False, widget=_DateInput)
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [(m.pk, m.display_name) for m in members]  # type: ignore[attr-defined]


class FeedbackForm(forms.Form):
    alliance = forms.TypedChoiceField(label=_("Alliance"), coerce=int)
    enterprise = forms.TypedChoiceField(label=_("Enterprise"), required=False, coerce=int, empty_value=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000)
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=50)
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=30)

    def __init__(self, *args, alliances, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alliance"].choices = [(a.pk, a.name) for a in alliances]  # type: ignore[attr-defined]
        self.fields["enterprise"].choices = _blank(_("No enterprise")) + [(e.pk, e.name) for e in enterprises]  # type: ignore[attr-defined]
