from django.contrib import admin

from .models import Domain, Membership, Site


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "owner", "theme", "is_public"]
    search_fields = ["slug", "title"]
    inlines = [DomainInline, MembershipInline]
