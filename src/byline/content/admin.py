from django.contrib import admin

from .models import Category, Media, Post, RelatedLink, Tag


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    fk_name = "post"
    extra = 0


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "site", "kind", "status", "published_at", "author"]
    list_filter = ["kind", "status", "site"]
    search_fields = ["title"]
    inlines = [RelatedLinkInline]


admin.site.register([Category, Tag, Media])
