"""Forms of the demand pages: the list filters, the submission form and one small form per loop step."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from redchain.demands import selectors
from redchain.demands.attachments import validate_upload
from redchain.demands.models import Channel, Demand, Disposition, Supervision
from redchain.orgs import selectors as org_selectors

STAFF_CHANNELS = [Channel.HOTLINE, Channel.VISIT, Channel.LEADER_LINE, Channel.ALLIANCE]


def _blank(label):
    return [("", label)]


def _category_choices(zone_id: int, empty_label):
    return _blank(empty_label) + [(c.pk, str(c)) for c in selectors.categories(zone_id=zone_id)]


class DemandFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(_("All statuses")) + Demand.Status.choices
    )
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int, empty_value=None)
    disposition = forms.ChoiceField(
        label=_("Disposition"), required=False, choices=_blank(_("All dispositions")) + Disposition.choices
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=_blank(_("All channels")) + Channel.choices
    )
    overdue = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Overdue")), ("no", _("Not overdue"))],
    )

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices(zone.pk, _("All categories"))  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs.update(
            placeholder=_("Title, details, enterprise or tracking code"), type="search"
        )

    def cleaned_filters(self) -> dict:
        """Valid filters for the selector; an invalid field is ignored rather than emptying the page."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        overdue = {"yes": True, "no": False}.get(data.get("overdue") or "")
        return {
            "q": data.get("q", ""),
            "status": data.get("status", ""),
            "category_id": data.get("category"),
            "disposition": data.get("disposition", ""),
            "channel": data.get("channel", ""),
            "overdue": overdue,
        }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by sniffing its bytes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": ".png,.jpg,.jpeg,.gif,.webp,.pdf,.doc,.docx,.xls,.xlsx,.pptx"}
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        errors = []
        for upload in cleaned:
            try:
                validate_upload(upload)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class DemandSubmitForm(forms.Form):
    """One form for both doors: an enterprise contact on the portal, or staff entering a call or a visit."""

    channel = forms.ChoiceField(label=_("Channel"), choices=[(c.value, c.label) for c in STAFF_CHANNELS])
    enterprise = forms.CharField(
        label=_("Enterprise"),
        max_length=100,
        help_text=_("Type part of the name, its pinyin initials or the unified social credit code."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 6}))
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int, empty_value=None)
    contact_name = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    is_emergency = forms.BooleanField(label=_("Emergency (safety, production stopped)"), required=False)
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args, user, zone, staff: bool, own_enterprises=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.zone, self.staff = user, zone, staff
        self.fields["category"].choices = _category_choices(zone.pk, _("Not sure"))  # type: ignore[attr-defined]
        if staff:
            self.fields["enterprise"].widget.attrs.update(list="enterprise-options", autocomplete="off")
        else:
            del self.fields["channel"]
            self.own_enterprises = list(own_enterprises)
            if len(self.own_enterprises) == 1:
                del self.fields["enterprise"]
            else:
                self.fields["enterprise"] = forms.TypedChoiceField(
                    label=_("Enterprise"), coerce=int, choices=[(e.pk, e.name) for e in self.own_enterprises]
                )

    def clean_enterprise(self):
        value = self.cleaned_data["enterprise"]
        if not self.staff:
            return next(e for e in self.own_enterprises if e.pk == value)
        return find_enterprise(user=self.user, zone=self.zone, text=value)

    def submission(self) -> dict:
        """Keyword arguments for ``demand_submit`` (attachments are added separately)."""
        data = self.cleaned_data
        enterprise = data.get("enterprise") or (self.own_enterprises[0] if not self.staff else None)
        category_id = data.get("category")
        return {
            "title": data["title"],
            "body": data["body"],
            "channel": data.get("channel", Channel.PORTAL),
            "enterprise": enterprise,
            "category": selectors.categories(zone_id=self.zone.pk).filter(pk=category_id).first()
            if category_id
            else None,
            "contact_name": data.get("contact_name", ""),
            "contact_phone": data.get("contact_phone", ""),
            "is_emergency": data.get("is_emergency", False),
        }


def find_enterprise(*, user, zone, text: str):
    """The one enterprise a name, a name fragment or a USCC points at, or a ``ValidationError`` saying why not."""
    text = text.strip()
    visible = org_selectors.enterprise_list(user=user, zone_id=zone.pk)
    exact = list(visible.filter(Q(uscc=text.upper()) | Q(name=text))[:2])
    if len(exact) == 1:
        return exact[0]
    matches = list(visible.search(text)[:6])  # type: ignore[attr-defined]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise ValidationError(_("No enterprise in this zone matches “%(text)s”.") % {"text": text})
    raise ValidationError(
        _("Several enterprises match “%(text)s”: %(names)s. Type the full name or the credit code.")
        % {"text": text, "names": "、".join(e.name for e in matches[:5])}
    )


# ---------------------------------------------------------------------------------------------- loop steps


class EmptyForm(forms.Form):
    """A step without input (contact, resume)."""


class AcceptForm(forms.Form):
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices(zone.pk, _("Keep as it is"))  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class TextForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))


class DispatchForm(forms.Form):
    department: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Lead department"), queryset=None)
    disposition = forms.ChoiceField(label=_("Disposition"), choices=Disposition.choices)
    co_departments: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Co-handling departments (coordinated handling only)"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, user, zone, **kwargs):
        super().__init__(*args, **kwargs)
        departments = org_selectors.department_list(user=user, zone_id=zone.pk)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["co_departments"].queryset = departments  # type: ignore[attr-defined]
        self.fields["category"].choices = _category_choices(zone.pk, _("Keep as it is"))  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean() or {}
        if data.get("co_departments") and data.get("disposition") != Disposition.COORDINATED:
            self.add_error("co_departments", _("Only coordinated handling has co-handling departments."))
        return data


class ExtensionRequestForm(forms.Form):
    until = forms.DateTimeField(
        label=_("New closure deadline"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionDecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Approve")), ("no", _("Refuse"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class SuperviseForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Warning level"), choices=Supervision.Level.choices, coerce=int)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RateForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Satisfaction"), choices=Demand.Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Tracking code of the main demand"), max_length=16)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_into(self):
        code = self.cleaned_data["into"].strip().upper()
        target = Demand.objects.visible_to(self.user).filter(tracking_code=code).first()
        if target is None:
            raise ValidationError(_("No demand you can see has this tracking code."))
        return target


class CloseForm(forms.Form):
    solved = forms.TypedChoiceField(
        label=_("Solved?"),
        choices=[("yes", _("Yes, solved")), ("no", _("No, closed unsolved"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=16)
