"""The public "Tindak lanjut" page: every accepted input with its latest status and history;
officials record progress on it."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aspirations.models import Aspiration
from backend.errors import DomainError
from comments.models import Response
from consultations.models import Item
from followups import permissions, selectors, services
from followups.models import FollowUp

STATUS_CHOICES = [
    ("", gettext_lazy("All")),
    *FollowUp.Status.choices,
    (selectors.NO_FOLLOW_UP, gettext_lazy("No follow-up yet")),
]
TARGETS = {"response": Response, "item": Item, "proposal": Aspiration}


class FilterForm(forms.Form):
    section = forms.IntegerField(required=False, min_value=1)
    theme = forms.IntegerField(required=False, min_value=1)
    status = forms.ChoiceField(required=False, choices=STATUS_CHOICES)


class FollowUpForm(forms.Form):
    target = forms.CharField(max_length=40)
    status = forms.ChoiceField(choices=FollowUp.Status.choices, label=gettext_lazy("Status"))
    progress = forms.IntegerField(min_value=0, max_value=100, label=gettext_lazy("Progress (%)"))
    note = forms.CharField(max_length=5000, widget=forms.Textarea, label=gettext_lazy("Note"))
    link = forms.CharField(max_length=500, required=False, label=gettext_lazy("Link to a document"))

    def target_object(self, consultation):
        """`response:5` → that response, if it exists; else None."""
        kind, _sep, pk = self.cleaned_data["target"].partition(":")
        model = TARGETS.get(kind)
        if model is None or not pk.isdigit() or not 0 < int(pk) < 2**31:
            return None, None
        return kind, model.objects.filter(pk=int(pk)).first()


def follow_up_page(request, consultation_id: int):
    consultation = selectors.public_consultation(consultation_id)
    can_record = permissions.can_record_follow_up(request.user)
    form = FollowUpForm()
    status_code = 200
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied(_("Only officials record follow-ups."))
        form = FollowUpForm(request.POST)
        if form.is_valid():
            kind, target = form.target_object(consultation)
            if target is None:
                form.add_error(None, _("Choose an accepted input to follow up."))
            else:
                try:
                    services.follow_up_record(
                        actor=request.user,
                        consultation=consultation,
                        status=form.cleaned_data["status"],
                        progress=form.cleaned_data["progress"],
                        note=form.cleaned_data["note"],
                        link=form.cleaned_data["link"],
                        **{"aspiration" if kind == "proposal" else kind: target},
                    )
                except DomainError as exc:
                    form.add_error(None, exc.message)
                    status_code = exc.status_code
                else:
                    messages.success(request, _("The follow-up was recorded."))
                    return redirect(request.get_full_path())
        if not form.is_valid() and status_code == 200:
            status_code = 400
    filters = FilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    entries = selectors.accepted_inputs(
        consultation,
        section=chosen.get("section"),
        theme=chosen.get("theme"),
        status=chosen.get("status") or None,
    )
    context = {
        "consultation": consultation,
        "entries": entries,
        "filters": filters,
        "filter_errors": bool(filters.errors),
        "chosen": chosen,
        "sections": selectors.sections_with_accepted_input(consultation),
        "themes": selectors.themes_of(consultation),
        "statuses": STATUS_CHOICES[1:],
        "status_values": FollowUp.Status.choices,
        "can_record": can_record,
        "form": form,
    }
    return render(request, "followups/follow_ups.html", context, status=status_code)
