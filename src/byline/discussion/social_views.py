"""The site-side views of likes, follows and e-mail subscriptions. Thin: parse the request,
call a service in `social.py`, redirect or render."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import select_template
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from byline.reader.themes import theme_templates
from byline.tenancy.urls import platform_url, site_path

from . import social
from .csrf import guest_forms_csrf
from .models import Comment, CommentSubscription, Subscriber
from .notify import comment_from_replies_token


class SubscribeForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)


def render_social(request: HttpRequest, name: str, context: dict, status: int = 200
                  ) -> HttpResponse:
    """A small page of the site's own theme (confirm, unsubscribe, "check your inbox").
    Never cached: these pages answer to tokens and forms."""
    site = request.site
    template = select_template([f"themes/{site.theme}/discussion/social/{name}",
                                f"discussion/social/{name}"])
    context.setdefault("base_template", select_template(theme_templates(site, "base.html")))
    context.setdefault("site", site)
    response = HttpResponse(template.render(context, request), status=status)
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


def login_redirect(request: HttpRequest, next_path: str) -> HttpResponseRedirect:
    """Send a guest to sign in on the platform, and back to `next_path` afterwards (a
    path under /@slug/ on the platform host, where the session will be)."""
    return redirect(platform_url(request, "account_login") + "?" + urlencode({"next": next_path}))


def _post_path(post) -> str:
    return site_path(post.site, "reader:post", *post.local_date_parts(), post.slug)


@require_http_methods(["GET", "POST"])
def like(request: HttpRequest, post_id: int) -> HttpResponse:
    """The Like button: POST toggles the signed-in reader's like; a guest is asked to sign
    in and comes back to the post. GET never changes anything."""
    post = get_object_or_404(social.likeable_posts(request.site).select_related("site"),
                             pk=post_id)
    if not request.user.is_authenticated:
        return login_redirect(request, _post_path(post) + "#likes")
    if request.method == "POST":
        social.like_toggle(post=post, user=request.user)
    return redirect(post.get_absolute_url() + "#likes")


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """Follow or unfollow the site with one click (POST); guests sign in first."""
    site = request.site
    home = reverse("reader:home")
    if not request.user.is_authenticated:
        return login_redirect(request, site_path(site, "reader:home") + "#follow")
    if request.method == "POST":
        social.follow_toggle(site=site, user=request.user)
        return redirect(_back(request, home) + "#follow")
    return redirect(home)


@guest_forms_csrf
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """Subscribe by e-mail. The answer is the same whether or not the address was known,
    subscribed or confirmed: the form must not tell who reads this site."""
    if request.method == "GET":
        return render_social(request, "subscribe.html", {"form": SubscribeForm()})
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render_social(request, "subscribe.html", {"form": form}, status=400)
    social.subscriber_request(site=request.site, email=form.cleaned_data["email"])
    return render_social(request, "subscribe_sent.html", {})


@require_http_methods(["GET", "POST"])
def subscribe_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation mail. GET only shows a button: mail scanners fetch
    links, and a fetch must not subscribe anyone. The POST confirms."""
    subscriber = Subscriber.objects.filter(site=request.site, token=token).first()
    if subscriber is None:
        return render_social(request, "link_invalid.html", {}, status=404)
    if request.method == "POST":
        social.subscriber_confirm(site=request.site, token=token)
        return render_social(request, "subscribe_confirmed.html", {})
    return render_social(request, "subscribe_confirm.html", {"subscriber": subscriber})


def _unsubscribe_page(request: HttpRequest, *, found: bool, remove, what: str
                      ) -> HttpResponse:
    """GET shows a button; POST unsubscribes. The POST needs no CSRF token: the token in
    the address is the secret, and RFC 8058 one-click POSTs come from mail providers
    that have none. An unknown or used token gets the same "done" answer on POST."""
    if request.method == "POST":
        remove()
        return render_social(request, "unsubscribed.html", {"what": what})
    if not found:
        return render_social(request, "link_invalid.html", {}, status=404)
    return render_social(request, "unsubscribe.html", {"what": what})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = Subscriber.objects.filter(site=request.site, token=token).exists()
    return _unsubscribe_page(
        request, found=found, what=f"new posts from {request.site.title}",
        remove=lambda: social.subscriber_remove(site=request.site, token=token))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_comments(request: HttpRequest, token: str) -> HttpResponse:
    subscription = (CommentSubscription.objects.select_related("post")
                    .filter(post__site=request.site, token=token).first())
    what = (f"new comments on “{subscription.post.title}”" if subscription
            else "new comments on this post")
    return _unsubscribe_page(
        request, found=subscription is not None, what=what,
        remove=lambda: social.comment_subscription_remove(site=request.site, token=token))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_replies(request: HttpRequest, token: str) -> HttpResponse:
    comment_id = comment_from_replies_token(token)
    comments = Comment.objects.for_site(request.site).filter(pk=comment_id)
    found = comment_id is not None and comments.exists()
    return _unsubscribe_page(
        request, found=found, what="replies to your comment",
        remove=lambda: found and social.comment_replies_mute(comment=comments.get()))
