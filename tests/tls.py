"""httpx's default verifying TLS context, built once for the whole test session.

Every ``httpx.Client()`` loads the CA bundle again (~0.1 s of CPU, several times that on
a loaded machine); the tests create a client per test against loopback servers or respx
mocks, so they share this one, exactly what ``verify=True`` would build.
"""

from __future__ import annotations

import functools
import ssl

import httpx


@functools.cache
def verifying() -> ssl.SSLContext:
    return httpx.create_ssl_context()
