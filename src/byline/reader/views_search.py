"""Search: `/search/?q=words`, and WordPress's `/?s=words` on the home page."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from .search import excerpt, highlight, parse_query, search_posts
from .themes import render_themed


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    return search_results(request, param="q")


def search_results(request: HttpRequest, *, param: str) -> HttpResponse:
    """The results page for the query in `request.GET[param]`: ranked, highlighted,
    paginated. Any query at all gives a page (an empty or odd one finds nothing), never an
    error; the page is public and cacheable like any list."""
    query = parse_query(request.GET.get(param, ""))
    terms = query.terms
    # A results page shows titles and excerpts from the index: leave the posts' text behind.
    results = (search_posts(site=request.site, query=query).select_related("site")
               .defer("source", "html"))
    paginator = Paginator(results, request.site.posts_per_page)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404("No such page") from exc
    hits = list(page.object_list)
    for post in hits:
        post.search_title = highlight(post.title, terms)
        body = "" if post.password else post.search_document.body
        post.search_excerpt = excerpt(body, terms)
    return render_themed(request, "search.html", {
        "search_query": query.text,
        "searched": bool(query), "page_obj": page, "results": hits,
        "result_count": paginator.count,
    })
