# Runs inside a release root (mmdebstrap customize hook, as root): installs mod_wsgi-express the
# way its users do, from mod_wsgi's own source tree (setup.py builds mod_wsgi.so with the
# release's apxs and installs the `mod_wsgi` Python package with its `mod_wsgi-express` script)
# into a virtual environment, /opt/express-venv. PyPI is not reachable from CI: the source tree
# is Debian's orig tarball of mod_wsgi, taken from its pool by name and checked against the
# sha256 it had when this script was written. Bookworm's own 4.9.4 orig tarball is missing from
# the archive reachable here (404), so this is 5.0.2's, the one build-httpd.sh builds too.
export DEBIAN_FRONTEND=noninteractive
cd /usr/src
curl -fsS -O http://deb.debian.org/debian/pool/main/m/mod-wsgi/mod-wsgi_5.0.2.orig.tar.gz
echo '9a0fdb61405abc300ec6b100c440dd98cf31cb5f97aeef4207390937298cad20  mod-wsgi_5.0.2.orig.tar.gz' | sha256sum -c - >/dev/null
tar xf mod-wsgi_5.0.2.orig.tar.gz
python3 -m venv /opt/express-venv
/opt/express-venv/bin/pip install -q --no-index --no-build-isolation ./mod_wsgi-5.0.2
/opt/express-venv/bin/mod_wsgi-express module-location >/dev/null
cd /
rm -rf /usr/src/* /var/lib/apt/lists/*
