from django.urls import path

from . import views

app_name = "feeds"

urlpatterns = [
    path("", views.discover, name="discover"),
    path("following/", views.following, name="following"),
]
