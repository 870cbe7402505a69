"""Language selection: Simplified Chinese unless the user chose otherwise."""

from django.conf import settings
from django.utils import translation


class ChosenLanguageMiddleware:
    """Activate the language from the switcher's cookie, else ``LANGUAGE_CODE`` (zh-hans).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many office browsers in
    China send English first; the people using redchain expect Chinese until they switch.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
