"""Sign in, sign out, and choosing the working zone."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from redchain.accounts.middleware import SESSION_KEY
from redchain.orgs.models import Zone


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
@require_POST
def zone_switch(request):
    zone = Zone.objects.visible_to(request.user).filter(pk=request.POST.get("zone")).first()
    if zone is None:
        raise Http404
    request.session[SESSION_KEY] = zone.pk
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)
