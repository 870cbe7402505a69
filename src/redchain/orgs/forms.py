"""Filter forms for the list pages; their query strings are shared with the Excel export."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from redchain.orgs import selectors
from redchain.orgs.models import Enterprise, PartyMember, Qualification, Segment


def _blank(label):
    return [("", label)]


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    chain = forms.TypedChoiceField(label=_("Industry chain"), required=False, coerce=int, empty_value=None)
    segment = forms.ChoiceField(
        label=_("Chain segment"), required=False, choices=_blank(_("All segments")) + Segment.choices
    )
    scale = forms.ChoiceField(
        label=_("Scale"), required=False, choices=_blank(_("All scales")) + Enterprise.Scale.choices
    )
    qualification = forms.ChoiceField(
        label=_("Qualification"),
        required=False,
        choices=_blank(_("All qualifications")) + Qualification.choices,
    )

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        chains = zone.chains.order_by("position", "id").values_list("id", "name")
        self.fields["chain"].choices = _blank(_("All chains")) + list(chains)  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs.update(
            placeholder=_("Name, pinyin initials or credit code"), type="search"
        )

    def cleaned_filters(self) -> dict:
        """Valid filters for the selector; an invalid field is ignored rather than emptying the page."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q", ""),
            "chain_id": data.get("chain"),
            "segment": data.get("segment", ""),
            "scale": data.get("scale", ""),
            "qualification": data.get("qualification", ""),
        }


class PartyMemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=50)
    org = forms.TypedChoiceField(label=_("Party organisation"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(_("All statuses")) + PartyMember.Status.choices
    )

    def __init__(self, *args, user, zone, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = selectors.party_org_list(user=user, zone_id=zone.pk).values_list("id", "name")
        self.fields["org"].choices = _blank(_("All organisations")) + list(orgs)  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs.update(placeholder=_("Name"), type="search")

    def cleaned_filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"q": data.get("q", ""), "org_id": data.get("org"), "status": data.get("status", "")}
