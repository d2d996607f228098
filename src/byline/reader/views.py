"""The public side of a site: home, posts, pages and archives."""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.crypto import salted_hmac
from django.views.decorators.http import require_GET

from byline.content.models import Category, Post, Tag
from byline.content.services import scheduled_updates_apply_due

from .feeds import redirect_query_feed
from .memo import site_memo
from .related import find_also
from .themes import render_themed
from .views_search import search_results


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int) -> Page:
    """The requested page of a list; a page that does not exist is a 404, not the last one."""
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404("No such page") from exc


def public_posts(request: HttpRequest) -> QuerySet:
    return Post.objects.for_site(request.site).posts().published()


def render_list(request: HttpRequest, queryset: QuerySet, context: dict) -> HttpResponse:
    page = paginate(request, queryset.for_listing(), request.site.posts_per_page)
    context.update(page_obj=page, posts=page.object_list)
    return render_themed(request, "list.html", context)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if "s" in request.GET:  # WordPress's /?s=words: the search results
        return search_results(request, param="s")
    if "feed" in request.GET:  # WordPress's /?feed=rss2 and friends
        return redirect_query_feed(request)
    posts = public_posts(request).order_by("-sticky", "-published_at", "-pk")
    return render_list(request, posts, {"list_kind": "home"})


def render_entry(request: HttpRequest, post: Post, template: str) -> HttpResponse:
    site = request.site
    # The curated links a reader may follow and the automatic related posts, in one query.
    # Curated and automatic links change only with a change to the site (or the clock: a
    # target going public), so they are looked up once per change.
    links, related_posts = site_memo(post.site, f"also:{post.pk}", lambda: find_also(post))
    response = render_themed(request, template, {
        "post": post,
        "related_links": links,
        "related_posts": related_posts,
        "is_preview": not post.is_public,
        "locked": bool(post.password) and not entry_unlocked(request, post),
        "site_tz": site.timezone,
    })
    if not post.is_public or post.password:
        add_never_cache_headers(response)
        patch_cache_control(response, private=True, no_store=True)
    return response


def entry_unlocked(request: HttpRequest, post: Post) -> bool:
    return request.session.get(f"post-pass-{post.pk}") == _password_token(post)


def _password_token(post: Post) -> str:
    # What the session remembers of an opened post: changing the password locks it
    # again, while edits to the post do not.
    return salted_hmac("byline.post-password", post.password).hexdigest()[:24]


def _find_entry(request: HttpRequest, **lookup) -> Post:
    queryset = Post.objects.for_site(request.site).visible_to(request.user, request.site)
    # Categories and tags are read by the page's header and head, which are kept per site
    # change (reader/memo.py): they are fetched only when those are rendered.
    queryset = queryset.select_related("author", "featured_image")
    post = get_object_or_404(queryset, **lookup)
    post.site = request.site
    if post.next_update_at is not None and post.next_update_at <= timezone.now():
        # Publishing is a query: changes scheduled for a live post go out when the first
        # reader after their time arrives, with no job that could miss them.
        scheduled_updates_apply_due(post=post)
        post = get_object_or_404(queryset, pk=post.pk)
        post.site = request.site
    return post


def post_detail(request: HttpRequest, year: int, month: int, day: int, slug: str
                ) -> HttpResponse:
    post = _find_entry(request, kind="post", slug=slug)
    if (year, month, day) != post.local_date_parts():
        # An old date in the address (the post was re-dated) still finds it.
        return redirect(post.get_absolute_url(), permanent=True)
    if request.method == "POST":
        return _unlock(request, post)
    return render_entry(request, post, "post.html")


def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = _find_entry(request, kind="page", slug=slug)
    if request.method == "POST":
        return _unlock(request, page)
    return render_entry(request, page, "page.html")


def _unlock(request: HttpRequest, post: Post) -> HttpResponse:
    """The password form of a protected post: the right password opens it for this session."""
    import hmac

    given = request.POST.get("post_password", "")
    if post.password and hmac.compare_digest(given.encode(), post.password.encode()):
        request.session[f"post-pass-{post.pk}"] = _password_token(post)
        return redirect(post.get_absolute_url())
    response = render_entry(request, post, "post.html" if post.kind == "post" else "page.html")
    response.status_code = 403
    return response


def _local_range(site, start: date, end: date) -> tuple[datetime, datetime]:
    tz = site.tzinfo
    return (datetime.combine(start, time.min, tz), datetime.combine(end, time.min, tz))


@require_GET
def archive(request: HttpRequest, year: int, month: int | None = None, day: int | None = None
            ) -> HttpResponse:
    try:
        if day is not None:
            start = date(year, month, day)
            end = start + timedelta(days=1)
        elif month is not None:
            start = date(year, month, 1)
            end = date(year + (month == 12), month % 12 + 1, 1)
        else:
            start, end = date(year, 1, 1), date(year + 1, 1, 1)
    except (ValueError, OverflowError) as exc:
        raise Http404("No such date") from exc
    lower, upper = _local_range(request.site, start, end)
    posts = public_posts(request).filter(published_at__gte=lower, published_at__lt=upper)
    return render_list(request, posts.newest_first(), {
        "list_kind": "date", "archive_date": start,
        "archive_precision": "day" if day else "month" if month else "year",
    })


@require_GET
def category(request: HttpRequest, slug: str) -> HttpResponse:
    cat = get_object_or_404(Category.objects.for_site(request.site), slug=slug)
    posts = public_posts(request).filter(categories__in=cat.descendant_ids()).distinct()
    return render_list(request, posts.newest_first(), {"list_kind": "category",
                                                       "category": cat})


@require_GET
def tag(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag.objects.for_site(request.site), slug=slug)
    posts = public_posts(request).filter(tags=tag)
    return render_list(request, posts.newest_first(), {"list_kind": "tag", "tag": tag})


@require_GET
def author(request: HttpRequest, username: str) -> HttpResponse:
    # Only people who have published here have an author page: no user enumeration.
    person = get_object_or_404(get_user_model(), username=username)
    posts = public_posts(request).filter(author=person)
    if not posts.exists():
        raise Http404("No such author")
    return render_list(request, posts.newest_first(), {"list_kind": "author",
                                                       "author": person})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_themed(request, "404.html", {}, status=404)
