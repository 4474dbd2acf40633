# Runs inside a release root (mmdebstrap customize hook, as root): builds Apache httpd from the
# release's own upstream tarball into /usr/local/apache2, as the official httpd image does, and
# mod_wsgi from its upstream tarball with that Apache's apxs. The distribution's apache2 stays
# installed. mod_wsgi's tarball is taken from Debian's pool by name: the archive reachable here
# does not hold every release's source files (bookworm's 4.9.4 orig tarball is missing).
export DEBIAN_FRONTEND=noninteractive
cd /usr/src
apt-get -qq -o Acquire::Check-Valid-Until=false update
apt-get -qq source --download-only apache2
curl -fsS -O http://deb.debian.org/debian/pool/main/m/mod-wsgi/mod-wsgi_5.0.2.orig.tar.gz
tar xf "$(ls apache2_*.orig.tar.* | grep -v '\.asc$')"
cd httpd-*/
./configure --prefix=/usr/local/apache2 --enable-mods-shared=most --enable-mpms-shared=all \
  --with-apr=/usr/bin/apr-1-config --with-apr-util=/usr/bin/apu-1-config --with-pcre=/usr/bin/pcre2-config >/dev/null
make -j"$(nproc)" >/dev/null
make install >/dev/null
cd /usr/src
tar xf mod-wsgi_5.0.2.orig.tar.gz
cd mod_wsgi-*/
./configure --with-apxs=/usr/local/apache2/bin/apxs --with-python=/usr/bin/python3 >/dev/null
make >/dev/null
make install >/dev/null
cd /
rm -rf /usr/src/* /var/lib/apt/lists/*
