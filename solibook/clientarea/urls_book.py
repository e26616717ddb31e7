"""The booking wizard's pages, served in the `marketplace` namespace
(`marketplace:book` is what the salon page links to); see config/urls.py."""

from django.urls import path

from solibook.clientarea import wizard

urlpatterns = [
    path("book/<slug:slug>/", wizard.step_services, name="book"),
    path("book/<slug:slug>/time/", wizard.step_time, name="book_time"),
    path("book/d/<str:token>/", wizard.step_details, name="book_details"),
    path("book/d/<str:token>/confirm/", wizard.step_confirm, name="book_confirm"),
    path("book/d/<str:token>/done/", wizard.step_done, name="book_done"),
]
