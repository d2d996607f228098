from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from byline.content.models import Post, Status
from byline.tenancy.models import Site

from ..permissions import site_view


@login_required
def my_sites(request: HttpRequest) -> HttpResponse:
    """The sites this person belongs to; with exactly one, go straight to it."""
    sites = list(Site.objects.filter(memberships__user=request.user).order_by("title"))
    if len(sites) == 1:
        return redirect("dashboard:site", site_slug=sites[0].slug)
    return render(request, "dashboard/my_sites.html", {"sites": sites})


@site_view()
def site_home(request: HttpRequest, site: Site) -> HttpResponse:
    posts = Post.objects.for_site(site).filter(trashed_at__isnull=True)
    counts = {
        "published": posts.published().count(),
        "drafts": posts.filter(status=Status.DRAFT).count(),
        "scheduled": posts.filter(status=Status.SCHEDULED).exclude(
            pk__in=posts.published()).count(),
    }
    recent = posts.select_related("author", "site").order_by("-updated_at")[:5]
    return render(request, "dashboard/site_home.html",
                  {"site": site, "counts": counts, "recent": recent})
