"""Open data over HTTP: the catalogue page, each package's descriptor and CSVs, and the
catalogue as JSON in the API (docs/OPEN_DATA.md). Public; no session needed."""

import hashlib
import json

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny

from reports import opendata


def _open(response: HttpResponse, data: bytes) -> HttpResponse:
    """Anyone may fetch it from anywhere (a notebook, another site); the ETag is the hash."""
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = '"' + hashlib.sha256(data).hexdigest() + '"'
    return response


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_safe
def catalogue(request):
    packages = list(opendata.published_packages())
    return render(
        request,
        "reports/open_data.html",
        {"packages": packages, "resources": opendata.RESOURCES},
    )


@require_safe
def datapackage(request, consultation_id: int):
    consultation = opendata.concluded_or_404(consultation_id)
    body = opendata.descriptor(consultation, base_url=_base_url(request))
    data = json.dumps(body, ensure_ascii=False, indent=2).encode()
    return _open(HttpResponse(data, content_type="application/json"), data)


@require_safe
def resource_csv(request, consultation_id: int, name: str):
    consultation = opendata.concluded_or_404(consultation_id)
    resource = opendata.resource_or_404(name)
    data = opendata.csv_bytes(consultation, resource)
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'inline; filename="konsultasi-{consultation.pk}-{resource.filename}"'
    )
    return _open(response, data)


class PackageOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    agency = serializers.CharField(allow_null=True)
    kind = serializers.CharField()
    concluded_at = serializers.DateTimeField()
    license = serializers.CharField(help_text="SPDX id, e.g. CC-BY-4.0.")
    datapackage = serializers.URLField(help_text="The Frictionless Data Package descriptor.")
    resources = serializers.ListField(child=serializers.URLField())


class PackageCursor(CursorPagination):
    """Newest package first; a cursor like every other list of the API."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("-concluded_at", "-id")


class OpenDataCatalogue(ListAPIView):
    """The published data packages: one per concluded consultation, newest first."""

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = PackageOutput
    pagination_class = PackageCursor

    def get_queryset(self):
        return opendata.published_packages()

    @extend_schema(summary="Open data: every published data package (concluded consultations)")
    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        base = _base_url(request)
        rows = [opendata.catalogue_entry(consultation, base_url=base) for consultation in page]
        return self.get_paginated_response(PackageOutput(rows, many=True).data)
