"""`byline nginx_config`: the nginx configuration of the production setup the README
documents, printed for this installation's settings.

nginx answers a reader who is not signed in straight from the page cache's files (the way
WP Super Cache does), serves /static/ from STATIC_ROOT, and passes everything else to
`byline serve` (granian). The cookie list, the file layout and the headers come from the
same settings and code as Django's side (reader/pagecache.py), so the two never disagree.
Include the output inside nginx's `http { }` block.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from byline.reader import pagecache


class Command(BaseCommand):
    help = "Print the nginx configuration for Byline (include it inside http { })."

    def add_arguments(self, parser):
        parser.add_argument("--upstream", default="127.0.0.1:8000",
                            help="Where `byline serve` listens (host:port).")
        parser.add_argument("--listen", default="80", help="nginx's listen directive.")
        parser.add_argument("--server-name", default="_",
                            help="Names this server answers (default: any).")
        parser.add_argument("--static-root", default=str(settings.STATIC_ROOT))

    def handle(self, *args, upstream, listen, server_name, static_root, **options):
        root = pagecache.files_root()
        if root is None:
            raise CommandError("The page cache keeps no files: set BYLINE_PAGE_CACHE=1 and "
                               "BYLINE_PAGE_CACHE_DIR.")
        cookies = "|".join(settings.BYLINE_PAGE_CACHE_PRIVATE_COOKIES)
        headers = "\n".join(f'      add_header {name} "{value}" always;'
                            for name, value in pagecache.served_headers())
        self.stdout.write(f"""# Byline: by `byline nginx_config`; include inside http {{ }}.
upstream byline_app {{
  server {upstream};
  keepalive 64;
}}

# A reader is served from the page cache's files only for a GET or HEAD without a query
# string and without a cookie that makes the page someone's own.
map $http_cookie $byline_private {{
  default 0;
  "~(^|[;,]\\s*)({cookies})=" 1;
}}
map "$request_method$is_args$byline_private" $byline_skip_files {{
  default 1;
  "GET0" 0;
  "HEAD0" 0;
}}

server {{
  listen {listen};
  server_name {server_name};
  client_max_body_size {settings.BYLINE_MAX_UPLOAD_BYTES // (1024 * 1024) + 1}m;

  location /static/ {{
    alias {static_root.rstrip("/")}/;
    gzip_static on;
    expires 1y;
    add_header Cache-Control "public, immutable";
  }}

  location / {{
    error_page 418 = @byline;
    if ($byline_skip_files) {{ return 418; }}
    root {root};
    types {{ text/html html; application/rss+xml rss; application/atom+xml atom; }}
    charset utf-8;
    charset_types text/html application/rss+xml application/atom+xml;
    gzip_static on;
    try_files /$scheme/$host${{uri}}index.html /$scheme/$host${{uri}}index.rss
              /$scheme/$host${{uri}}index.atom @byline;
{headers}
      add_header X-Byline-Cache "hit" always;
  }}

  location @byline {{
    proxy_pass http://byline_app;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_redirect off;
  }}
}}
""")
