"""Secrets: checked when read, bound to one origin, never shown.

Three kinds of secret reach the tool: ``HF_TOKEN`` (the Hub client), ``GITHUB_TOKEN``
(``issue sync``) and credential headers written in the config (``Authorization``,
``Cookie``, ``Proxy-Authorization``, in the global ``headers`` table or a host's).

* **Checked when read.** A value holding a control character (a pasted newline) or a
  non-ASCII character cannot be sent as a header; httpx would fail later with the
  value in its message. :func:`check_secret` refuses it at once, in one line that
  names where the value came from and never quotes it.
* **Bound to an origin** (scheme, host, port, RFC 6454). A credential header goes only
  to the origin a request chain started at: a redirect to another port, another
  scheme or another host drops it (:func:`headers_for_hop`).
* **Never printed.** Error messages built here name the variable, never the value;
  :func:`redact` masks a known secret inside text that came from elsewhere (an
  exception message of a library).
"""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:  # the offline path (config reading) never imports httpx
    import httpx

SENSITIVE_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})
"""Headers whose value is a credential: sent to the chain's first origin only."""

Origin = tuple[str, str, int | None]


class CredentialError(ValueError):
    """A secret that cannot be used; ``str()`` is one line without the secret."""


def check_secret(source: str, value: str) -> str:
    """``value`` when it can travel in an HTTP header, else :class:`CredentialError`.

    ``source`` names where the value came from (``HF_TOKEN``, ``.validator.toml:
    headers.Authorization``); the message never contains the value itself.
    """
    for index, char in enumerate(value):
        code = ord(char)
        if code < 0x20 or code == 0x7F:
            what = "a line break" if char in "\r\n" else f"control character U+{code:04X}"
            raise CredentialError(
                f"{source} holds {what} at position {index + 1}: "
                "a secret must be one line of printable ASCII (check how it was pasted)"
            )
        if code > 0x7E:
            raise CredentialError(
                f"{source} holds a non-ASCII character at position {index + 1}: "
                "a secret must be printable ASCII"
            )
    return value


def is_sensitive(name: str) -> bool:
    """Whether header ``name`` carries a credential."""
    return name.lower() in SENSITIVE_HEADERS


def origin_of(url: httpx.URL) -> Origin:
    """``(scheme, host, port)`` with the scheme's default port made explicit."""
    port = url.port
    if port is None:
        port = {"http": 80, "https": 443}.get(url.scheme)
    return (url.scheme.lower(), url.host.lower(), port)


def same_origin(a: httpx.URL, b: httpx.URL) -> bool:
    """Whether ``a`` and ``b`` share scheme, host and port (credentials may travel)."""
    return origin_of(a) == origin_of(b)


def headers_for_hop(
    headers: t.Mapping[str, str], origin: httpx.URL, hop: httpx.URL
) -> dict[str, str]:
    """``headers`` to send to ``hop`` of a chain that started at ``origin``.

    Credential headers are dropped unless ``hop`` is on ``origin``'s origin; every
    other header is kept.
    """
    if same_origin(origin, hop):
        return dict(headers)
    return {k: v for k, v in headers.items() if not is_sensitive(k)}


class HopHeaders:
    """The headers each request of a crawl adds to the client's: the host's own headers
    (``hosts.<name>.headers``) and every credential header, sent only to the origin the
    redirect chain started at (:func:`headers_for_hop`). The credentials are picked out
    once per run, and a host with nothing to add costs no copy (most requests)."""

    def __init__(
        self, headers: t.Mapping[str, str], host_headers: t.Callable[[str], t.Mapping[str, str]]
    ) -> None:
        self._credentials = {k: v for k, v in headers.items() if is_sensitive(k)}
        self._host_headers = host_headers

    def for_hop(self, hop: httpx.URL, origin: httpx.URL) -> dict[str, str]:
        """The headers for ``hop`` of a chain that started at ``origin`` (a new dict)."""
        own = self._host_headers(hop.host)
        if not (own or self._credentials):
            return {}
        return headers_for_hop({**self._credentials, **own}, origin, hop)


def redact(text: str, secrets: t.Iterable[str | None]) -> str:
    """``text`` with every occurrence of each non-empty secret replaced by ``***``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


__all__ = [
    "SENSITIVE_HEADERS",
    "CredentialError",
    "HopHeaders",
    "check_secret",
    "headers_for_hop",
    "is_sensitive",
    "origin_of",
    "redact",
    "same_origin",
]
