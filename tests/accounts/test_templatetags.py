import pytest
from django.template import Context, Template
from django.utils import translation

from accounts.models import User
from accounts.templatetags.profiles import compact_count, language_name


@pytest.mark.parametrize(
    ("value", "english", "chinese"),
    [
        (0, "0", "0"),
        (980, "980", "980"),
        (9_999, "9,999", "9999"),
        (12_345, "12.3K", "1.2万"),
        (20_000, "20K", "2万"),
        (3_456_789, "3.5M", "345.7万"),
        (250_000_000, "250M", "2.5亿"),
        ("junk", "", ""),
    ],
)
def test_compact_count_per_language(value, english, chinese):
    with translation.override("en"):
        assert compact_count(value) == english
    with translation.override("zh-hans"):
        assert compact_count(value) == chinese


def test_language_name_known_and_unknown():
    with translation.override("en"):
        assert language_name("zh-Hans") == "Simplified Chinese"
        assert language_name("xx") == "xx"


def render_avatar(person, size="md"):
    template = Template("{% load profiles %}{% avatar person size %}")
    return template.render(Context({"person": person, "size": size}))


def test_avatar_initial_and_colour():
    html = render_avatar(User(handle="mei", display_name="林梅", avatar_color="#00aa88"), "xl")

    assert 'class="avatar avatar-xl"' in html
    assert 'data-css="--avatar: #00aa88"' in html
    assert ">林</span>" in html


def test_avatar_refuses_odd_colour_and_size():
    html = render_avatar(User(handle="mei", avatar_color='red" onmouseover="x'), "huge")

    assert "onmouseover" not in html
    assert 'data-css="--avatar: #ff2442"' in html
    assert "avatar-md" in html
    assert ">M</span>" in html
