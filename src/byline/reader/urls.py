from django.urls import include, path, register_converter

from . import converters, views

register_converter(converters.FourDigitYear, "yyyy")
register_converter(converters.TwoDigits, "mm")

app_name = "reader"

urlpatterns = [
    path("", views.home, name="home"),
    path("<yyyy:year>/<mm:month>/<mm:day>/<str:slug>/", views.post_detail, name="post"),
    path("<yyyy:year>/<mm:month>/<mm:day>/", views.archive, name="archive_day"),
    path("<yyyy:year>/<mm:month>/", views.archive, name="archive_month"),
    path("<yyyy:year>/", views.archive, name="archive_year"),
    path("category/<str:slug>/", views.category, name="category"),
    path("tag/<str:slug>/", views.tag, name="tag"),
    path("author/<str:username>/", views.author, name="author"),
    path("", include("byline.reader.urls_feeds")),
    path("", include("byline.reader.urls_search")),
    path("<str:slug>/", views.page_detail, name="page"),
]
