"""Forms of the task-force pages: list filters (shared with the Excel exports) and one form per write."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from redchain.orgs import selectors as org_selectors
from redchain.orgs.models import PartyMember, PartyOrg
from redchain.taskforces import selectors
from redchain.taskforces.models import Suggestion, TaskForce, TaskForceMember
from redchain.taskforces.permissions import manageable_orgs

DATE = forms.DateInput(attrs={"type": "date"})


def _blank(label):
    return [("", label)]


def _org_choices(user, zone_id: int):
    return list(org_selectors.party_org_list(user=user, zone_id=zone_id).values_list("id", "name"))


def _enterprise_choices(user, zone_id: int):
    firms = org_selectors.enterprise_list(user=user, zone_id=zone_id).prefetch_related(None)
    return list(firms.values_list("id", "name"))


class _FilterForm(forms.Form):
    """Valid filters for the selector; an invalid field is ignored rather than emptying the page."""

    field_map: dict[str, str] = {}

    def cleaned_filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        # Text filters stay strings ("" = any), choice-of-id filters become None when empty.
        return {
            target: data.get(name) or (None if isinstance(self.fields[name], forms.TypedChoiceField) else "")
            for name, target in self.field_map.items()
        }


class TaskForceFilterForm(_FilterForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    org = forms.TypedChoiceField(label=_("Party organisation"), required=False, coerce=int, empty_value=None)
    enterprise = forms.TypedChoiceField(label=_("Enterprise"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_blank(_("All kinds")) + TaskForce.Kind.choices
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(_("All statuses")) + TaskForce.Status.choices
    )
    field_map = {"q": "q", "org": "org_id", "enterprise": "enterprise_id", "kind": "kind", "status": "status"}

    def __init__(self, *args, user, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = _blank(_("All organisations")) + _org_choices(user, zone.pk)  # type: ignore[attr-defined]
        self.fields["enterprise"].choices = _blank(_("All enterprises")) + _enterprise_choices(user, zone.pk)  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs.update(placeholder=_("Name or project"), type="search")


def _year_choices():
    this_year = timezone.localdate().year
    return _blank(_("All years")) + [(year, str(year)) for year in range(this_year, this_year - 6, -1)]


class SuggestionFilterForm(_FilterForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(_("All statuses")) + Suggestion.Status.choices
    )
    org = forms.TypedChoiceField(label=_("Party organisation"), required=False, coerce=int, empty_value=None)
    enterprise = forms.TypedChoiceField(label=_("Enterprise"), required=False, coerce=int, empty_value=None)
    task_force = forms.TypedChoiceField(label=_("Task force"), required=False, coerce=int, empty_value=None)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    field_map = {
        "q": "q",
        "status": "status",
        "org": "org_id",
        "enterprise": "enterprise_id",
        "task_force": "task_force_id",
        "year": "year",
    }

    def __init__(self, *args, user, zone, **kwargs):
        super().__init__(*args, **kwargs)
        forces = selectors.task_force_list(user=user, zone_id=zone.pk).values_list("id", "name")
        self.fields["org"].choices = _blank(_("All organisations")) + _org_choices(user, zone.pk)  # type: ignore[attr-defined]
        self.fields["enterprise"].choices = _blank(_("All enterprises")) + _enterprise_choices(user, zone.pk)  # type: ignore[attr-defined]
        self.fields["task_force"].choices = _blank(_("All task forces")) + list(forces)  # type: ignore[attr-defined]
        self.fields["year"].choices = _year_choices()  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs.update(placeholder=_("Title or content"), type="search")


class FunnelForm(forms.Form):
    by = forms.ChoiceField(
        label=_("Per"),
        required=False,
        choices=[
            ("org", _("party organisation")),
            ("enterprise", _("enterprise")),
            ("task_force", _("task force")),
        ],
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()  # type: ignore[attr-defined]

    def grouping(self) -> tuple[str, int | None]:
        if not self.is_bound or not self.is_valid():
            return "org", None
        return self.cleaned_data["by"] or "org", self.cleaned_data["year"]


# ---------------------------------------------------------------------------------------------- writes


class TaskForceForm(forms.ModelForm):
    """Create (with the organisation) or edit (without it) a task force."""

    class Meta:
        model = TaskForce
        fields = ["org", "enterprise", "kind", "name", "project", "goal", "formed_on"]
        widgets = {
            "formed_on": DATE,
            "project": forms.Textarea(attrs={"rows": 3}),
            "goal": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, zone, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = manageable_orgs(user).filter(zone=zone).exclude(kind="working_committee").order_by("path")
        self.fields["org"].queryset = orgs  # type: ignore[attr-defined]
        firms = org_selectors.enterprise_list(user=user, zone_id=zone.pk).prefetch_related(None)
        self.fields["enterprise"].queryset = firms  # type: ignore[attr-defined]
        self.fields["enterprise"].help_text = _("Left empty: the enterprise that owns the organisation.")
        if self.instance.pk:
            del self.fields["org"]

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


class MemberAddForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Party member"), queryset=PartyMember.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=TaskForceMember.Role.choices, initial="member")
    joined_on = forms.DateField(label=_("Joined on"), required=False, widget=DATE)

    def __init__(self, *args, user, task_force: TaskForce, **kwargs):
        super().__init__(*args, **kwargs)
        # Members of the team's own subtree come first; others can be invited from any organisation in view.
        self.fields["member"].queryset = (  # type: ignore[attr-defined]
            org_selectors.party_member_list(user=user, zone_id=task_force.zone_id)
            .select_related(None)
            .select_related("org")
            .exclude(task_force_roles__task_force=task_force)
        )
        self.fields["member"].label_from_instance = lambda m: f"{m.name} · {m.org.name}"  # type: ignore[attr-defined]


class FinishForm(forms.Form):
    finished_on = forms.DateField(label=_("Finished on"), widget=DATE)
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    benefit_wan = forms.DecimalField(
        label=_("Benefit (10k yuan)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )


class DisbandForm(forms.Form):
    finished_on = forms.DateField(label=_("Disbanded on"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class SuggestionForm(forms.Form):
    org = forms.ModelChoiceField(
        label=_("Party organisation"), queryset=PartyOrg.objects.none(), required=False
    )
    task_force = forms.ModelChoiceField(
        label=_("Task force"), queryset=TaskForce.objects.none(), required=False
    )
    submitter = forms.ModelChoiceField(
        label=_("Submitted by (party member)"), queryset=PartyMember.objects.none(), required=False
    )
    submitter_name = forms.CharField(label=_("Or the name of a staff member"), required=False, max_length=50)
    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DATE)

    def __init__(self, *args, user, zone, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = manageable_orgs(user).filter(zone=zone).exclude(kind="working_committee").order_by("path")
        forces = TaskForce.objects.filter(org__in=orgs, status=TaskForce.Status.ACTIVE).order_by("sort_name")
        self.fields["org"].queryset = orgs  # type: ignore[attr-defined]
        self.fields["task_force"].queryset = forces  # type: ignore[attr-defined]
        self.fields["submitter"].queryset = (  # type: ignore[attr-defined]
            org_selectors.party_member_list(user=user, zone_id=zone.pk)
            .select_related(None)
            .select_related("org")
        )
        self.fields["submitter"].label_from_instance = lambda m: f"{m.name} · {m.org.name}"  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean() or {}
        if not data.get("org") and not data.get("task_force"):
            self.add_error("org", _("Choose the organisation or task force the suggestion goes to."))
        if not data.get("submitter") and not (data.get("submitter_name") or "").strip():
            self.add_error("submitter", _("Name the party member or staff member who made it."))
        return data


class SuggestionEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DATE)


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(label=_("Adopted on"), widget=DATE)


class ImplementForm(forms.Form):
    implemented_on = forms.DateField(label=_("Implemented on"), widget=DATE)
    benefit_wan = forms.DecimalField(
        label=_("Economic benefit (10k yuan)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    other_benefit = forms.CharField(
        label=_("Other benefit"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class RejectForm(forms.Form):
    rejected_on = forms.DateField(label=_("Date"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
