"""Moderating comments: the queue, one comment's actions (also linked from notification
mails), replying and editing."""

from django.urls import path

from .views import comments

urlpatterns = [
    path("comments/", comments.comments, name="comments"),
    path("comments/<int:pk>/approve/", comments.comment_approve_view, name="comment_approve"),
    path("comments/<int:pk>/unapprove/", comments.comment_unapprove_view,
         name="comment_unapprove"),
    path("comments/<int:pk>/spam/", comments.comment_spam_view, name="comment_spam"),
    path("comments/<int:pk>/trash/", comments.comment_trash_view, name="comment_trash"),
    path("comments/<int:pk>/restore/", comments.comment_restore_view, name="comment_restore"),
    path("comments/<int:pk>/delete/", comments.comment_delete_view, name="comment_delete"),
    path("comments/<int:pk>/reply/", comments.comment_reply, name="comment_reply"),
    path("comments/<int:pk>/edit/", comments.comment_edit, name="comment_edit"),
]
