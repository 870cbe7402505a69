"""The upload form of the import page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from redchain.orgs.excel.reader import signature_problem, size_problem


class ImportForm(forms.Form):
    """One .xlsx file; refused early when too large or when its first bytes are not a zip."""

    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        problem = size_problem(upload.size)
        if problem is None:
            # The name and the browser's content type are the sender's claims; the bytes are not.
            head = upload.read(8)
            upload.seek(0)
            problem = signature_problem(head)
        if problem:
            raise forms.ValidationError(problem, code="not_xlsx")
        return upload
