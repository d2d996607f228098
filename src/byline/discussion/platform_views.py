"""The platform side of following: a signed-in user's Reader, the new posts of the sites
they follow, on the platform host."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_GET

from byline.content.models import Post
from byline.tenancy.urls import site_path

READER_PAGE_SIZE = 20


def followed_posts(user):
    """Public posts of every site the user follows, newest first: the Reader's feed."""
    return (Post.objects.posts().published().filter(site__follows__user=user)
            .select_related("site", "author").newest_first())


@require_GET
@login_required
def reader(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(followed_posts(request.user), READER_PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404("No such page") from exc
    entries = [{
        "post": post,
        "url": site_path(post.site, "reader:post", *post.local_date_parts(), post.slug),
        "site_url": site_path(post.site, "reader:home"),
    } for post in page.object_list]
    following = [{"site": follow.site, "url": site_path(follow.site, "reader:home")}
                 for follow in request.user.follows.select_related("site").order_by("site__title")]
    response = render(request, "discussion/social/reader.html", {
        "page_obj": page, "entries": entries, "following": following,
    })
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response
