"""Fragment matching: what a browser would scroll to is never reported missing."""

import pytest

from validator.links.anchors import checkable, has_fragment

PAGE = (
    b'<h2 id="intro">Intro</h2><a id="user-content-installation" href="#installation"></a>'
    b"<a name='legacy'></a><div id=\"a&amp;b\"></div><p id=caf%C3%A9x></p>"
)


@pytest.mark.parametrize(
    ("fragment", "found"),
    [
        ("intro", True),
        ("Intro", False),  # plain ids are case-sensitive (HTML)
        ("installation", True),  # GitHub's user-content- prefix
        ("Installation", True),  # ... matched ignoring case, as GitHub's script does
        ("legacy", True),  # name= counts
        ("a&b", True),  # entities in attribute values are decoded
        ("a%26b", True),  # percent-encoded fragment
        ("missing", False),
    ],
)
def test_fragments(fragment: str, found: bool) -> None:
    assert has_fragment(PAGE, fragment) is found


@pytest.mark.parametrize(
    ("fragment", "host", "checked"),
    [
        ("L10-L20", "github.com", False),
        ("L10-L20", "example.org", True),
        (":~:text=hello", "example.org", False),
        ("top", "example.org", False),
        ("!/route", "example.org", False),
        ("section", "example.org", True),
    ],
)
def test_which_fragments_are_checked(fragment: str, host: str, checked: bool) -> None:
    assert checkable(fragment, host) is checked
