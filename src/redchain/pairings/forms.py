"""Filter forms (their query strings are shared with the Excel exports) and the forms of each write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from redchain.orgs.models import Enterprise, PartyOrg
from redchain.pairings import selectors
from redchain.pairings.models import Pairing, PairingProject, PairingPromise


def _blank(label):
    return [("", label)]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _wan(label, *, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, min_value=Decimal("0"), max_digits=12, decimal_places=2
    )


class _Filters(forms.Form):
    def cleaned_filters(self) -> dict:
        """Valid filters for the selector; an invalid field is ignored rather than emptying the page."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) for name in self.fields if data.get(name) not in (None, "")}


class PairingFilterForm(_Filters):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    department_id = forms.TypedChoiceField(label=_("Agency"), required=False, coerce=int, empty_value=None)
    partner_kind = forms.ChoiceField(
        label=_("Partner kind"),
        required=False,
        choices=_blank(_("All partner kinds")) + Pairing.PartnerKind.choices,
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(_("All statuses")) + Pairing.Status.choices
    )
    mechanism = forms.ChoiceField(
        label=_("Mechanism"), required=False, choices=_blank(_("All mechanisms")) + Pairing.Mechanism.choices
    )

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        departments = selectors.agency_departments(zone_id=zone.pk).values_list("id", "name")
        self.fields["department_id"].choices = _blank(_("All agencies")) + list(departments)  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs.update(placeholder=_("Name or goals"), type="search")


class ProjectFilterForm(_Filters):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    department_id = forms.TypedChoiceField(label=_("Agency"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(_("All statuses")) + PairingProject.Status.choices
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_blank(_("All kinds")) + PairingProject.Kind.choices
    )

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        departments = selectors.agency_departments(zone_id=zone.pk).values_list("id", "name")
        self.fields["department_id"].choices = _blank(_("All agencies")) + list(departments)  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs.update(placeholder=_("Project title"), type="search")


class PairingForm(forms.Form):
    """A new pairing. Which partner field applies depends on the partner kind; the service says which."""

    agency_org = forms.ModelChoiceField(
        label=_("Agency party organisation"), queryset=PartyOrg.objects.none()
    )
    partner_kind = forms.ChoiceField(label=_("Partner kind"), choices=Pairing.PartnerKind.choices)
    partner_name = forms.CharField(
        label=_("Village or community"),
        required=False,
        max_length=100,
        help_text=_("For a village or community partner."),
    )
    partner_enterprise = forms.ModelChoiceField(
        label=_("Partner enterprise"),
        queryset=Enterprise.objects.none(),
        required=False,
        help_text=_("For an enterprise partner."),
    )
    partner_party_org = forms.ModelChoiceField(
        label=_("Partner party organisation"),
        queryset=PartyOrg.objects.none(),
        required=False,
        help_text=_("For a branch partner, or the party organisation of the village or community."),
    )
    mechanism = forms.ChoiceField(label=_("Mechanism"), choices=Pairing.Mechanism.choices)
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to name it after the two parties."),
    )
    goals = forms.CharField(label=_("Goals"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    started_on = forms.DateField(label=_("Started on"), widget=DateInput())

    def __init__(self, *args, user, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency_org"].queryset = selectors.agency_orgs(user=user, zone_id=zone.pk)  # type: ignore[attr-defined]
        self.fields["partner_enterprise"].queryset = (  # type: ignore[attr-defined]
            Enterprise.objects.visible_to(user).filter(zone=zone).order_by("sort_name", "id")
        )
        self.fields["partner_party_org"].queryset = selectors.partner_orgs(zone_id=zone.pk)  # type: ignore[attr-defined]


class PairingEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    mechanism = forms.ChoiceField(label=_("Mechanism"), choices=Pairing.Mechanism.choices)
    goals = forms.CharField(label=_("Goals"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    started_on = forms.DateField(label=_("Started on"), widget=DateInput())


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=DateInput())
    note = forms.CharField(
        label=_("Closing summary"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PromiseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PairingPromise.Kind.choices)
    description = forms.CharField(label=_("What was promised"), max_length=300)
    amount_wan = _wan(_("Amount (10k yuan)"))
    promised_on = forms.DateField(label=_("Promised on"), widget=DateInput())
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())


class DeliverForm(forms.Form):
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DateInput())
    amount_wan = _wan(_("Amount delivered (10k yuan)"))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    complete = forms.BooleanField(
        label=_("Delivered in full"),
        required=False,
        initial=True,
        help_text=_("Funds count as delivered in full once the whole amount has arrived."),
    )


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=PairingProject.Kind.choices)
    started_on = forms.DateField(label=_("Planned start"), required=False, widget=DateInput())
    investment_wan = _wan(_("Investment (10k yuan)"))
    beneficiaries = forms.IntegerField(label=_("Beneficiaries"), required=False, min_value=0)
    beneficiary_unit = forms.ChoiceField(
        label=_("Counted in"), choices=PairingProject.BeneficiaryUnit.choices
    )

    def arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["investment_wan"] = data["investment_wan"] or Decimal("0")
        data["beneficiaries"] = data["beneficiaries"] or 0
        return data


class ProjectStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=PairingProject.Status.choices)
    on = forms.DateField(
        label=_("On"),
        required=False,
        widget=DateInput(),
        help_text=_("The day it started or was completed."),
    )
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    investment_wan = _wan(_("Investment (10k yuan)"))
    beneficiaries = forms.IntegerField(label=_("Beneficiaries"), required=False, min_value=0)

    def __init__(self, *args, project: PairingProject, **kwargs):
        from redchain.pairings.services import PROJECT_MOVES

        super().__init__(*args, **kwargs)
        labels = dict(PairingProject.Status.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in PROJECT_MOVES[project.status]]  # type: ignore[attr-defined]

    def arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["outcome"] = data["outcome"] or None
        return data
