"""HTML → PDF/A-3b for documents of the record (agreements, joint pictures, minutes, evaluations).

WeasyPrint needs Pango from the OS, so it is imported only when a PDF is asked for: the rest of the app
runs without it, and ``pdf_response`` answers 503 with a clear page instead.
WeasyPrint must not reach the network: its URL fetcher serves our static files and nothing else, and
the fonts (DejaVu) come from the OS through fontconfig and are embedded in the file.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import mimetypes
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

logger = logging.getLogger(__name__)

# Documents for the record are archived as PDF/A (domain.md); 3b is what WeasyPrint produces reliably.
PDF_VARIANT = "pdf/a-3b"
# A base for relative links in the HTML; never fetched (see _static_only_fetcher).
BASE_URL = "https://samverkan.invalid/"


def _static_path(url: str) -> str | None:
    """The file behind one of our own static URLs, or None for anything else."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(settings.STATIC_URL):
        return None
    relative = parts.path.removeprefix(settings.STATIC_URL)
    if ".." in relative.split("/"):
        return None
    found = finders.find(relative)
    if isinstance(found, str):
        return found
    if staticfiles_storage.exists(relative):  # collected files (production)
        return staticfiles_storage.path(relative)
    return None


def _static_only_fetcher(weasyprint: Any) -> Any:
    class StaticOnlyFetcher(weasyprint.urls.URLFetcher):  # type: ignore[misc,name-defined]
        def fetch(self, url: str, headers: Any = None) -> Any:
            path = _static_path(url)
            if path is None:
                raise ValueError(f"Not fetched: {url} (PDFs use our own static files only)")
            with open(path, "rb") as handle:
                body = handle.read()
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticOnlyFetcher()


def render_pdf(html: str) -> bytes:
    """HTML → PDF/A-3b bytes. Raises ImportError when WeasyPrint or Pango is missing."""
    import weasyprint  # lazily: it needs Pango from the OS

    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=_static_only_fetcher(weasyprint))
    # Tagged (structure for screen readers) on top of 3b: public-sector documents should be accessible.
    return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)


# A PDF made from the same HTML is the same document: kept this long under the HTML's hash.
PDF_CACHE_SECONDS = 600


@functools.cache
def _release() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{version('samverkan')}+{version('weasyprint')}"
    except PackageNotFoundError:
        return "unknown"


def cached_pdf(html: str) -> bytes:
    """``render_pdf(html)``, kept under the SHA-256 of the HTML: the layout of a long document takes
    seconds, and the HTML (a few milliseconds) says everything the PDF shows, so an unchanged document
    is not laid out again; any change to what it shows is a new key. Only for documents whose HTML holds
    nothing that differs per request (no token, no time of printing). Off with the setting
    ``PDF_CACHE = False`` (the bench measures the layout itself that way)."""
    if not getattr(settings, "PDF_CACHE", True):
        return render_pdf(html)
    # The HTML names its stylesheets, not their content (hashed names only with the manifest storage),
    # so the release is in the key too: a deployment never serves a PDF laid out by the one before.
    key = f"pdf:{PDF_VARIANT}:{_release()}:{hashlib.sha256(html.encode()).hexdigest()}"
    found = cache.get(key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    pdf = render_pdf(html)
    cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


def pdf_response(
    request: HttpRequest,
    *,
    template: str,
    context: dict[str, Any],
    filename: str,
    unavailable_template: str,
    cached: bool = False,
) -> HttpResponse:
    """Render ``template`` to a PDF/A download; without WeasyPrint/Pango, ``unavailable_template`` (503).
    ``cached``: through ``cached_pdf`` (the template's output must be the same for the same document)."""
    html = render_to_string(template, context, request=request)
    try:
        pdf = cached_pdf(html) if cached else render_pdf(html)
    except (ImportError, OSError):
        logger.exception("PDF could not be made: WeasyPrint or Pango is missing")
        body = render_to_string(unavailable_template, context, request=request)
        return HttpResponse(body, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
