"""Request body caps, answered as problem+json 413 whether the body is sized or chunked."""

from collections.abc import Callable

from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import PROBLEM_MEDIA_TYPE, PayloadTooLarge, problem_body, problem_instance


async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    body = problem_body(
        status=PayloadTooLarge.status,
        slug=PayloadTooLarge.slug,
        title=PayloadTooLarge.title,
        detail=f"Begärans innehåll får vara högst {limit} byte.",
        instance=problem_instance(scope),
    )
    response = JSONResponse(body, status_code=413, media_type=PROBLEM_MEDIA_TYPE)
    await response(scope, receive, send)


class BodyLimitMiddleware:
    """A declared Content-Length over the cap is refused before the app runs; a chunked body is
    read up to the cap (the endpoints read whole bodies anyway) and refused once it passes it."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.isdigit() or int(declared) > limit:
                await _refuse(scope, receive, send, limit)
                return
            await self.app(scope, receive, send)
            return
        if "chunked" not in headers.get("transfer-encoding", "").lower():
            await self.app(scope, receive, send)
            return

        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _refuse(scope, receive, send, limit)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay, send)
