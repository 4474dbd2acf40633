"""driftwatch diagnostic WSGI application.

Mount it with mod_wsgi where the application you want to inspect runs (same
WSGIDaemonProcess / WSGIProcessGroup / WSGIApplicationGroup), for example:

    WSGIScriptAlias /__driftwatch /opt/driftwatch/driftwatch_diag.py

It answers only requests from loopback addresses (driftwatch fetches it on the
host itself) with one JSON object: the values of the diagnostic script of the
mod_wsgi guide "Checking Your Installation", the mod_wsgi version and the
Python distributions importable by the application. It changes nothing.
Runs on Python 2.7 and 3.x.

Like the guide's script it needs nothing but the builtin `sys` to answer: the
address check and the JSON are written here, so a broken or missing standard
library (the wrong Python home) still gets the guide's values back. What needs
more (the distributions list) is tried last, and an import that fails is
reported under "diag.errors" instead of failing the request.
"""

import sys

try:
    text_type = unicode  # noqa: F821 (Python 2)
except NameError:
    text_type = str


def _text(value):
    """Any value as text; undecodable bytes are replaced, never fatal."""
    if value is None or isinstance(value, text_type):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return text_type(value)


def _ipv4_loopback(address):
    parts = address.split(".")
    if len(parts) != 4 or parts[0] != "127":
        return False
    return all(part.isdigit() and len(part) <= 3 and int(part) <= 255 for part in parts)


def _ipv6_loopback(address):
    """::1 in any spelling (zero groups written out or compressed)."""
    if address.count("::") > 1 or not address.endswith("1"):
        return False
    head, _, tail = address.partition("::")
    groups = [g for g in (head.split(":") + tail.split(":")) if g != ""]
    if not groups or not all(len(g) <= 4 and all(c in "0123456789abcdef" for c in g) for g in groups):
        return False
    if "::" not in address and len(groups) != 8:
        return False
    return all(int(g, 16) == 0 for g in groups[:-1]) and int(groups[-1], 16) == 1


def is_local(address):
    """True for loopback clients: 127.0.0.0/8, ::1 and IPv4-mapped 127.x."""
    address = (_text(address) or "").strip().lower()
    if address.startswith("::ffff:"):
        address = address[7:]
    return _ipv4_loopback(address) or _ipv6_loopback(address)


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _json(value):
    """JSON text of None, bools, numbers, text, lists and dicts, with builtins only."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_json(v) for v in value) + "]"
    if isinstance(value, dict):
        items = sorted((_text(k), v) for k, v in value.items())
        return "{" + ", ".join(_json(k) + ": " + _json(v) for k, v in items) + "}"
    out = []
    for char in _text(value):
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) > 0x7E:
            code = ord(char)
            if code > 0xFFFF:
                code -= 0x10000
                out.append("\\u%04x\\u%04x" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)))
            else:
                out.append("\\u%04x" % code)
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _mod_wsgi_version(environ, errors):
    version = environ.get("mod_wsgi.version")
    if version is None:
        try:
            import mod_wsgi  # only importable inside mod_wsgi

            version = getattr(mod_wsgi, "version", None)
        except Exception as error:
            errors["mod_wsgi"] = _text(repr(error))
            return None
    if isinstance(version, (tuple, list)):
        return ".".join(text_type(part) for part in version)
    return _text(version)


def _packages(errors):
    """Installed distributions, name -> version (the first one on sys.path wins)."""
    found = {}
    try:
        from importlib import metadata  # Python 3.8+

        for dist in metadata.distributions():
            name = dist.metadata["Name"]
            if name:
                found.setdefault(_text(name), _text(dist.version))
        return found
    except Exception as error:
        errors["importlib.metadata"] = _text(repr(error))
    try:
        import pkg_resources

        for dist in pkg_resources.working_set:
            found.setdefault(_text(dist.project_name), _text(dist.version))
        return found
    except Exception as error:
        errors["pkg_resources"] = _text(repr(error))
        return None


# Modules every Python 2.7 and 3.x standard library has: an import that fails means the
# installation found (sys.prefix) has no usable lib/pythonX.Y.
STDLIB_SAMPLE = ("os", "re", "json", "codecs")


def report(environ):
    """The diagnostic values, keyed like the guide's script prints them."""
    errors = {}
    for name in STDLIB_SAMPLE:
        try:
            __import__(name)
        except Exception as error:
            errors[name] = _text(repr(error))
    values = {
        "mod_wsgi.process_group": _text(environ.get("mod_wsgi.process_group")),
        "mod_wsgi.application_group": _text(environ.get("mod_wsgi.application_group")),
        "wsgi.multithread": environ.get("wsgi.multithread"),
        "wsgi.multiprocess": environ.get("wsgi.multiprocess"),
        "sys.version": _text(sys.version),
        "sys.prefix": _text(sys.prefix),
        "sys.base_prefix": _text(getattr(sys, "base_prefix", sys.prefix)),
        "sys.path": [_text(entry) for entry in sys.path],
    }
    values["mod_wsgi.version"] = _mod_wsgi_version(environ, errors)
    values["packages"] = _packages(errors)
    values["diag.errors"] = errors
    return values


def application(environ, start_response):
    if not is_local(environ.get("REMOTE_ADDR")):
        status, body = "403 Forbidden", b"forbidden: driftwatch diagnostics answer local requests only\n"
        content_type = "text/plain; charset=utf-8"
    else:
        status = "200 OK"
        body = _json(report(environ)).encode("ascii")
        content_type = "application/json"
    start_response(
        status,
        [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
        ],
    )
    return [body]
