"""The API's error bodies: always ``{"detail": ...}``, bilingual where they are fixed prose.

API clients are programs as often as people, so each message carries the Chinese and the English text
together rather than following the request language.
"""

from __future__ import annotations

from functools import partial

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError

from redchain.core.errors import ActionRefused

NOT_AUTHENTICATED = "需要登录或有效的访问令牌 / Authentication required"
INVALID_TOKEN = "访问令牌无效或已过期 / Invalid or expired token"  # noqa: S105 - a message, not a secret
BAD_CREDENTIALS = "用户名或密码错误 / Invalid username or password"
LOCKED_OUT = "登录失败次数过多，已暂时锁定，请稍后再试 / Too many failed sign-in attempts; try again later"
NOT_FOUND = "未找到 / Not found"
INVALID_INPUT = "提交的数据有误 / Invalid input"
RATE_LIMITED = "查询过于频繁，请一分钟后再试 / Too many requests; try again in a minute"

# Chinese for the pydantic error types a client meets most; others fall back to a generic message.
_REQUEST_ERRORS = {
    "missing": "此项为必填项 / This field is required",
    "string_too_short": "不能为空或过短 / Too short",
    "string_too_long": "内容过长 / Too long",
    "int_parsing": "须为整数 / Must be an integer",
    "int_type": "须为整数 / Must be an integer",
    "bool_parsing": "须为 true 或 false / Must be true or false",
    "bool_type": "须为 true 或 false / Must be true or false",
    "enum": "不是可选的值 / Not one of the allowed values",
    "literal_error": "不是可选的值 / Not one of the allowed values",
    "datetime_parsing": "日期时间格式不正确 / Invalid date and time",
    "datetime_from_date_parsing": "日期时间格式不正确 / Invalid date and time",
    "greater_than_equal": "数值过小 / Value too small",
    "less_than_equal": "数值过大 / Value too large",
    "string_type": "须为文本 / Must be text",
    "model_attributes_type": "请求体须为 JSON 对象 / The body must be a JSON object",
}


class InvalidToken(AuthenticationError):
    """A bearer token was presented but is unknown, expired or belongs to an inactive user."""

    def __init__(self) -> None:
        super().__init__(message=INVALID_TOKEN)


class LockedOut(HttpError):
    """Too many failed sign-ins for this username and address; ``retry_after`` is in seconds."""

    def __init__(self, *, retry_after: int | None) -> None:
        super().__init__(429, LOCKED_OUT)
        self.retry_after = retry_after


def _unauthorized(request: HttpRequest, exc: AuthenticationError, *, api: NinjaAPI) -> HttpResponse:
    # Ninja raises a bare AuthenticationError ("Unauthorized") when no credential matched at all.
    detail = exc.message if isinstance(exc, InvalidToken) else NOT_AUTHENTICATED
    response = api.create_response(request, {"detail": detail}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


def _not_found(request: HttpRequest, exc: Http404, *, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, {"detail": NOT_FOUND}, status=404)


def _locked_out(request: HttpRequest, exc: LockedOut, *, api: NinjaAPI) -> HttpResponse:
    response = api.create_response(request, {"detail": exc.message}, status=429)
    if exc.retry_after:
        response["Retry-After"] = str(exc.retry_after)
    return response


class RateLimited(HttpError):
    """Too many requests from one address in the current window; ``retry_after`` is in seconds."""

    def __init__(self, *, retry_after: int) -> None:
        super().__init__(429, RATE_LIMITED)
        self.retry_after = retry_after


def _refused(request: HttpRequest, exc: ActionRefused, *, api: NinjaAPI) -> HttpResponse:
    # 409 for a step the state does not allow, 404 for one the user may not take (nothing is confirmed).
    return api.create_response(request, {"detail": f"{exc.zh} / {exc.en}"}, status=exc.status_code)


def validation_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ``ValidationError`` as ``{field: [messages]}``; errors of no field are under ``__all__``."""
    if hasattr(exc, "error_dict"):
        return {field: [str(message) for message in messages] for field, messages in exc.message_dict.items()}
    return {NON_FIELD_ERRORS: [str(message) for message in exc.messages]}


def _invalid(request: HttpRequest, exc: DjangoValidationError, *, api: NinjaAPI) -> HttpResponse:
    errors = validation_errors(exc)
    detail = "；".join(message for messages in errors.values() for message in messages) or INVALID_INPUT
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


def _request_field(error: dict) -> str:
    # ninja's locations start with where the value came from ("body", "query", "path") and the parameter.
    loc = [str(part) for part in error.get("loc", ())]
    return ".".join(loc[2:] or loc[1:] or loc) or NON_FIELD_ERRORS


def _malformed(request: HttpRequest, exc: RequestValidationError, *, api: NinjaAPI) -> HttpResponse:
    """A request that does not match the schema: the same 422 shape as a refused value, in Chinese."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        message = _REQUEST_ERRORS.get(
            error.get("type", ""), f"取值无效 / Invalid value ({error.get('msg', '')})"
        )
        errors.setdefault(_request_field(error), []).append(message)
    return api.create_response(request, {"detail": INVALID_INPUT, "errors": errors}, status=422)


def _rate_limited(request: HttpRequest, exc: RateLimited, *, api: NinjaAPI) -> HttpResponse:
    response = api.create_response(request, {"detail": exc.message}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def install_handlers(api: NinjaAPI) -> None:
    """Replace ninja's English-only 401, 404 and 422 bodies with ours, say when a lockout ends, and answer
    refused loop steps (409/404) and refused values (422) in both languages."""
    api.add_exception_handler(AuthenticationError, partial(_unauthorized, api=api))
    api.add_exception_handler(Http404, partial(_not_found, api=api))
    api.add_exception_handler(LockedOut, partial(_locked_out, api=api))
    api.add_exception_handler(RateLimited, partial(_rate_limited, api=api))
    api.add_exception_handler(ActionRefused, partial(_refused, api=api))
    api.add_exception_handler(DjangoValidationError, partial(_invalid, api=api))
    api.add_exception_handler(RequestValidationError, partial(_malformed, api=api))
