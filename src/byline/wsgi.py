"""WSGI entry point, served by granian (`byline serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings.base")

application = get_wsgi_application()

# Cached pages kept as files are answered before Django (reader/pagecache.py).
from byline.reader.pagecache import wrap_wsgi  # noqa: E402 - needs the settings above

application = wrap_wsgi(application)
