"""The platform host's public pages: the landing page and its directory of sites."""

from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from byline.content.models import Status
from byline.tenancy.models import Site


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    live = Q(posts__kind="post", posts__status__in=(Status.PUBLISHED, Status.SCHEDULED),
             posts__published_at__lte=timezone.now())
    sites = (Site.objects.public()
             .annotate(post_count=Count("posts", filter=live),
                       last_published=Max("posts__published_at", filter=live))
             .filter(post_count__gt=0)
             .order_by("-last_published")[:50])
    return render(request, "reader/landing.html", {"sites": sites})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "byline/404.html", status=404)
