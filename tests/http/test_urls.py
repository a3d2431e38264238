"""The fast path of :func:`validator.http.urls.parse_url` against httpx.URL itself."""

from __future__ import annotations

import random
import re
from pathlib import Path

import httpx
import pytest

from validator.http import urls
from validator.http.urls import parse_url, plain_host, without_fragment

ROOT = Path(__file__).resolve().parents[2]

EDGES = [
    "http://127.0.0.10:8080/ok/1",
    "https://huggingface.co/meta-llama/Llama-2-7b/resolve/main/config.json",
    "HTTP://example.com/",
    "http://EXAMPLE.com:80/A?B#C",
    "https://example.com:443",
    "https://example.com:0443/x",
    "https://example.com:/x",
    "https://example.com:99999/x",
    "http://1.2.3.4/",
    "http://1.2.3.04/",
    "http://256.1.1.1/",
    "http://1.2.3/",
    "http://1.2.3.4.5/",
    "http://0.0.0.0:1/",
    "http://a.b/./x",
    "http://a.b/x/../y",
    "http://a.b/x/..",
    "http://a.b/.hidden/x.y",
    "http://a.b/%zz%41",
    "http://a.b/a b",
    "http://a.b/{x}",
    "http://a.b/?q={x}`",
    "http://a.b/#f#g`",
    "http://a.b?q",
    "http://a.b#f",
    "http://a.b/?",
    "http://a.b/#",
    "http://user:pw@a.b/",
    "http://[::1]:8080/",
    "http://xn--fiqs8s.icom.museum/",
    "http://中国.icom.museum/",
    "http://a.b/ü",
    "http://a_b.c/",
    "http:///x",
    "http://./",
    "https://a.b/\\x|y^z[1]",
    "ftp://a.b/",
    "mailto:a@b.c",
    "http://a.b/\x7f",
    "http://a.b/\t",
]

_ALPHABET = "aZ09.-_~:/?#[]@!$&'()*+,;=% \"<>`{}|\\^\x7fé"


def _outcome(parse: object, text: str) -> object:
    try:
        url = parse(text)  # type: ignore[operator]
    except httpx.InvalidURL as exc:
        return ("invalid", str(exc))
    return (url._uri_reference, str(url), url.host, url.port, url.raw_path)


def _repository_urls() -> list[str]:
    found: set[str] = set()
    for pattern in ("catalog/**/*.yaml", "docs/*.md", "README.md", "tests/**/*.yaml"):
        for path in ROOT.glob(pattern):
            found.update(re.findall(r"https?://[^\s)\]>'\"]+", path.read_text(errors="replace")))
    return sorted(found)


def _random_urls(count: int) -> list[str]:
    rng = random.Random(13)
    out = []
    for _ in range(count):
        host = rng.choice(["a.b", "Host.EXAMPLE", "10.0.0.1", "1.2.3.400", "x-y.z", "01.2.3.4"])
        port = rng.choice(["", ":80", ":443", ":8080", ":", ":00080"])
        rest = "".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(12)))
        out.append(f"{rng.choice(['http', 'https'])}://{host}{port}/{rest}")
    return out


def test_the_fast_path_is_on() -> None:
    assert urls._ENABLED
    assert urls._fast("https://huggingface.co/org/model?x=1#y") is not None


@pytest.mark.parametrize("text", EDGES)
def test_edges_parse_as_httpx_parses_them(text: str) -> None:
    assert _outcome(parse_url, text) == _outcome(httpx.URL, text)


def test_every_url_of_the_repository_parses_as_httpx_parses_it() -> None:
    texts = _repository_urls()
    assert len(texts) > 50
    fast = sum(urls._fast(text) is not None for text in texts)
    assert fast > len(texts) // 2  # most of them take the fast path
    for text in texts:
        assert _outcome(parse_url, text) == _outcome(httpx.URL, text), text


def test_random_urls_parse_as_httpx_parses_them() -> None:
    for text in _random_urls(3000):
        assert _outcome(parse_url, text) == _outcome(httpx.URL, text), text


def test_without_fragment_is_copy_with_no_fragment() -> None:
    for text in [*EDGES, *_random_urls(500)]:
        try:
            url = httpx.URL(text)
        except httpx.InvalidURL:
            continue
        mine, theirs = without_fragment(url), url.copy_with(fragment=None)
        assert (mine._uri_reference, str(mine)) == (theirs._uri_reference, str(theirs)), text


def test_plain_host_is_the_host_httpx_parses() -> None:
    texts = [*EDGES, *_repository_urls(), *_random_urls(2000), "http://XN--fiqs8s.icom.museum/"]
    plain = 0
    for text in texts:
        host = plain_host(text)
        if host is not None:
            plain += 1
            assert host == httpx.URL(text).host, text
    assert plain > 500
