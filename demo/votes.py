"""Demo votes for `manage.py load_demo`, cast through the services like a user would."""

from django.contrib.auth import get_user_model

from consultations.models import Consultation
from voting import services


def load_demo_votes(demo=None) -> int:
    """Pelita and FWPL vote on the open consultations; returns the number of votes cast.

    Idempotent: casting the same choice again changes nothing. With load_demo's Demo
    object the consultations are its "policy" and "rpjmd" (the concluded one is still
    open while extensions run and gets no votes); without it, the newest open ones.
    """
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["pelita", "fwpl"])
    }
    open_consultations = Consultation.objects.filter(status=Consultation.Status.OPEN)
    known = getattr(demo, "consultations", None) or {}
    cast = 0
    policy = known.get("policy") or (
        open_consultations.filter(kind=Consultation.Kind.POLICY_DRAFT).first()
    )
    if policy is not None:
        items = list(policy.items.order_by("position", "id"))
        plan = {"pelita": ["for", "against"], "fwpl": ["for", "abstain"]}
        for username, choices in plan.items():
            user = users.get(username)
            for item, choice in zip(items, choices, strict=False):
                if user is not None:
                    services.vote_cast(actor=user, item=item, choice=choice)
                    cast += 1
    rpjmd = known.get("rpjmd") or open_consultations.filter(kind=Consultation.Kind.RPJMD).first()
    if rpjmd is not None:
        items = list(rpjmd.items.order_by("position", "id"))
        plan = {"pelita": [0, 2], "fwpl": [0, 1, 3]}
        for username, picks in plan.items():
            user = users.get(username)
            for index in picks[: rpjmd.max_choices]:
                if user is not None and index < len(items):
                    services.vote_cast(actor=user, item=items[index], choice="approve")
                    cast += 1
    if demo is not None:
        demo.log(f"Votes: {cast} demo votes cast (pelita, fwpl).")
    return cast
