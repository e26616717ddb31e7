from django.urls import path

from solibook.clientarea.views import classes, client, manage, payment, public, series, waitlist

app_name = "clientarea"

urlpatterns = [
    path("me/", client.visits, name="visits"),
    path("me/visits/<id:appointment_id>/cancel/", client.visit_cancel, name="visit_cancel"),
    path(
        "me/visits/<id:appointment_id>/reschedule/",
        client.visit_reschedule,
        name="visit_reschedule",
    ),
    path("me/visits/<id:appointment_id>/review/", client.visit_review, name="visit_review"),
    path("me/favourites/", client.favourites, name="favourites"),
    path("me/favourites/toggle/", client.favourite_toggle, name="favourite_toggle"),
    path("me/profile/", client.profile, name="profile"),
    # Waitlist and repeating visits (the wizard's group classes are below).
    path("me/waitlist/", waitlist.my_waitlist, name="waitlist"),
    path("me/waitlist/<id:entry_id>/leave/", waitlist.waitlist_leave, name="waitlist_leave"),
    path("me/waitlist/<id:entry_id>/offer/", waitlist.waitlist_offer, name="waitlist_offer"),
    path("me/series/<id:series_id>/", series.series_report, name="series"),
    path("book/<slug:slug>/classes/", classes.class_list, name="classes"),
    path("book/<slug:slug>/classes/<id:session_id>/", classes.class_book, name="class_book"),
    path("book/<slug:slug>/waitlist/", waitlist.waitlist_join, name="waitlist_join"),
    path("book/<slug:slug>/series/", series.series_book, name="series_book"),
    # The booking wizard (guests and clients book from a salon's page).
    path("book/<slug:slug>/", public.step_services, name="book"),
    path("book/<slug:slug>/time/", public.step_time, name="book_time"),
    path("book/d/<str:token>/", public.step_details, name="book_details"),
    path("book/d/<str:token>/confirm/", public.step_confirm, name="book_confirm"),
    path("book/d/<str:token>/done/", public.step_done, name="book_done"),
    # One booking managed through its signed link (no account needed).
    path("m/<str:token>/", manage.manage, name="manage"),
    path("m/<str:token>/visit.ics", manage.manage_ics, name="manage_ics"),
    path("m/<str:token>/reschedule/", manage.manage_reschedule, name="manage_reschedule"),
    path("m/<str:token>/cancel/", manage.manage_cancel, name="manage_cancel"),
    path("m/<str:token>/pay/", manage.manage_pay, name="manage_pay"),
    path("m/<str:token>/pay/return/", manage.manage_pay_return, name="manage_pay_return"),
    # Paying online: the wizard's deposit, and what a visit still owes later.
    path("book/d/<str:token>/pay/", payment.book_pay, name="book_pay"),
    path("book/d/<str:token>/pay/return/", payment.book_pay_return, name="book_pay_return"),
    path("me/visits/<id:appointment_id>/pay/", payment.visit_pay, name="visit_pay"),
    path(
        "me/visits/<id:appointment_id>/pay/return/",
        payment.visit_pay_return,
        name="visit_pay_return",
    ),
]
