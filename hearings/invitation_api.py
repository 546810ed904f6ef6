"""REST for undangan: invite organizations to a hearing, list the invitations and their
replies, answer one, download its letter (.docx) and calendar entry (.ics)."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import permissions as accounts_permissions
from accounts.authentication import MemberTokenAuthentication
from accounts.models import Organization
from backend import letters as house_style
from backend.errors import Invalid, NotAllowed, NotFound
from backend.rest import errors
from hearings import invitations, letters, payloads, selectors
from hearings.models import HearingInvitation


class InviteInput(serializers.Serializer):
    organizations = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        allow_empty=False,
        max_length=invitations.MAX_ORGANIZATIONS,
    )


class ReplyInput(serializers.Serializer):
    reply = serializers.ChoiceField(choices=[str(answer) for answer in invitations.ANSWERS])
    delegate_name = serializers.CharField(
        required=False, allow_blank=True, max_length=invitations.DELEGATE_NAME_MAX
    )


INVITATION = OpenApiResponse(
    {"type": "object"},
    "An invitation: id, hearing, organization {id, name, acronym}, number, sent_at, "
    "emailed_at, reply (pending|hadir|tidak_hadir|diwakili), reply_label, delegate_name, "
    "replied_at, checked_in, letter_url, calendar_url.",
)
INVITATIONS = OpenApiResponse(
    {"type": "array", "items": {"type": "object"}}, "Invitations, each as in the reply answer."
)


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class SignedIn(APIView):
    """Undangan are not public: an anonymous caller is asked to sign in (401)."""

    authentication_classes = [MemberTokenAuthentication, SessionAuthentication]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not accounts_permissions.is_authenticated(request.user):
            raise NotAuthenticated()

    def handle_exception(self, exc):
        if isinstance(exc, NotAllowed) and not accounts_permissions.is_authenticated(
            self.request.user
        ):
            exc = NotAuthenticated()
        return super().handle_exception(exc)

    def invitation(self, pk) -> HearingInvitation:
        invitation = selectors.invitations_visible_to(self.request.user).filter(pk=pk).first()
        if invitation is None:
            raise NotFound(_("This invitation does not exist."))
        return invitation


class HearingInvitations(SignedIn):
    """GET/POST hearings/{id}/invitations/."""

    def _hearing(self, pk):
        hearing = selectors.hearings_visible_to(self.request.user).filter(pk=pk).first()
        if hearing is None:
            raise NotFound(_("This hearing does not exist or is not public."))
        return hearing

    @extend_schema(
        summary="Invitations of a hearing and their replies",
        description="Officials and moderators see every invitation; an organization's "
        "members see their own organization's.",
        responses={200: INVITATIONS, **errors(401, 404)},
    )
    def get(self, request, pk):
        hearing = self._hearing(pk)
        rows = selectors.invitations_visible_to(request.user, hearing)
        return Response([payloads.invitation(row) for row in rows])

    @extend_schema(
        summary="Invite organizations to the hearing (letter, e-mail, calendar entry)",
        description="Officials only. Verified organizations only (400). Organizations "
        "invited before are skipped; if all were, 409. The e-mails go out from the job queue.",
        request=InviteInput,
        responses={201: INVITATIONS},
    )
    def post(self, request, pk):
        hearing = self._hearing(pk)
        data = _parse(InviteInput, request.data)
        wanted = set(data["organizations"])
        organizations = list(Organization.objects.filter(pk__in=wanted))
        if len(organizations) != len(wanted):
            raise Invalid(_("Unknown organization."), field="organizations")
        created = invitations.hearing_invite(
            actor=request.user, hearing=hearing, organizations=organizations
        )
        rows = selectors.invitations_visible_to(request.user, hearing).filter(
            pk__in=[row.pk for row in created]
        )
        return Response([payloads.invitation(row) for row in rows], status.HTTP_201_CREATED)


class InvitationReply(SignedIn):
    """POST hearing-invitations/{id}/reply/."""

    @extend_schema(
        summary="Answer an invitation: hadir, tidak_hadir or diwakili",
        description="The invited organization's representative; `delegate_name` is required "
        "with `diwakili`. 409 once the hearing has ended.",
        request=ReplyInput,
        responses={200: INVITATION},
    )
    def post(self, request, pk):
        invitation = self.invitation(pk)
        data = _parse(ReplyInput, request.data)
        invitations.hearing_invitation_reply(
            actor=request.user,
            invitation=invitation,
            reply=data["reply"],
            delegate_name=data.get("delegate_name", ""),
        )
        return Response(payloads.invitation(self.invitation(pk)))


class InvitationLetter(SignedIn):
    """GET hearing-invitations/{id}/letter.docx."""

    @extend_schema(
        summary="The invitation letter as Word",
        responses={(200, house_style.DOCX_CONTENT_TYPE): OpenApiTypes.BINARY, **errors(404)},
    )
    def get(self, request, pk):
        invitation = self.invitation(pk)
        agenda = [row.title for row in selectors.agenda_of(invitation.hearing)]
        response = HttpResponse(
            letters.letter_docx(invitation, agenda=agenda),
            content_type=house_style.DOCX_CONTENT_TYPE,
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{letters.filename(invitation, "docx")}"'
        )
        return response


class InvitationCalendar(SignedIn):
    """GET hearing-invitations/{id}/invitation.ics."""

    @extend_schema(
        summary="The hearing as a calendar entry (.ics)",
        responses={(200, "text/calendar"): OpenApiTypes.BINARY, **errors(404)},
    )
    def get(self, request, pk):
        invitation = self.invitation(pk)
        agenda = [row.title for row in selectors.agenda_of(invitation.hearing)]
        response = HttpResponse(
            letters.invitation_ics(invitation, agenda=agenda),
            content_type=letters.ICS_CONTENT_TYPE,
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{letters.filename(invitation, "ics")}"'
        )
        return response
