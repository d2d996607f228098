"""CSRF for the two forms a guest sends from a public page: "Leave a Reply" and "get new
posts by e-mail".

Those pages are served from the page cache (and by nginx, from files), the same bytes to
every reader, so they cannot carry a per-visitor CSRF token. A guest has nothing for a
forged request to borrow (no session, no privilege: a forged post is no more than the
attacker could send directly), so for guests the check is the one browsers make
unforgeable: a cross-site POST carries an Origin (or at least a Referer) naming the other
site, and is refused with 403. Signed-in readers get pages from Django, with a token, and
their POSTs need it as every other form does (SECURITY-CASES 7). The comment form also
carries its own signed stamp, tied to the post (discussion/forms.py).
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.views.csrf import csrf_failure
from django.views.decorators.csrf import csrf_exempt, csrf_protect

REASON = "This form was sent from another site."


def _same_origin(request: HttpRequest) -> bool:
    mine = f"{request.scheme}://{request.get_host()}".lower()
    trusted = {o.lower() for o in getattr(settings, "CSRF_TRUSTED_ORIGINS", [])}
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None:
        return origin.lower() in ({mine} | trusted)
    referer = request.META.get("HTTP_REFERER")
    if referer:
        parts = urlsplit(referer)
        return f"{parts.scheme}://{parts.netloc}".lower() in ({mine} | trusted)
    # No Origin and no Referer: not a browser sending a form across sites (browsers send
    # Origin on every cross-origin POST), so nothing to forge.
    return True


def guest_forms_csrf(view):
    """Django's CSRF check for signed-in users; a same-origin check for guests."""
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        if request.user.is_authenticated:
            return protected(request, *args, **kwargs)
        if not _same_origin(request):
            return csrf_failure(request, reason=REASON)
        return view(request, *args, **kwargs)

    return wrapped
