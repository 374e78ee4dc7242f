from django.utils.deprecation import MiddlewareMixin

# No inline scripts or styles anywhere: everything comes from our own static files.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; media-src 'self' blob:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


def site_csp(media_origins: list[str]) -> str:
    """The site's CSP; media served by presigned redirects (S3) adds its origins where the
    player (hls.js fetches, <video>), thumbnails and document frames load them."""
    if not media_origins:
        return CSP
    extra = " ".join(media_origins)
    return (
        CSP.replace("img-src 'self' data:", f"img-src 'self' data: {extra}")
        .replace("connect-src 'self'", f"connect-src 'self' {extra}")
        .replace("media-src 'self' blob:", f"media-src 'self' blob: {extra}")
        + f"; frame-src 'self' {extra}"
    )


class ContentSecurityPolicyMiddleware(MiddlewareMixin):
    def process_response(self, request, response):
        from django.conf import settings

        policy = site_csp(getattr(settings, "MEDIA_ORIGINS", []))
        response.headers.setdefault("Content-Security-Policy", policy)
        return response


class SiteLanguageMiddleware:
    """Simplified Chinese unless the person chose another language (cookie).

    The browser's Accept-Language is deliberately ignored: an official's English-language
    browser must not turn the platform into English.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override() restores the thread's language afterwards: one person's choice must
        # not leak into work the same thread does next (jobs, other requests, tests).
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
