from django.urls import path

from . import search_views, tag_views, views

app_name = "feeds"

urlpatterns = [
    path("", views.discover, name="discover"),
    path("following/", views.following, name="following"),
    path("search/", search_views.search_page, name="search"),
    path("tags/<str:name>/", tag_views.tag, name="tag"),
    path("tags/<str:name>/follow/", tag_views.tag_follow, name="tag_follow"),
    path("tags/<str:name>/unfollow/", tag_views.tag_unfollow, name="tag_unfollow"),
]
