from django.shortcuts import render

from consultations import selectors


def home(request):
    consultations = selectors.consultations_visible_to(request.user).filter(status="open")[:10]
    return render(request, "consultations/home.html", {"consultations": consultations})
