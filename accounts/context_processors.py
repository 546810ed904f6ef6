from django.conf import settings

from accounts import permissions


def roles(request):
    user = getattr(request, "user", None)
    return {
        "city_name": settings.RUANG["CITY_NAME"],
        "is_official": permissions.is_official(user),
        "is_moderator": permissions.is_moderator(user),
        "is_planner": permissions.is_planner(user),
    }
