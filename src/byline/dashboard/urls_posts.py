"""Writing: the Posts and Pages lists, the editor and its endpoints, revisions."""

from django.urls import path

from .views import editor, posts, revisions

urlpatterns = [
    path("posts/", posts.posts, name="posts"),
    path("pages/", posts.pages, name="pages"),
    path("posts/new/", editor.post_new, name="post_new"),
    path("pages/new/", editor.page_new, name="page_new"),
    path("posts/preview/", editor.post_preview, name="post_preview"),
    path("posts/autosave/", editor.post_autosave_new, name="post_autosave_new"),
    path("posts/search/", editor.post_search, name="post_search"),
    path("posts/<int:pk>/", editor.post_edit, name="post_edit"),
    path("posts/<int:pk>/autosave/", editor.post_autosave_view, name="post_autosave"),
    path("posts/<int:pk>/trash/", posts.post_trash_view, name="post_trash"),
    path("posts/<int:pk>/restore/", posts.post_restore_view, name="post_restore"),
    path("posts/<int:pk>/updates/<int:update_pk>/cancel/",
         editor.scheduled_update_cancel_view, name="scheduled_update_cancel"),
    path("posts/<int:pk>/revisions/", revisions.revisions, name="revisions"),
    path("posts/<int:pk>/revisions/compare/", revisions.revision_compare,
         name="revision_compare"),
    path("posts/<int:pk>/revisions/<int:revision_pk>/restore/",
         revisions.revision_restore_view, name="revision_restore"),
]
