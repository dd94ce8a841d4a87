"""Local HTTP servers that speak the translation providers' APIs, for the tests: LibreTranslate
(`POST /translate`), DeepL (`POST /v2/translate`, as the `deepl` package sends it) and the
OpenAI chat completions API (`POST /v1/chat/completions`). Each runs in a thread on 127.0.0.1
at a free port, records every call and answers what the test scripted (by default, a fake
translation: "[target] text")."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Call:
    path: str
    headers: dict[str, str]
    body: dict


@dataclass
class Reply:
    status: int = 200
    body: object = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (timeouts)


class FakeProviderServer:
    """`answer(call) -> Reply` decides each reply; `script` replies first, in order."""

    def __init__(self, answer: Callable[[Call], Reply]):
        self.answer = answer
        self.script: list[Reply] = []
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {"_raw": raw.decode("utf-8", "replace")}
                call = Call(path=self.path, headers=dict(self.headers), body=body)
                with server._lock:
                    server.calls.append(call)
                    reply = server.script.pop(0) if server.script else None
                reply = reply or server.answer(call)
                if reply.delay:
                    time.sleep(reply.delay)
                data = json.dumps(reply.body, ensure_ascii=False).encode("utf-8")
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def texts_sent(self) -> list[str]:
        """Every text sent to the provider, over all calls."""
        sent = []
        for call in self.calls:
            sent.extend(_texts_of(call))
        return sent


def _texts_of(call: Call) -> list[str]:
    body = call.body
    if "q" in body:  # LibreTranslate
        return body["q"] if isinstance(body["q"], list) else [body["q"]]
    if "text" in body:  # DeepL
        return list(body["text"])
    if "messages" in body:  # OpenAI chat
        return json.loads(body["messages"][-1]["content"])["texts"]
    return []


def fake_translation(text: str, target: str) -> str:
    """A stand-in translation that is in the target language (the openai provider checks)
    and differs per text."""
    digest = hashlib.sha256(text.encode()).hexdigest()[:6]
    if target.lower().startswith("zh"):
        return f"[{target}] 这是一段中文的翻译 {digest}"
    return f"[{target}] this is the translation of text {digest}"


def libretranslate_answer(call: Call) -> Reply:
    q, target = call.body["q"], call.body["target"]
    if isinstance(q, list):
        return Reply(body={"translatedText": [fake_translation(t, target) for t in q]})
    return Reply(body={"translatedText": fake_translation(q, target)})


def deepl_answer(call: Call) -> Reply:
    target = call.body["target_lang"]
    return Reply(
        body={
            "translations": [
                {
                    "detected_source_language": call.body.get("source_lang", "ZH"),
                    "text": fake_translation(text, target),
                    "billed_characters": len(text),
                }
                for text in call.body["text"]
            ]
        }
    )


def openai_reply(translations: list[str] | str) -> Reply:
    content = (
        translations
        if isinstance(translations, str)
        else json.dumps({"translations": translations}, ensure_ascii=False)
    )
    return Reply(body={"choices": [{"message": {"role": "assistant", "content": content}}]})


def openai_answer(call: Call) -> Reply:
    data = json.loads(call.body["messages"][-1]["content"])
    target = data["target_language"]
    return openai_reply([fake_translation(text, target) for text in data["texts"]])


ANSWERS = {
    "libretranslate": libretranslate_answer,
    "deepl": deepl_answer,
    "openai": openai_answer,
}


def configure(settings, name: str, server: FakeProviderServer, *, self_hosted=False) -> None:
    settings.TRANSLATION_PROVIDER = name
    settings.TRANSLATION_API_URL = server.url + ("/v1" if name == "openai" else "")
    settings.TRANSLATION_API_KEY = "test-key"
    settings.TRANSLATION_MODEL = "test-model" if name == "openai" else ""
    settings.TRANSLATION_PROVIDER_SELF_HOSTED = self_hosted
    settings.TRANSLATION_TIMEOUT_SECONDS = 5.0  # generous: the machine may be busy


@pytest.fixture(params=["libretranslate", "deepl", "openai"])
def provider_server(request, settings):
    """Each provider's fake server in turn, configured as the site's provider."""
    with FakeProviderServer(ANSWERS[request.param]) as server:
        server.name = request.param
        configure(settings, request.param, server)
        yield server


@pytest.fixture
def libretranslate_server(settings):
    with FakeProviderServer(libretranslate_answer) as server:
        server.name = "libretranslate"
        configure(settings, "libretranslate", server)
        yield server


@pytest.fixture
def openai_server(settings):
    with FakeProviderServer(openai_answer) as server:
        server.name = "openai"
        configure(settings, "openai", server)
        yield server


@pytest.fixture
def deepl_server(settings):
    with FakeProviderServer(deepl_answer) as server:
        server.name = "deepl"
        configure(settings, "deepl", server)
        yield server
