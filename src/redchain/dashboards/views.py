"""The zone overview: what a committee member or leader opens first."""

from django.shortcuts import render

from redchain.accounts.decorators import zone_member_required
from redchain.dashboards.selectors import zone_overview


@zone_member_required
def overview(request):
    zone = request.zone.get()
    figures = zone_overview(user=request.user, zone=zone)
    chart = {
        "chains": [c.name for c in figures.chains],
        "above": [c.above_count for c in figures.chains],
        "below": [c.visible_count - c.above_count for c in figures.chains],
    }
    return render(request, "dashboards/overview.html", {"zone": zone, "figures": figures, "chart": chart})
