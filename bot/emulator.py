"""A Telegram Bot API emulator: a real HTTP server on 127.0.0.1 that python-telegram-bot talks to.

The production Application is pointed at it with ``base_url``/``base_file_url``; nothing in the bot
knows the difference. Tests and the terminal chat play the user through :meth:`BotAPIEmulator.push_text`,
:meth:`~BotAPIEmulator.push_document` and :meth:`~BotAPIEmulator.push_callback`, and read what the bot
sent with :meth:`~BotAPIEmulator.wait_for_replies`. Every API call is recorded, and faults (429 with
retry_after, 5xx, 403 blocked, slow answers) can be injected per method.

When the bot sets a webhook, pushed updates are POSTed to it (with the secret token header) instead of
being queued for getUpdates, which then answers 409 Conflict as Telegram does.

It is as strict as Telegram where our code could go wrong: HTML must parse (only Telegram's tags, every
``<``/``&`` escaped), messages ≤ 4096 and captions ≤ 1024 characters, callback data ≤ 64 bytes, file
downloads ≤ 20 MB, editing a message that does not exist or did not change is an error.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import io
import itertools
import json
import logging
import mimetypes
import os
import re
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web
from telegram.constants import FileSizeLimit, MessageLimit

log = logging.getLogger(__name__)

DEFAULT_TOKEN = "123456789:EMULATOR-token"
BOT_USERNAME = "nianbao_bot"
BOT_NAME = "年报助手"
CAPTION_LIMIT = MessageLimit.CAPTION_LENGTH
CALLBACK_DATA_LIMIT = 64
ALERT_LIMIT = 200
# Parameters that are strings in the Bot API; PTB sends every other value JSON-encoded.
_STRING_FIELDS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "file_id",
        "action",
        "language_code",
        "url",
        "secret_token",
        "inline_message_id",
        "business_connection_id",
        "message_effect_id",
        "filename",
    }
)
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_ALLOWED_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
    }
)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*)?)>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")


def ensure_no_proxy() -> None:
    """httpx honours proxy variables; requests to the emulator must go straight to 127.0.0.1."""
    for var in ("NO_PROXY", "no_proxy"):
        hosts = [h for h in os.environ.get(var, "").split(",") if h]
        os.environ[var] = ",".join(dict.fromkeys([*hosts, "127.0.0.1", "localhost"]))


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


def html_to_text(text: str) -> str:
    """Telegram's HTML parse mode: validate like the server does and return the text the user sees."""
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "<":
            m = _TAG.match(text, i)
            if not m:
                raise ApiError(400, f"Bad Request: can't parse entities: unexpected '<' at byte offset {i}")
            closing, name = m.group(1), m.group(2).lower()
            if name not in _ALLOWED_TAGS:
                raise ApiError(400, f'Bad Request: can\'t parse entities: unsupported start tag "{name}"')
            if closing:
                if not stack or stack[-1] != name:
                    raise ApiError(400, f'Bad Request: can\'t parse entities: unmatched end tag "{name}"')
                stack.pop()
            else:
                stack.append(name)
            i = m.end()
        elif ch == "&":
            m = _ENTITY.match(text, i)
            if not m:
                raise ApiError(400, f"Bad Request: can't parse entities: unescaped '&' at offset {i}")
            out.append(html.unescape(m.group(0)))
            i = m.end()
        elif ch == ">":
            raise ApiError(400, f"Bad Request: can't parse entities: unescaped '>' at offset {i}")
        else:
            out.append(ch)
            i += 1
    if stack:
        raise ApiError(
            400, f"Bad Request: can't parse entities: can't find end tag corresponding to \"{stack[-1]}\""
        )
    return "".join(out)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    fault: str | None = None
    at: float = field(default_factory=time.monotonic)


@dataclass
class Output:
    """Something the bot did in a chat: sent, edited or deleted a message."""

    kind: str  # "message" | "document" | "photo" | "edit" | "delete"
    chat_id: int
    message: dict[str, Any]
    html: str = ""  # text or caption as the bot sent it (before parsing)
    data: bytes | None = None  # the file, for documents and photos

    @property
    def text(self) -> str:
        return self.message.get("text") or self.message.get("caption") or ""

    @property
    def message_id(self) -> int:
        return self.message["message_id"]

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Inline buttons, row by row flattened: each {"text", "callback_data"} (or "url")."""
        markup = self.message.get("reply_markup") or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]

    @property
    def filename(self) -> str | None:
        return (self.message.get("document") or {}).get("file_name")


@dataclass
class Fault:
    method: str
    kind: str  # "429" | "5xx" | "403" | "delay"
    times: int
    retry_after: int = 1
    delay: float = 0.0
    chat_id: int | None = None
    skip: int = 0  # matching calls let through before the fault starts


class BotAPIEmulator:
    def __init__(self, token: str = DEFAULT_TOKEN, *, host: str = "127.0.0.1", port: int = 0) -> None:
        ensure_no_proxy()
        self.token = token
        self.host = host
        self.port = port
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_user = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": BOT_NAME,
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.calls: list[Call] = []
        self.outputs: list[Output] = []
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.files: dict[str, tuple[dict[str, Any], bytes]] = {}  # file_id → (File object, content)
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}  # (chat_id, message_id) → Message
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.pending_callbacks: set[str] = set()
        self._faults: list[Fault] = []
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self.last_update_id = 0
        self._polls_released = False
        self._outputs_by_chat: dict[int, list[Output]] = {}
        self._chats: dict[int, dict[str, Any]] = {}  # chat id → Chat, as users' messages described it
        self.webhook_url: str | None = None
        self.webhook_secret: str | None = None
        self._deliveries: set[asyncio.Task[None]] = set()
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._file_ids = itertools.count(1)
        self._cursor: dict[int, int] = {}
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._handlers: dict[str, Callable[[dict[str, Any], dict[str, bytes]], Any]] = {
            "getMe": lambda p, f: self.bot_user,
            "logOut": lambda p, f: True,
            "close": lambda p, f: True,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": lambda p, f: {
                "url": self.webhook_url or "",
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            },
            "sendChatAction": self._send_chat_action,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "sendDocument": lambda p, f: self._send_file("document", p, f),
            "sendPhoto": lambda p, f: self._send_file("photo", p, f),
            "getFile": self._get_file,
            "answerCallbackQuery": self._answer_callback_query,
        }

    # ------------------------------------------------------------ server lifecycle

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    async def start(self) -> BotAPIEmulator:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/bot{token}/{method}", self._serve_method)
        app.router.add_get("/bot{token}/{method}", self._serve_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._serve_file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        log.info("Bot API emulator listening on %s:%s", self.host, self.port)
        return self

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotAPIEmulator:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ------------------------------------------------------------ HTTP

    async def _serve_method(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return self._error(ApiError(401, "Unauthorized"))
        method = request.match_info["method"]
        params, files = await self._read_params(request)
        call = Call(method, params, files)
        self.calls.append(call)
        fault = self._take_fault(method, params)
        if fault:
            call.fault = fault.kind
            if fault.kind == "delay":
                await asyncio.sleep(fault.delay)
            else:
                return self._error(self._fault_error(fault))
        handler = self._handlers.get(method)
        try:
            if method == "getUpdates":
                result = await self._get_updates(params)
            elif handler is None:
                raise ApiError(400, f"Bad Request: method {method} is not implemented by the emulator")
            else:
                result = handler(params, files)
        except ApiError as exc:
            return self._error(exc)
        if method != "getUpdates":
            async with self._changed:
                self._changed.notify_all()
        return web.json_response(
            {"ok": True, "result": result}, dumps=lambda o: json.dumps(o, ensure_ascii=False)
        )

    async def _serve_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        for meta, content in self.files.values():
            if meta.get("file_path") == path:
                return web.Response(body=content, content_type="application/octet-stream")
        return web.Response(status=404)

    @staticmethod
    async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
        params: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        if request.content_type == "application/json":
            return dict(await request.json()), files
        form = await request.post()
        for name, value in form.items():
            if isinstance(value, web.FileField):
                files[name] = value.file.read()
                params[name] = {"filename": value.filename, "attach": name}
            elif name in _STRING_FIELDS:
                params[name] = value
            else:
                try:
                    params[name] = json.loads(value)
                except ValueError:
                    params[name] = value
        return params, files

    @staticmethod
    def _error(exc: ApiError) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": exc.code, "description": exc.description}
        if exc.parameters:
            body["parameters"] = exc.parameters
        return web.json_response(body, status=exc.code)

    # ------------------------------------------------------------ faults

    def fail_next(
        self,
        method: str,
        kind: str = "429",
        *,
        times: int = 1,
        retry_after: int = 1,
        delay: float = 0.0,
        chat_id: int | None = None,
        skip: int = 0,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (optionally only for ``chat_id``) fail, after letting
        ``skip`` of them through (e.g. skip=1: an upload's acknowledgement goes out, its summary fails).

        ``kind``: "429" (Too Many Requests with retry_after), "5xx" (502 Bad Gateway), "403" (bot blocked
        by the user), or "delay" (answer normally after ``delay`` seconds, e.g. longer than the client's
        read timeout).
        """
        if kind not in ("429", "5xx", "403", "delay"):
            raise ValueError(f"unknown fault kind {kind!r}")
        self._faults.append(Fault(method, kind, times, retry_after, delay, chat_id, skip))

    def _take_fault(self, method: str, params: dict[str, Any]) -> Fault | None:
        for fault in self._faults:
            if fault.method == method and (fault.chat_id is None or params.get("chat_id") == fault.chat_id):
                if fault.skip:
                    fault.skip -= 1
                    return None
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    @staticmethod
    def _fault_error(fault: Fault) -> ApiError:
        if fault.kind == "429":
            return ApiError(
                429, f"Too Many Requests: retry after {fault.retry_after}", {"retry_after": fault.retry_after}
            )
        if fault.kind == "403":
            return ApiError(403, "Forbidden: bot was blocked by the user")
        return ApiError(502, "Bad Gateway")

    # ------------------------------------------------------------ updates (the user's side)

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    @staticmethod
    def _user(user_id: int, language_code: str | None, first_name: str | None = None) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name or f"用户{user_id}"}
        if language_code:
            user["language_code"] = language_code
        return user

    def _chat(self, chat_id: int, user_id: int, chat_type: str | None = None) -> dict[str, Any]:
        chat_type = chat_type or (
            "private" if chat_id == user_id else "supergroup" if chat_id < 0 else "group"
        )
        if chat_type == "private":
            chat = {"id": chat_id, "type": "private", "first_name": f"用户{user_id}"}
        else:
            chat = {"id": chat_id, "type": chat_type, "title": "测试群"}
        self._chats[chat_id] = chat
        return chat

    def _user_message(
        self,
        chat_id: int,
        user_id: int,
        *,
        language_code: str | None,
        chat_type: str | None,
        reply_to_message_id: int | None,
    ) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": self._chat(chat_id, user_id, chat_type),
            "from": self._user(user_id, language_code),
        }
        if reply_to_message_id is not None:
            replied = self.messages.get((chat_id, reply_to_message_id))
            if replied:
                message["reply_to_message"] = replied
        return message

    def release_polls(self) -> None:
        """From now on getUpdates answers at once: a bot shutting down need not wait out its long poll."""
        self._polls_released = True
        self._wake()

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue a raw update (its update_id is assigned here) and wake a waiting getUpdates."""
        update["update_id"] = self.last_update_id = next(self._update_ids)
        if self.webhook_url:
            task = asyncio.get_running_loop().create_task(self._deliver(update))
            self._deliveries.add(task)
            task.add_done_callback(self._deliveries.discard)
        else:
            self._updates.append(update)
            self._wake()
        return update["update_id"]

    def _wake(self) -> None:
        async def notify() -> None:
            async with self._changed:
                self._changed.notify_all()

        asyncio.get_running_loop().create_task(notify())

    def push_text(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        *,
        language_code: str | None = "zh-hans",
        chat_type: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> int:
        """The user sends ``text``. Commands and @mentions get their entities, as Telegram adds them."""
        message = self._user_message(
            chat_id,
            user_id,
            language_code=language_code,
            chat_type=chat_type,
            reply_to_message_id=reply_to_message_id,
        )
        message["text"] = text
        entities = []
        if text.startswith("/"):
            head = text.split(maxsplit=1)[0]
            entities.append({"type": "bot_command", "offset": 0, "length": _utf16_len(head)})
        for m in re.finditer(r"@\w+", text):
            entities.append(
                {"type": "mention", "offset": _utf16_len(text[: m.start()]), "length": _utf16_len(m.group(0))}
            )
        if entities:
            message["entities"] = entities
        self.messages[(chat_id, message["message_id"])] = message
        return self.push_update({"message": message})

    def push_document(
        self,
        chat_id: int,
        user_id: int,
        filename: str,
        data: bytes,
        *,
        file_size: int | None = None,
        mime_type: str | None = None,
        caption: str | None = None,
        language_code: str | None = "zh-hans",
        chat_type: str | None = None,
    ) -> int:
        """The user sends a file. ``file_size`` may claim more than ``data`` holds (e.g. over 20 MB)."""
        meta = self._store_file(data, filename, file_size=file_size)
        message = self._user_message(
            chat_id, user_id, language_code=language_code, chat_type=chat_type, reply_to_message_id=None
        )
        message["document"] = {
            "file_id": meta["file_id"],
            "file_unique_id": meta["file_unique_id"],
            "file_name": filename,
            "mime_type": mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream",
            "file_size": meta["file_size"],
        }
        if caption:
            message["caption"] = caption
        self.messages[(chat_id, message["message_id"])] = message
        return self.push_update({"message": message})

    def push_photo(
        self,
        chat_id: int,
        user_id: int,
        data: bytes,
        *,
        caption: str | None = None,
        media_group_id: str | None = None,
        language_code: str | None = "zh-hans",
        chat_type: str | None = None,
    ) -> int:
        """The user sends a photo (Telegram recompresses photos to JPEG; ``data`` is sent as given). Photos of
        an album share ``media_group_id`` and arrive as one update each, as Telegram sends them."""
        meta = self._store_file(data, "photo.jpg")
        message = self._user_message(
            chat_id, user_id, language_code=language_code, chat_type=chat_type, reply_to_message_id=None
        )
        width, height = _image_size(data)
        message["photo"] = [
            {**{k: meta[k] for k in ("file_id", "file_unique_id", "file_size")}, "width": width, "height": height}
        ]
        if caption:
            message["caption"] = caption
        if media_group_id:
            message["media_group_id"] = media_group_id
        self.messages[(chat_id, message["message_id"])] = message
        return self.push_update({"message": message})

    def push_callback(
        self,
        chat_id: int,
        user_id: int,
        message_id: int,
        data: str,
        *,
        language_code: str | None = "zh-hans",
    ) -> str:
        """The user presses an inline button with ``data`` under the bot's message ``message_id``."""
        message = self.messages.get((chat_id, message_id)) or {
            "message_id": message_id,
            "date": 0,
            "chat": self._chat(chat_id, user_id),
        }
        query_id = secrets.token_hex(8)
        self.pending_callbacks.add(query_id)
        self.push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self._user(user_id, language_code),
                    "message": message,
                    "chat_instance": str(chat_id),
                    "data": data,
                }
            }
        )
        return query_id

    def press(self, output: Output, label: str, user_id: int | None = None, **kwargs: Any) -> str:
        """Press the button whose text contains ``label`` under a message the bot sent."""
        for button in output.buttons:
            if label in button["text"] and "callback_data" in button:
                return self.push_callback(
                    output.chat_id,
                    user_id or output.chat_id,
                    output.message_id,
                    button["callback_data"],
                    **kwargs,
                )
        raise LookupError(f"no button {label!r} among {[b['text'] for b in output.buttons]}")

    def _set_webhook(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        url = params.get("url") or ""
        if not url.startswith(("http://", "https://")):
            raise ApiError(400, "Bad Request: bad webhook: an HTTPS URL must be provided for webhook")
        self.webhook_url, self.webhook_secret = url, params.get("secret_token")
        return True

    def _delete_webhook(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        self.webhook_url = self.webhook_secret = None
        return True

    async def _deliver(self, update: dict[str, Any]) -> None:
        """Webhook mode: POST the update to the bot, as Telegram does (with the secret token header)."""
        assert self.webhook_url is not None
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret} if self.webhook_secret else {}
        async with aiohttp.ClientSession() as session:
            for attempt in range(3):
                try:
                    async with session.post(self.webhook_url, json=update, headers=headers) as response:
                        if response.status < 500:
                            return
                except aiohttp.ClientError as exc:
                    log.warning("Webhook delivery failed (attempt %d): %s", attempt + 1, exc)
                await asyncio.sleep(0.2)

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset")
        if isinstance(offset, int):
            if offset < 0:
                self._updates = self._updates[offset:]
            else:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        if not self._updates and timeout > 0 and not self._polls_released:
            async with self._changed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: bool(self._updates) or self._polls_released), timeout
                    )
        return self._updates[:limit]

    # ------------------------------------------------------------ the bot's side

    def _record(self, output: Output) -> None:
        self.outputs.append(output)
        self._outputs_by_chat.setdefault(output.chat_id, []).append(output)

    def _chat_id(self, params: dict[str, Any]) -> int:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        return chat_id

    @staticmethod
    def _check_markup(params: dict[str, Any]) -> dict[str, Any] | None:
        markup = params.get("reply_markup")
        if not markup:
            return None
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= CALLBACK_DATA_LIMIT:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
        return markup

    @staticmethod
    def _render(text: str, parse_mode: str | None, limit: int, what: str) -> str:
        plain = html_to_text(text) if (parse_mode or "").upper() == "HTML" else text
        if what == "text" and not plain.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if _utf16_len(plain) > limit:
            raise ApiError(400, f"Bad Request: message {'caption ' if what == 'caption' else ''}is too long")
        return plain

    def _bot_message(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": self._known_chat(chat_id),
            "from": self.bot_user,
        }
        markup = self._check_markup(params)
        if markup:
            message["reply_markup"] = markup
        reply = (params.get("reply_parameters") or {}).get("message_id") or params.get("reply_to_message_id")
        if reply and (chat_id, reply) in self.messages:
            message["reply_to_message"] = self.messages[(chat_id, reply)]
        return message

    def _known_chat(self, chat_id: int) -> dict[str, Any]:
        default = {"id": chat_id, "type": "private" if chat_id > 0 else "group", "first_name": str(chat_id)}
        return self._chats.get(chat_id, default)

    def _send_message(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        text = str(params.get("text", ""))
        plain = self._render(text, params.get("parse_mode"), MessageLimit.MAX_TEXT_LENGTH, "text")
        message = self._bot_message(chat_id, params)
        message["text"] = plain
        self.messages[(chat_id, message["message_id"])] = message
        self._record(Output("message", chat_id, message, html=text))
        return message

    def _existing(self, params: dict[str, Any], verb: str) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        message = self.messages.get((chat_id, params.get("message_id")))  # type: ignore[arg-type]
        if message is None or message.get("from", {}).get("id") != self.bot_id and verb != "delete":
            raise ApiError(400, f"Bad Request: message to {verb} not found")
        return message

    def _edit_message_text(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        message = self._existing(params, "edit")
        text = str(params.get("text", ""))
        plain = self._render(text, params.get("parse_mode"), MessageLimit.MAX_TEXT_LENGTH, "text")
        markup = self._check_markup(params)
        if plain == message.get("text") and markup == message.get("reply_markup"):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message",
            )
        edited = {**message, "text": plain, "edit_date": int(time.time())}
        edited.pop("reply_markup", None)
        if markup:
            edited["reply_markup"] = markup
        self.messages[(message["chat"]["id"], message["message_id"])] = edited
        self._record(Output("edit", message["chat"]["id"], edited, html=text))
        return edited

    def _edit_message_reply_markup(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        message = self._existing(params, "edit")
        markup = self._check_markup(params)
        if markup == message.get("reply_markup"):
            raise ApiError(400, "Bad Request: message is not modified")
        edited = {k: v for k, v in message.items() if k != "reply_markup"}
        if markup:
            edited["reply_markup"] = markup
        self.messages[(message["chat"]["id"], message["message_id"])] = edited
        self._record(Output("edit", message["chat"]["id"], edited, html=message.get("text", "")))
        return edited

    def _delete_message(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        message = self._existing(params, "delete")
        del self.messages[(message["chat"]["id"], message["message_id"])]
        self._record(Output("delete", message["chat"]["id"], message))
        return True

    def _store_file(self, data: bytes, filename: str, *, file_size: int | None = None) -> dict[str, Any]:
        n = next(self._file_ids)
        file_id = f"FILE{n:06d}{secrets.token_hex(6)}"
        suffix = os.path.splitext(filename)[1]
        meta = {
            "file_id": file_id,
            "file_unique_id": f"U{n:06d}",
            "file_size": file_size if file_size is not None else len(data),
            "file_path": f"documents/file_{n}{suffix}",
        }
        self.files[file_id] = (meta, data)
        return meta

    def _send_file(self, kind: str, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        ref = params.get(kind)
        if kind in files:
            data, filename = files[kind], (ref or {}).get("filename") or kind
        elif isinstance(ref, str) and ref in self.files:
            data = self.files[ref][1]
            filename = os.path.basename(self.files[ref][0]["file_path"])
        else:
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        if not data:
            raise ApiError(400, "Bad Request: file must be non-empty")
        caption = params.get("caption")
        message = self._bot_message(chat_id, params)
        if caption:
            message["caption"] = self._render(caption, params.get("parse_mode"), CAPTION_LIMIT, "caption")
        meta = self._store_file(data, filename)
        if kind == "photo":
            w, h = _png_size(data)
            message["photo"] = [
                {**{k: meta[k] for k in ("file_id", "file_unique_id", "file_size")}, "width": w, "height": h}
            ]
        else:
            message["document"] = {
                **{k: meta[k] for k in ("file_id", "file_unique_id", "file_size")},
                "file_name": filename,
                "mime_type": mimetypes.guess_type(filename)[0] or "application/octet-stream",
            }
        self.messages[(chat_id, message["message_id"])] = message
        self._record(Output(kind, chat_id, message, html=caption or "", data=data))
        return message

    def _get_file(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        entry = self.files.get(params.get("file_id", ""))
        if entry is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        meta = entry[0]
        if meta["file_size"] > FileSizeLimit.FILESIZE_DOWNLOAD:
            raise ApiError(400, "Bad Request: file is too big")
        return meta

    def _send_chat_action(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        self._chat_id(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    @staticmethod
    def _scope_key(params: dict[str, Any]) -> tuple[str, str]:
        return ((params.get("scope") or {}).get("type", "default"), params.get("language_code") or "")

    def _set_my_commands(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        commands = params.get("commands") or []
        for command in commands:
            if not _COMMAND.match(command.get("command", "")):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._scope_key(params)] = commands
        return True

    def _get_my_commands(self, params: dict[str, Any], files: dict[str, bytes]) -> list[dict[str, str]]:
        return self.commands.get(self._scope_key(params), [])

    def _delete_my_commands(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        self.commands.pop(self._scope_key(params), None)
        return True

    def _answer_callback_query(self, params: dict[str, Any], files: dict[str, bytes]) -> bool:
        query_id = params.get("callback_query_id", "")
        if query_id not in self.pending_callbacks:
            raise ApiError(
                400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        if len(params.get("text") or "") > ALERT_LIMIT:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self.pending_callbacks.discard(query_id)
        self.callback_answers[query_id] = params
        return True

    # ------------------------------------------------------------ reading what the bot did

    def calls_of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def chat_outputs(self, chat_id: int) -> list[Output]:
        return list(self._outputs_by_chat.get(chat_id, ()))

    def take(self, chat_id: int) -> list[Output]:
        """Everything the bot did in ``chat_id`` since the outputs already returned, without waiting."""
        outputs = self.chat_outputs(chat_id)
        new = outputs[self._cursor.get(chat_id, 0) :]
        self._cursor[chat_id] = len(outputs)
        return new

    async def wait_for_replies(
        self,
        chat_id: int,
        count: int = 1,
        *,
        timeout: float = 10.0,
        kinds: Sequence[str] = ("message", "document", "photo"),
    ) -> list[Output]:
        """The next ``count`` outputs of ``kinds`` in ``chat_id`` after those already returned."""
        found: list[Output] = []

        def ready() -> bool:
            found.clear()
            outputs = self.chat_outputs(chat_id)
            for index in range(self._cursor.get(chat_id, 0), len(outputs)):
                if outputs[index].kind in kinds:
                    found.append(outputs[index])
                    if len(found) == count:
                        self._cursor[chat_id] = index + 1
                        return True
            return False

        await self._wait(
            ready, timeout, f"{count} repl{'y' if count == 1 else 'ies'} in chat {chat_id}", chat_id
        )
        return found

    async def wait_until(
        self, chat_id: int, predicate: Callable[[Output], bool], *, timeout: float = 10.0
    ) -> Output:
        """The first output in ``chat_id`` (after those already returned) that satisfies ``predicate``."""
        hit: list[Output] = []

        def ready() -> bool:
            outputs = self.chat_outputs(chat_id)
            for index in range(self._cursor.get(chat_id, 0), len(outputs)):
                if predicate(outputs[index]):
                    hit.append(outputs[index])
                    self._cursor[chat_id] = index + 1
                    return True
            return False

        await self._wait(ready, timeout, f"a matching output in chat {chat_id}", chat_id)
        return hit[0]

    async def wait_for_answer(self, query_id: str, *, timeout: float = 10.0) -> dict[str, Any]:
        """The bot's answerCallbackQuery for a pressed button."""
        await self._wait(
            lambda: query_id in self.callback_answers, timeout, f"an answer to callback {query_id}"
        )
        return self.callback_answers[query_id]

    async def _wait(
        self, ready: Callable[[], bool], timeout: float, what: str, chat_id: int | None = None
    ) -> None:
        try:
            async with self._changed:
                await asyncio.wait_for(self._changed.wait_for(ready), timeout)
        except TimeoutError:
            seen = [o.text[:80] for o in self.outputs if chat_id is None or o.chat_id == chat_id][-5:]
            raise TimeoutError(f"waited {timeout}s for {what}; last outputs: {seen}") from None


def _png_size(data: bytes) -> tuple[int, int]:
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return 0, 0


def _image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a JPEG, PNG or WebP the user sends; (0, 0) when it is not an image."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except (UnidentifiedImageError, OSError):
        return 0, 0
