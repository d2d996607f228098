"""Site-side addresses of likes, follows and e-mail subscriptions (spliced into
discussion/urls.py; every path starts with "_/" so no page slug is ever shadowed)."""

from django.urls import path

from . import social_views

urlpatterns = [
    path("_/like/<int:post_id>/", social_views.like, name="like"),
    path("_/follow/", social_views.follow, name="follow"),
    path("_/subscribe/", social_views.subscribe, name="subscribe"),
    path("_/subscribe/confirm/<str:token>/", social_views.subscribe_confirm,
         name="subscribe_confirm"),
    path("_/unsubscribe/comments/<str:token>/", social_views.unsubscribe_comments,
         name="unsubscribe_comments"),
    path("_/unsubscribe/replies/<str:token>/", social_views.unsubscribe_replies,
         name="unsubscribe_replies"),
    path("_/unsubscribe/<str:token>/", social_views.unsubscribe, name="unsubscribe"),
]
