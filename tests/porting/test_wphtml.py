"""WordPress post HTML into plain HTML: block comments, shortcodes, auto-paragraphs."""

from byline.porting.wphtml import Attachment, html_depth, rewrite_links, to_html, wpautop
from byline.rendering import sanitize_post_html


def test_block_editor_comments_are_removed_and_blocks_are_not_autop_ed():
    source = ("<!-- wp:paragraph -->\n<p>One</p>\n<!-- /wp:paragraph -->\n\n"
              '<!-- wp:image {"id":5} -->\n<figure><img src="a.jpg"></figure>\n'
              "<!-- /wp:image -->")
    assert to_html(source) == '<p>One</p>\n\n<figure><img src="a.jpg"></figure>\n'


def test_classic_content_gets_paragraphs_and_line_breaks():
    assert wpautop("One\nline two\n\nThree") == "<p>One<br>\nline two</p>\n<p>Three</p>"


def test_autop_leaves_block_elements_and_pre_alone():
    source = "Intro\n\n<blockquote>Quote</blockquote>\n\n<pre>a\n\nb</pre>\n\nEnd"
    assert wpautop(source) == ("<p>Intro</p>\n<blockquote>Quote</blockquote>\n"
                               "<pre>a\n\nb</pre>\n<p>End</p>")


def test_caption_becomes_figure_and_figcaption():
    source = ('[caption id="attachment_7" align="alignright" width="300"]'
              '<a href="big.jpg"><img src="small.jpg" alt="A cat"></a> A <em>cat</em>[/caption]')
    assert sanitize_post_html(to_html(source)).replace("\n", "") == (
        '<figure><a href="big.jpg" rel="noopener noreferrer"><img src="small.jpg" '
        'alt="A cat"></a><figcaption>A <em>cat</em></figcaption></figure>')


def test_old_style_caption_attribute():
    html = to_html('[caption caption="Old &amp; style"]<img src="x.jpg">[/caption]')
    assert "<figcaption>Old &amp; style</figcaption>" in html


def test_gallery_of_attached_images_or_of_ids():
    attachments = {
        1: Attachment(wp_id=1, parent=10, url="https://old.example/a.jpg", alt="A",
                      caption="First", menu_order=2),
        2: Attachment(wp_id=2, parent=10, url="https://old.example/b.jpg", alt="B",
                      menu_order=1),
        3: Attachment(wp_id=3, parent=11, url="https://old.example/c.jpg"),
    }
    attached = to_html("[gallery]", attachments=attachments, post_wp_id=10)
    assert attached.index("b.jpg") < attached.index("a.jpg")  # menu order
    assert "c.jpg" not in attached
    assert "<figcaption>First</figcaption>" in attached
    chosen = to_html('[gallery ids="3,1"]', attachments=attachments, post_wp_id=10)
    assert chosen.index("c.jpg") < chosen.index("a.jpg")
    assert "b.jpg" not in chosen


def test_embed_becomes_a_link():
    assert '<a href="https://www.youtube.com/watch?v=x">' in to_html(
        "[embed]https://www.youtube.com/watch?v=x[/embed]")


def test_depth_counts_nesting_not_length():
    assert html_depth("<div>a</div>" * 1000) == 1
    assert html_depth("<div>" * 50 + "</div>" * 50) == 50
    assert html_depth("<img><br><hr>") == 0


def test_rewrite_links_only_touches_what_it_knows():
    source = '<a href="https://old.example/?p=1">a</a> <img src=\'https://cdn/x.jpg\'>'

    def new_address(url):
        return "/2020/01/02/post/" if url.endswith("?p=1") else None

    assert rewrite_links(source, new_address) == (
        '<a href="/2020/01/02/post/">a</a> <img src=\'https://cdn/x.jpg\'>')
