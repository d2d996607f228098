"""Site settings: title, language, time zone, theme, reading, comments, custom domain."""

from django.conf import settings as django_settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from byline.tenancy.models import Site
from byline.tenancy.services import site_update

from ..forms_site import SiteSettingsForm
from ..permissions import site_view


@never_cache
@require_http_methods(["GET", "POST"])
@site_view("manage_settings")
def settings(request: HttpRequest, site: Site) -> HttpResponse:
    # A copy for the form to fill: the header keeps showing the saved title on errors.
    form = SiteSettingsForm(request.POST or None, instance=Site.objects.get(pk=site.pk))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        custom_domain = data.pop("custom_domain")
        try:
            site_update(site=form.instance, custom_domain=custom_domain, **data)
        except ValidationError as error:
            # A race the form could not see (say, the domain taken a moment ago).
            errors = error.message_dict if hasattr(error, "error_dict") else {None: error}
            for field, messages_ in errors.items():
                field = "custom_domain" if field == "host" else field
                form.add_error(field if field in form.fields else None, messages_)
        else:
            messages.success(request, "Settings saved.")
            return redirect("dashboard:settings", site_slug=site.slug)
    return render(request, "dashboard/settings.html", {
        "site": site, "form": form, "base_domain": django_settings.BYLINE_BASE_DOMAIN})
