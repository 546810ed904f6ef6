"""Undangan routes: `api_urlpatterns` go under /api/v1/, `urlpatterns` are the pages."""

from django.urls import path

from hearings import invitation_api, views

api_urlpatterns = [
    path(
        "hearings/<id:pk>/invitations/",
        invitation_api.HearingInvitations.as_view(),
        name="hearing-invitation-list",
    ),
    path(
        "hearing-invitations/<id:pk>/reply/",
        invitation_api.InvitationReply.as_view(),
        name="hearing-invitation-reply",
    ),
    path(
        "hearing-invitations/<id:pk>/letter.docx",
        invitation_api.InvitationLetter.as_view(),
        name="hearing-invitation-letter",
    ),
    path(
        "hearing-invitations/<id:pk>/invitation.ics",
        invitation_api.InvitationCalendar.as_view(),
        name="hearing-invitation-ics",
    ),
]

urlpatterns = [
    path(
        "hearings/<id:hearing_id>/undangan/",
        views.hearing_invitations,
        name="hearing-invitations",
    ),
    path(
        "undangan/<id:invitation_id>/balas/",
        views.hearing_invitation_reply,
        name="hearing-invitation-reply-page",
    ),
]
