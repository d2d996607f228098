"""WSGI entry point, served by granian (`byline serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings.base")

application = get_wsgi_application()
