"""The conversation's addresses on a site (comment, like, follow, subscribe).

Every path starts with "_/" so it can never shadow a page's slug.
"""

from django.urls import path

from . import social_urls, views

app_name = "discussion"

urlpatterns = [
    path("_/comment/<int:post_id>/", views.comment_post, name="comment_post"),
    *social_urls.urlpatterns,
]
