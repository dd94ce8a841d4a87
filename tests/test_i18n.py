"""The Simplified Chinese catalogue: complete, well-formed, and what a Chinese reader gets.

The page tests need the compiled catalogue (`.mo` files are not in git; `make` and CI compile
them): the `compiled_messages` fixture compiles zh_Hans when its .mo is missing or older than
the .po.
"""

import fcntl
import gettext as gettext_module
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test.signals import setting_changed
from django.urls import reverse

from tests.factories import UserFactory

PO_PATH = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

CHINESE_NAV = ["发现", "关注", "发布", "通知", "我"]
ENGLISH_NAV = re.compile(
    r"\b(Discover|Following|Post|Notifications|Me|Settings|Log in|Log out|Sign up|Search)\b"
)


# --- The catalogue -----------------------------------------------------------------------


def _unquote(line: str) -> str:
    """The text of one quoted .po string line, escapes resolved."""
    body = line.strip()
    assert body.startswith('"') and body.endswith('"'), f"not a quoted .po string: {line!r}"
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), body[1:-1])


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgid, msgid_plural, msgstr (or msgstr[n]) and flags.

    Obsolete entries (`#~`) are ignored; the header is the entry whose msgid is empty.
    """
    entries: list[dict] = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry: dict = {"flags": set()}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif match := re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (.*)$", line):
                key = match.group(1)
                entry[key] = _unquote(match.group(2))
            else:
                entry[key] += _unquote(line)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def _translations(entry: dict) -> list[str]:
    return [value for key, value in sorted(entry.items()) if key.startswith("msgstr")]


PYTHON_PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")
BRACE_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def _kept(entry: dict) -> list[str]:
    """What a translation must carry over unchanged: placeholders and HTML tags. Chinese has
    one form for every count, so a plural entry's translation follows its plural msgid ("Grant
    this appeal?" / "Grant these %(counter)s appeals?" → one form with the count)."""
    source = entry.get("msgid_plural") or entry["msgid"]
    kept = HTML_TAG.findall(source)
    if "python-format" in entry["flags"]:
        kept += [p for p in PYTHON_PLACEHOLDER.findall(source) if p != "%%"]
    if "python-brace-format" in entry["flags"]:
        kept += BRACE_PLACEHOLDER.findall(source)
    return sorted(kept)


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    return parse_po(PO_PATH)


def test_catalogue_header_declares_chinese_utf8_and_one_plural_form(catalogue):
    header = next(entry for entry in catalogue if entry["msgid"] == "")

    assert "fuzzy" not in header["flags"]
    assert "Language: zh_Hans\n" in header["msgstr"]
    assert "charset=UTF-8" in header["msgstr"]
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header["msgstr"]


def test_catalogue_every_entry_translated_and_not_fuzzy(catalogue):
    messages = [entry for entry in catalogue if entry["msgid"]]

    assert len(messages) > 400  # the whole UI, not a stub
    assert [e["msgid"] for e in messages if "fuzzy" in e["flags"]] == []
    assert [e["msgid"] for e in messages if not all(_translations(e))] == []
    # Chinese has one plural form: a msgstr[1] would never be used.
    assert [e["msgid"] for e in messages if "msgid_plural" in e and "msgstr[1]" in e] == []


def test_catalogue_translations_keep_placeholders_and_tags(catalogue):
    broken = [
        (entry["msgid"], translation)
        for entry in catalogue
        if entry["msgid"]
        for translation in _translations(entry)
        if sorted(
            HTML_TAG.findall(translation)
            + (
                [p for p in PYTHON_PLACEHOLDER.findall(translation) if p != "%%"]
                if "python-format" in entry["flags"]
                else []
            )
            + (
                BRACE_PLACEHOLDER.findall(translation)
                if "python-brace-format" in entry["flags"]
                else []
            )
        )
        != _kept(entry)
    ]

    assert broken == []


def test_catalogue_translations_are_chinese(catalogue):
    # Brand names and examples may stay as they are; anything else left in English is a miss.
    same_as_english = {"RedNote", "e.g. lily_in_shanghai"}
    untranslated = [
        entry["msgid"]
        for entry in catalogue
        if entry["msgid"]
        and entry["msgid"] not in same_as_english
        # Nothing but placeholders and punctuation, e.g. "%(name)s (@%(handle)s)".
        and re.search(r"[A-Za-z]", PYTHON_PLACEHOLDER.sub("", entry["msgid"]))
        and not any(re.search(r"[\u4e00-\u9fff]", t) for t in _translations(entry))
    ]

    assert untranslated == []


def test_catalogue_passes_msgfmt_checks():
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (GNU gettext) is not installed: apt-get install gettext")

    result = subprocess.run(
        ["msgfmt", "--check", "--check-format", "--check-header", "-o", "/dev/null", PO_PATH],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr


# --- Pages and API in Chinese --------------------------------------------------------------


def _reset_translation_caches() -> None:
    """Forget catalogues loaded before the .mo was (re)compiled, in this process."""
    gettext_module._translations.clear()  # gettext caches each .mo file it has read
    setting_changed.send(
        sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=True
    )


@pytest.fixture(scope="session")
def compiled_messages():
    """Compile the zh_Hans catalogue when its .mo is missing or older than the .po."""
    if shutil.which("msgfmt") is None:
        pytest.skip("compiling translations needs msgfmt (GNU gettext): apt-get install gettext")
    # Parallel test workers share the locale directory: one compiles, the others wait.
    lock_path = Path(tempfile.gettempdir()) / f"rednote-compilemessages-{PO_PATH.stat().st_ino}"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not MO_PATH.exists() or MO_PATH.stat().st_mtime < PO_PATH.stat().st_mtime:
            call_command(
                "compilemessages", locale=["zh_Hans"], ignore_patterns=[".venv"], verbosity=0
            )
            _reset_translation_caches()
        fcntl.flock(lock, fcntl.LOCK_UN)
    return MO_PATH


class _NavText(HTMLParser):
    """Collects the visible text and the aria-labels inside <nav> elements."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "nav":
            self.depth += 1
        if self.depth:
            self.parts.extend(value for name, value in attrs if name == "aria-label" and value)

    def handle_endtag(self, tag):
        if tag == "nav" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and data.strip():
            self.parts.append(data.strip())


def nav_text(html: str) -> str:
    parser = _NavText()
    parser.feed(html)
    return " ".join(parser.parts)


def assert_chinese_page(response, *, logged_in: bool) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    nav = nav_text(html)
    for label in CHINESE_NAV:
        assert label in nav
    if logged_in:
        assert "设置" in nav and "退出登录" in nav
    else:
        assert "登录" in nav and "注册" in nav and "退出登录" not in nav
    assert ENGLISH_NAV.findall(nav) == [], nav
    return html


@pytest.fixture(params=["accept-language", "cookie"])
def chinese_client(request, client, compiled_messages):
    """A browser asking for Chinese by its Accept-Language header, or by the language cookie
    the switcher sets."""
    if request.param == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en-US,en;q=0.9"
    else:
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-CN,zh;q=0.9,en;q=0.5"
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "heading"),
    [("/", "发现"), ("/accounts/login/", "欢迎回来"), ("/accounts/signup/", "创建账号")],
)
def test_pages_for_visitors_in_chinese(chinese_client, url, heading):
    html = assert_chinese_page(chinese_client.get(url), logged_in=False)

    assert heading in html


@pytest.mark.django_db
def test_profile_page_in_chinese(chinese_client, user):
    html = assert_chinese_page(chinese_client.get(f"/@{user.handle}/"), logged_in=False)

    assert "粉丝" in html
    assert "还没有笔记" in html


@pytest.mark.django_db
def test_note_composer_in_chinese_when_logged_in(chinese_client, user):
    chinese_client.force_login(user)

    html = assert_chinese_page(chinese_client.get("/notes/new/"), logged_in=True)

    assert "发布笔记" in html
    assert "谁可以看" in html
    assert "Post a note" not in html


@pytest.mark.django_db
def test_saved_interface_language_wins_over_english_browser(client, compiled_messages):
    person = UserFactory(handle="mei", ui_language="zh-hans")
    client.force_login(person)

    response = client.get(f"/@{person.handle}/", HTTP_ACCEPT_LANGUAGE="en-US")

    assert_chinese_page(response, logged_in=True)
    assert "编辑资料" in response.content.decode()


@pytest.mark.django_db
def test_pages_stay_english_for_english_browsers(client, compiled_messages):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    nav = nav_text(response.content.decode())
    assert "Discover" in nav
    assert re.search(r"[\u4e00-\u9fff]", nav.replace("简体中文", "")) is None


@pytest.mark.django_db
def test_api_validation_error_in_chinese(auth_api_client, user, compiled_messages):
    response = auth_api_client.post(
        reverse("api:user-follow", kwargs={"handle": user.handle}),
        HTTP_ACCEPT_LANGUAGE="zh-Hans",
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "输入有误：followee。",
        "errors": {"followee": ["不能关注自己。"]},
    }


@pytest.mark.django_db
def test_api_not_found_in_chinese(api_client, compiled_messages):
    response = api_client.get(
        reverse("api:user-detail", kwargs={"handle": "nobody"}), HTTP_ACCEPT_LANGUAGE="zh-Hans"
    )

    assert response.status_code == 404
    assert re.search(r"[\u4e00-\u9fff]", response.json()["detail"])
    assert response.json()["errors"] == {}


@pytest.mark.django_db
def test_note_composer_photo_help_follows_the_request_language(chinese_client, user):
    """The help text is built per request: formatted at import it stayed English."""
    chinese_client.force_login(user)

    html = chinese_client.get("/notes/new/").content.decode()

    assert "最多 18 张" in html
    assert "Up to 18 photos" not in html


@pytest.mark.django_db
def test_follow_button_says_already_following_not_the_nav_label(chinese_client, user):
    """ "Following" on the button (已关注) and in the nav (关注) are two words in Chinese."""
    star = UserFactory(handle="star")
    chinese_client.force_login(user)
    chinese_client.post(f"/@{star.handle}/follow/")

    html = chinese_client.get(f"/@{star.handle}/").content.decode()

    assert "已关注" in html


@pytest.mark.django_db
def test_default_board_is_named_in_the_readers_language(client, compiled_messages, user):
    """ "Saved" is stored in whatever language created it; pages show it in the reader's."""
    from notes.services import board_get_or_create_saved

    board = board_get_or_create_saved(owner=user)
    client.force_login(user)

    chinese = client.get(board.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-CN")
    english = client.get(board.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en-US")

    assert "收藏夹" in chinese.content.decode()
    assert "Saved" in english.content.decode()


@pytest.mark.django_db
def test_sign_up_password_errors_all_in_chinese(api_client, compiled_messages):
    """Django 5.2's minimum-length message has no zh_Hans translation of its own; ours does."""
    response = api_client.post(
        reverse("api:auth-signup"),
        {"email": "mei@example.com", "handle": "mei", "password": "1234"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-Hans",
    )

    assert response.status_code == 400
    messages = response.json()["errors"]["password"]
    assert "密码太短：至少需要 8 个字符。" in messages
    assert not any("password" in m.lower() for m in messages)
