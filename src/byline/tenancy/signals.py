"""Signals other apps listen to (tenancy is at the bottom: it may not import them)."""

from django.dispatch import Signal

# Sent once a change a reader could see on a site is committed; kwargs: site_id.
content_changed = Signal()
