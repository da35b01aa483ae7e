"""One exception tree. Refusals are values (GuardDecision), never exceptions.

SightguardError
├── ConfigError                  bad settings file or variable (startup)
└── RequestError                 maps to an OpenAI error envelope with a 4xx/5xx status
    ├── InvalidRequest       400 a parameter is wrong (param names it: messages[0].content[2])
    ├── Unauthorized         401
    ├── NotFound             404
    ├── PayloadTooLarge      413
    ├── UnsupportedMedia     415
    └── BackendError         502 the model behind us failed
        └── BackendTimeout   504
"""

from __future__ import annotations


class SightguardError(Exception):
    pass


class ConfigError(SightguardError):
    pass


class RequestError(SightguardError):
    status = 400
    type = "invalid_request_error"

    def __init__(self, message: str, *, param: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        self.code = code

    def envelope(self) -> dict[str, object]:
        return {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}


class InvalidRequest(RequestError):
    status = 400


class Unauthorized(RequestError):
    status = 401
    type = "authentication_error"


class PayloadTooLarge(RequestError):
    status = 413


class UnsupportedMedia(RequestError):
    status = 415


class BackendError(RequestError):
    status = 502
    type = "backend_error"


class BackendTimeout(BackendError):
    status = 504
