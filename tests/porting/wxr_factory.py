"""Write realistic WordPress exports (WXR 1.2) of any size, as WordPress 6 writes them:
authors, a category tree, tags, nav menu terms, posts (classic and block-editor bodies,
captions, galleries, links between posts), pages with parents, attachments, nav menu
items, threaded comments with pingbacks and trackbacks, and a few drafts, scheduled,
private and trashed posts.

    manifest = write_wxr(path, posts=300, comments=900)

The file is written as a stream, so 10,000 posts cost no more memory than 10. The
manifest says what an importer should find.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

BASE = "https://oldblog.example"
STATUSES = ["publish"] * 16 + ["draft", "future", "private", "trash"]


@dataclass
class Manifest:
    posts: int = 0  # imported posts (everything but the trashed)
    trashed: int = 0
    pages: int = 0
    attachments: int = 0
    menu_items: int = 0
    comments: dict[str, int] = field(default_factory=lambda: {
        "comment": 0, "pingback": 0, "trackback": 0})
    replies: int = 0
    categories: int = 0
    tags: int = 0
    authors: int = 0
    # (wp_id, old path, kind, status) of every post and page written
    links: list[tuple[int, str, str, str]] = field(default_factory=list)


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _date(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S")


def write_wxr(path: str | Path, *, posts: int = 100, comments: int = 300, pages: int = 10,
              attachments: int = 20, menu_items: int = 5, authors: int = 3,
              categories: int = 12, tags: int = 20, seed: int = 1) -> Manifest:
    rng = random.Random(seed)
    m = Manifest(authors=authors, categories=categories, tags=tags, attachments=attachments,
                 menu_items=menu_items)
    start = datetime(2015, 1, 1, 9, 0, tzinfo=UTC)
    next_id = iter(range(1, 10**9))
    author_logins = [f"writer{i}" for i in range(1, authors + 1)]
    cats = [(f"topic-{i}", f"Topic {i} & more", f"topic-{(i - 1) // 3}" if i > 3 else "")
            for i in range(1, categories + 1)]
    tag_slugs = [f"tag-{i}" for i in range(1, tags + 1)]
    post_ids = [next(next_id) for _ in range(posts)]
    post_dates = [start + timedelta(hours=7 * i) for i in range(posts)]
    post_slugs = [f"post-number-{i}" for i in range(posts)]
    post_paths = [f"/{d:%Y}/{d:%m}/{s}/" for d, s in zip(post_dates, post_slugs, strict=True)]
    attachment_ids = [next(next_id) for _ in range(attachments)]
    page_ids = [next(next_id) for _ in range(pages)]
    menu_ids = [next(next_id) for _ in range(menu_items)]
    comment_id = iter(range(1, 10**9))
    # Comments spread over published posts, threaded where a post already has some.
    per_post = [0] * posts
    for _ in range(comments):
        per_post[rng.randrange(posts)] += 1

    with open(path, "w", encoding="utf-8") as out:
        w = out.write
        w('<?xml version="1.0" encoding="UTF-8" ?>\n'
          '<!-- generator="WordPress/6.5" created="2024-06-10 12:29" -->\n'
          '<rss version="2.0"\n'
          '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
          '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
          '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
          '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
          '\txmlns:wp="http://wordpress.org/export/1.2/"\n>\n<channel>\n'
          f"\t<title>Old Blog — Ünïcode &amp; friends</title>\n\t<link>{BASE}</link>\n"
          "\t<description>Just another WordPress site</description>\n"
          "\t<language>en-US</language>\n\t<wp:wxr_version>1.2</wp:wxr_version>\n"
          f"\t<wp:base_site_url>{BASE}</wp:base_site_url>\n"
          f"\t<wp:base_blog_url>{BASE}</wp:base_blog_url>\n")
        for i, login in enumerate(author_logins, 1):
            w(f"\t<wp:author><wp:author_id>{i}</wp:author_id>"
              f"<wp:author_login>{_cdata(login)}</wp:author_login>"
              f"<wp:author_email>{_cdata(login + '@oldblog.example')}</wp:author_email>"
              f"<wp:author_display_name>{_cdata(f'Writer Nº{i}')}</wp:author_display_name>"
              f"<wp:author_first_name>{_cdata('Writer')}</wp:author_first_name>"
              f"<wp:author_last_name>{_cdata(str(i))}</wp:author_last_name></wp:author>\n")
        for i, (slug, name, parent) in enumerate(cats, 1):
            w(f"\t<wp:category><wp:term_id>{1000 + i}</wp:term_id>"
              f"<wp:category_nicename>{_cdata(slug)}</wp:category_nicename>"
              f"<wp:category_parent>{_cdata(parent)}</wp:category_parent>"
              f"<wp:cat_name>{_cdata(name)}</wp:cat_name>"
              f"<wp:category_description>{_cdata('About ' + name)}</wp:category_description>"
              "</wp:category>\n")
        for i, slug in enumerate(tag_slugs, 1):
            w(f"\t<wp:tag><wp:term_id>{2000 + i}</wp:term_id><wp:tag_slug>{_cdata(slug)}"
              f"</wp:tag_slug><wp:tag_name>{_cdata(slug.replace('-', ' ').title())}"
              "</wp:tag_name></wp:tag>\n")
        w("\t<wp:term><wp:term_id>3001</wp:term_id><wp:term_taxonomy>nav_menu"
          "</wp:term_taxonomy><wp:term_slug>main-menu</wp:term_slug>"
          f"<wp:term_name>{_cdata('Main menu')}</wp:term_name></wp:term>\n")

        def item(*, wp_id: int, title: str, link: str, when: datetime, creator: str,
                 content: str, excerpt: str, name: str, status: str, parent: int,
                 menu_order: int, post_type: str, extra: str = "", body_tail: str = "") -> None:
            gmt = _date(when) if status not in ("draft",) else "0000-00-00 00:00:00"
            w("\t<item>\n"
              f"\t\t<title>{_cdata(title)}</title>\n\t\t<link>{escape(link)}</link>\n"
              f"\t\t<pubDate>{when:%a, %d %b %Y %H:%M:%S} +0000</pubDate>\n"
              f"\t\t<dc:creator>{_cdata(creator)}</dc:creator>\n"
              f'\t\t<guid isPermaLink="false">{BASE}/?p={wp_id}</guid>\n'
              "\t\t<description></description>\n"
              f"\t\t<content:encoded>{_cdata(content)}</content:encoded>\n"
              f"\t\t<excerpt:encoded>{_cdata(excerpt)}</excerpt:encoded>\n"
              f"\t\t<wp:post_id>{wp_id}</wp:post_id>\n"
              f"\t\t<wp:post_date>{_cdata(_date(when))}</wp:post_date>\n"
              f"\t\t<wp:post_date_gmt>{_cdata(gmt)}</wp:post_date_gmt>\n"
              "\t\t<wp:comment_status>open</wp:comment_status>\n"
              "\t\t<wp:ping_status>open</wp:ping_status>\n"
              f"\t\t<wp:post_name>{_cdata(name)}</wp:post_name>\n"
              f"\t\t<wp:status>{status}</wp:status>\n"
              f"\t\t<wp:post_parent>{parent}</wp:post_parent>\n"
              f"\t\t<wp:menu_order>{menu_order}</wp:menu_order>\n"
              f"\t\t<wp:post_type>{post_type}</wp:post_type>\n"
              "\t\t<wp:post_password></wp:post_password>\n"
              "\t\t<wp:is_sticky>0</wp:is_sticky>\n" + extra + body_tail + "\t</item>\n")

        # Attachments, children of the first posts.
        for n, wp_id in enumerate(attachment_ids):
            parent = post_ids[n % max(posts, 1)] if posts else 0
            url = f"{BASE}/wp-content/uploads/2015/01/photo-{n}.jpg"
            item(wp_id=wp_id, title=f"Photo {n}", link=f"{BASE}/?attachment_id={wp_id}",
                 when=start, creator=author_logins[0], content="A description",
                 excerpt=f"Caption of photo {n}", name=f"photo-{n}", status="inherit",
                 parent=parent, menu_order=n, post_type="attachment",
                 extra=f"\t\t<wp:attachment_url>{_cdata(url)}</wp:attachment_url>\n"
                       "\t\t<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
                       f"<wp:meta_value>{_cdata(f'Alt text {n}')}</wp:meta_value>"
                       "</wp:postmeta>\n")

        for n, wp_id in enumerate(post_ids):
            when, slug = post_dates[n], post_slugs[n]
            status = STATUSES[n % len(STATUSES)]
            if status == "future":
                when = datetime(2099, 1, 1, tzinfo=UTC) + timedelta(hours=n)
            other = post_paths[(n * 7 + 3) % posts]
            if n % 2:
                content = (
                    "<!-- wp:paragraph -->\n<p>Block-editor post Nº" + str(n)
                    + " — ünïcödé ✓ 🚀 with a <a href=\"" + BASE + other + "\">link to another "
                    "post</a>.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:quote -->\n"
                    "<blockquote><p>Quoted</p></blockquote>\n<!-- /wp:quote -->")
            else:
                content = (
                    f"Classic post {n}, first paragraph.\nSecond line of it.\n\n"
                    f'See <a href="{BASE}/?p={post_ids[(n + 1) % posts]}">the next one</a>.'
                    "\n\n<script>alert('xss')</script>\n\n"
                    '[caption id="attachment_1" align="alignleft" width="300"]'
                    f'<img src="{BASE}/wp-content/uploads/2015/01/photo-0-300x200.jpg" '
                    'alt="A photo" width="300"> A caption with <em>style</em>[/caption]')
                if attachments and n < attachments:
                    content += "\n\n[gallery]"
            cat_list = "".join(
                f'\t\t<category domain="category" nicename="{cats[(n + k) % categories][0]}">'
                f"{_cdata(cats[(n + k) % categories][1])}</category>\n"
                for k in range(2)) if categories else ""
            tag_list = "".join(
                f'\t\t<category domain="post_tag" nicename="{tag_slugs[(n + k) % tags]}">'
                f"{_cdata(tag_slugs[(n + k) % tags])}</category>\n"
                for k in range(3)) if tags else ""
            extra = cat_list + tag_list
            if attachments and n % 5 == 0:
                extra += ("\t\t<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
                          f"<wp:meta_value>{attachment_ids[n % attachments]}</wp:meta_value>"
                          "</wp:postmeta>\n")
            tail = []
            ids_here: list[int] = []
            if status != "trash":
                for k in range(per_post[n]):
                    cid = next(comment_id)
                    kind = "comment"
                    if k % 10 == 7:
                        kind = "pingback"
                    elif k % 10 == 9:
                        kind = "trackback"
                    parent = ids_here[rng.randrange(len(ids_here))] if (
                        kind == "comment" and ids_here and k % 3) else 0
                    m.comments[kind] += 1
                    m.replies += bool(parent)
                    approved = "1" if k % 11 else rng.choice(["0", "spam", "trash"])
                    body = (f"Comment {cid} on post {n}: nice! <strong>ünïcödé</strong>"
                            + ("<script>alert(1)</script>" if k % 4 == 1 else "")
                            + "\nSecond line.")
                    cwhen = when + timedelta(minutes=5 * (k + 1))
                    tail.append(
                        "\t\t<wp:comment>\n"
                        f"\t\t\t<wp:comment_id>{cid}</wp:comment_id>\n"
                        f"\t\t\t<wp:comment_author>{_cdata(f'Reader {cid}')}"
                        "</wp:comment_author>\n"
                        f"\t\t\t<wp:comment_author_email>{_cdata(f'r{cid}@example.org')}"
                        "</wp:comment_author_email>\n"
                        "\t\t\t<wp:comment_author_url>https://reader.example/"
                        "</wp:comment_author_url>\n"
                        f"\t\t\t<wp:comment_author_IP>{_cdata('203.0.113.' + str(cid % 250))}"
                        "</wp:comment_author_IP>\n"
                        f"\t\t\t<wp:comment_date>{_cdata(_date(cwhen))}</wp:comment_date>\n"
                        f"\t\t\t<wp:comment_date_gmt>{_cdata(_date(cwhen))}"
                        "</wp:comment_date_gmt>\n"
                        f"\t\t\t<wp:comment_content>{_cdata(body)}</wp:comment_content>\n"
                        f"\t\t\t<wp:comment_approved>{_cdata(approved)}"
                        "</wp:comment_approved>\n"
                        f"\t\t\t<wp:comment_type>{_cdata(kind if kind != 'comment' else '')}"
                        "</wp:comment_type>\n"
                        f"\t\t\t<wp:comment_parent>{parent}</wp:comment_parent>\n"
                        "\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n"
                        "\t\t</wp:comment>\n")
                    ids_here.append(cid)
                m.posts += 1
            else:
                m.trashed += 1
            m.links.append((wp_id, post_paths[n], "post", status))
            item(wp_id=wp_id, title=f"Post Nº{n}: “quotes” & <ampersands>",
                 link=f"{BASE}{post_paths[n]}", when=when,
                 creator=author_logins[n % authors], content=content,
                 excerpt=f"Excerpt {n}" if n % 3 == 0 else "", name=slug, status=status,
                 parent=0, menu_order=0, post_type="post", extra=extra,
                 body_tail="".join(tail))

        # Pages: a tree, three to a parent.
        page_paths: list[str] = []
        for n, wp_id in enumerate(page_ids):
            parent_index = (n - 1) // 3 if n else -1
            parent = page_ids[parent_index] if parent_index >= 0 else 0
            slug = f"page-{n}"
            page_path = (page_paths[parent_index] if parent_index >= 0 else "/") + slug + "/"
            page_paths.append(page_path)
            m.pages += 1
            m.links.append((wp_id, page_path, "page", "publish"))
            item(wp_id=wp_id, title=f"Page {n}", link=f"{BASE}{page_path}", when=start,
                 creator=author_logins[0], content=f"<p>Page {n} body</p>", excerpt="",
                 name=slug, status="publish", parent=parent, menu_order=n, post_type="page")

        for n, wp_id in enumerate(menu_ids):
            item(wp_id=wp_id, title="", link=f"{BASE}/?p={wp_id}", when=start,
                 creator=author_logins[0], content="", excerpt="", name=str(wp_id),
                 status="publish", parent=0, menu_order=n + 1, post_type="nav_menu_item",
                 extra='\t\t<category domain="nav_menu" nicename="main-menu">'
                       f"{_cdata('Main menu')}</category>\n")
        w("</channel>\n</rss>\n")
    return m
