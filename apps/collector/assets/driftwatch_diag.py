"""driftwatch diagnostic WSGI application.

Mount it with mod_wsgi where the application you want to inspect runs (same
WSGIDaemonProcess / WSGIProcessGroup / WSGIApplicationGroup), for example:

    WSGIScriptAlias /__driftwatch /opt/driftwatch/driftwatch_diag.py

It answers only requests from loopback addresses (driftwatch fetches it on the
host itself) with one JSON object: the values of the diagnostic script of the
mod_wsgi guide "Checking Your Installation", the mod_wsgi version and the
Python distributions importable by the application. It changes nothing.
Runs on Python 2.7 and 3.x, standard library only.
"""

import json
import re
import sys

try:
    import ipaddress
except ImportError:  # Python 2.7 without the backport
    ipaddress = None

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


def is_local(address):
    """True for loopback clients: 127.0.0.0/8, ::1 and IPv4-mapped 127.x."""
    address = (_text(address) or "").strip()
    if address.lower().startswith("::ffff:"):
        address = address[7:]
    if ipaddress is not None:
        try:
            return ipaddress.ip_address(address).is_loopback
        except ValueError:
            return False
    return address == "::1" or re.match(r"^127(\.\d{1,3}){3}$", address) is not None


def _mod_wsgi_version(environ):
    version = environ.get("mod_wsgi.version")
    if version is None:
        try:
            import mod_wsgi  # only importable inside mod_wsgi

            version = getattr(mod_wsgi, "version", None)
        except ImportError:
            return None
    if isinstance(version, (tuple, list)):
        return ".".join(text_type(part) for part in version)
    return _text(version)


def _packages():
    """Installed distributions, name -> version (the first one on sys.path wins)."""
    found = {}
    try:
        from importlib import metadata  # Python 3.8+

        for dist in metadata.distributions():
            name = dist.metadata["Name"]
            if name:
                found.setdefault(_text(name), _text(dist.version))
        return found
    except ImportError:
        pass
    try:
        import pkg_resources

        for dist in pkg_resources.working_set:
            found.setdefault(_text(dist.project_name), _text(dist.version))
        return found
    except Exception:
        return None


def report(environ):
    """The diagnostic values, keyed like the guide's script prints them."""
    return {
        "mod_wsgi.process_group": _text(environ.get("mod_wsgi.process_group")),
        "mod_wsgi.application_group": _text(environ.get("mod_wsgi.application_group")),
        "wsgi.multithread": environ.get("wsgi.multithread"),
        "wsgi.multiprocess": environ.get("wsgi.multiprocess"),
        "sys.version": _text(sys.version),
        "sys.prefix": _text(sys.prefix),
        "sys.path": [_text(entry) for entry in sys.path],
        "mod_wsgi.version": _mod_wsgi_version(environ),
        "packages": _packages(),
    }


def application(environ, start_response):
    if not is_local(environ.get("REMOTE_ADDR")):
        status, body = "403 Forbidden", b"forbidden: driftwatch diagnostics answer local requests only\n"
        content_type = "text/plain; charset=utf-8"
    else:
        status = "200 OK"
        body = json.dumps(report(environ), sort_keys=True).encode("utf-8")
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
