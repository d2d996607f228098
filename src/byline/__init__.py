"""Byline: a multi-site blogging platform."""
