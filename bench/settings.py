"""Benchmark settings: the production settings plus one extra URL for the minimal vote view."""

from backend.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
