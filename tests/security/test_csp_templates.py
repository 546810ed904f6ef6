"""No inline code in any template: the Content-Security-Policy runs scripts and styles only
from our static files, so an inline <script>, <style>, style="…", on*="…" handler or a
javascript: URL would simply not work (and would mean the policy has to be loosened).
Scripts get their data from data-* attributes or json_script blocks, which are JSON, never
executed. A new template with inline code fails here."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIP = {".venv", "var", "node_modules", ".git", "tests"}

INLINE_CODE = {
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE),
    "<style> block": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.IGNORECASE),
    "event handler attribute": re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript\s*:", re.IGNORECASE),
}


def inline_code(text: str) -> list[str]:
    return [name for name, pattern in INLINE_CODE.items() if pattern.search(text)]


def our_templates() -> list[Path]:
    found = []
    for path in ROOT.rglob("*.html"):
        parts = path.relative_to(ROOT).parts
        if SKIP.isdisjoint(parts) and "templates" in parts:
            found.append(path)
    return sorted(found)


def test_the_scan_finds_the_templates_of_every_app():
    names = {path.relative_to(ROOT).parts[0] for path in our_templates()}
    assert {"backend", "consultations", "comments", "realtime", "reports", "voting"} <= names


@pytest.mark.parametrize("path", our_templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_template_carries_no_inline_script_style_or_handler(path):
    found = inline_code(path.read_text(encoding="utf-8"))
    if "email" in path.relative_to(ROOT).parts:
        # An e-mail is read in a mail client, not under our CSP, and mail clients drop
        # linked stylesheets: style attributes are how an HTML e-mail is styled. Scripts,
        # handlers and javascript: URLs stay forbidden there too.
        found = [name for name in found if name != "style attribute"]
    assert found == []


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script type="module">import "./x.js";</script>',
        "<style>body { color: red }</style>",
        '<span style="width: 40%"></span>',
        '<button type="button" onclick="window.print()">Cetak</button>',
        '<img src="x.png" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<body onload="start()">',
    ],
)
def test_the_scan_catches_inline_code(snippet):
    assert inline_code(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        "<script src=\"{% static 'realtime/screen.js' %}\" defer></script>",
        '<script type="module" src="{% static \'reports/dashboard.js\' %}"></script>',
        '{{ live_config|json_script:"live-config" }}',
        '<button type="button" class="button" data-print>Cetak</button>',
        '<link rel="stylesheet" href="/static/css/app.css">',
        "<p>Diskusi berlangsung online; the style of the draft</p>",
    ],
)
def test_the_scan_lets_script_files_data_attributes_and_json_blocks_pass(snippet):
    assert inline_code(snippet) == []
