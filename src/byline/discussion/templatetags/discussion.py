"""Template tags the reader's templates use to show the conversation under a post.

The reader never imports discussion in Python; its templates `{% load discussion %}`.
(Likes and follows live in `discussion_social`.)
"""

from dataclasses import dataclass, field

from django import template
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from byline.accounts.identicon import avatar_seed
from byline.discussion.forms import CommentForm, make_stamp
from byline.discussion.models import Comment
from byline.discussion.services import comments_open
from byline.discussion.views import my_comment_ids, remembered_author
from byline.reader.memo import site_memo

register = template.Library()

# Where a kept guest form gets each reader's signed stamp (letters, digits, "-_:" only).
STAMP_SLOT = "byline-stamp-slot-5f2c"


@dataclass
class Node:
    comment: Comment
    depth: int
    avatar: str = ""
    children: list["Node"] = field(default_factory=list)
    can_reply: bool = False
    is_post_author: bool = False
    is_pending: bool = False
    show_form: bool = False


def _avatar(comment: Comment) -> str:
    if comment.user_id is not None and comment.user is not None:
        return comment.user.avatar_url
    return reverse("accounts:identicon", args=[avatar_seed(comment.author_email
                                                           or comment.author_name)])


def _thread(comments: list[Comment], *, post, max_depth: int, open_: bool,
            reply_to: int | None) -> tuple[list[Node], Node | None]:
    """Top-level nodes with their replies, built in Python from one query."""
    nodes = {c.pk: Node(comment=c, depth=1, avatar=_avatar(c),
                        is_post_author=c.user_id is not None and c.user_id == post.author_id,
                        is_pending=c.status == Comment.Status.PENDING) for c in comments}
    roots: list[Node] = []
    for c in comments:  # ordered by created_at: a parent comes before its replies
        node = nodes[c.pk]
        parent = nodes.get(c.parent_id) if c.parent_id else None
        if parent is None:
            roots.append(node)  # top level, or a reply whose parent is not shown
        else:
            node.depth = parent.depth + 1
            parent.children.append(node)
    target = None
    for node in nodes.values():
        node.can_reply = (open_ and node.comment.kind == Comment.Kind.COMMENT
                          and not node.is_pending and node.depth < max_depth)
        if node.can_reply and node.comment.pk == reply_to:
            node.show_form, target = True, node
    return roots, target


def _reply_to(request) -> int | None:
    value = request.GET.get("replytocom", "") if request is not None else ""
    return int(value) if value.isdigit() else None


@register.inclusion_tag("discussion/comments/section.html", takes_context=True)
def comments_section(context, post) -> dict:
    """ "N thoughts on “TITLE”", the threaded comments, and "Leave a Reply"."""
    request = context.get("request")
    site = post.site
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    mine = my_comment_ids(request) if request is not None else []
    visible = Q(status=Comment.Status.APPROVED)
    if mine:
        visible |= Q(status=Comment.Status.PENDING, pk__in=mine)
    if signed_in:
        visible |= Q(status=Comment.Status.PENDING, user=user)
    open_ = comments_open(post)
    reply_to = _reply_to(request)
    list_html = None
    if (not mine and not signed_in and reply_to is None
            and getattr(request, "comment_form", None) is None):
        # What every guest sees alike: the approved thread, rendered once per change.
        roots, target = [], None
        # The thread's links (avatars) start with the script prefix: /@slug/ or none.
        list_html, count = site_memo(site, f"thread:{post.pk}:{int(open_)}:{get_script_prefix()}",
                                     lambda: _approved_thread(post, open_))
    else:
        comments = list(Comment.objects.filter(post=post).filter(visible)
                        .select_related("user"))
        roots, target = _thread(comments, post=post, max_depth=site.comment_thread_depth,
                                open_=open_, reply_to=reply_to)
        count = sum(1 for c in comments if c.status == Comment.Status.APPROVED)

    form = getattr(request, "comment_form", None)
    if form is None:
        initial = {} if signed_in else remembered_author(request) if request else {}
        if initial:
            initial["remember"] = True
        form = CommentForm(post_id=post.pk, initial=initial)
    else:
        # A form sent again after an error keeps what was typed, but gets a fresh stamp.
        data = form.data.copy()
        data["stamp"] = make_stamp(post.pk)
        form.data = data
        if target is None and (form.data.get("parent") or "").isdigit():
            parent_id = int(form.data["parent"])
            target = next((n for n in _walk(roots) if n.comment.pk == parent_id
                           and n.can_reply), None)
            if target is not None:
                target.show_form = True
    if not form.is_bound:
        form.initial["stamp"] = make_stamp(post.pk)
        if target is not None:
            form.initial["parent"] = target.comment.pk
    next_url = (request.get_full_path() if request is not None and request.method == "GET"
                else post.get_absolute_url())
    form_html = None
    if list_html is not None and not form.initial.get("remember") and open_:
        # A guest's empty form is the same for every guest but for its time stamp: render
        # it once per change and page address, and put this reader's stamp in.
        def render_form() -> str:
            blank = CommentForm(post_id=post.pk, initial={"stamp": STAMP_SLOT})
            return render_to_string("discussion/comments/form.html", {
                "request": request, "post": post, "site": site, "form": blank,
                "reply_target": None, "signed_in": False, "next_url": next_url,
                "post_url": post.get_absolute_url()})

        key = f"form:{post.pk}:{request.scheme}://{request.get_host()}{next_url}"
        form_html = mark_safe(site_memo(site, key, render_form).replace(  # noqa: S308
            STAMP_SLOT, form.initial["stamp"]))
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "post": post,
        "site": site,
        "locked": context.get("locked", False),
        "roots": roots,
        "list_html": list_html,
        "form_html": form_html,
        "count": count,
        "open": open_,
        "form": form,
        "reply_target": target,
        "signed_in": signed_in,
        # Where sign-in and sign-out come back to: this page, never the form's POST address.
        "next_url": next_url,
        "post_url": post.get_absolute_url(),
    }


def _approved_thread(post, open_: bool) -> tuple[SafeString, int]:
    comments = list(Comment.objects.filter(post=post, status=Comment.Status.APPROVED)
                    .select_related("user"))
    roots, _ = _thread(comments, post=post, max_depth=post.site.comment_thread_depth,
                       open_=open_, reply_to=None)
    with timezone.override(post.site.tzinfo):
        html = render_to_string("discussion/comments/_list.html", {"roots": roots})
    # render_to_string returns the template's own (escaped) output as SafeString; the
    # cache keeps it as it is, so it needs no second marking.
    return html, len(comments)


def _walk(nodes: list[Node]):
    for node in nodes:
        yield node
        yield from _walk(node.children)
