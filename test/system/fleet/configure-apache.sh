#!/bin/sh
# Runs as root inside a fleet host's mount namespace, on the host's own copy of /etc/apache2:
#   configure-apache.sh MPM WSGI_MODE     (MPM: event|worker|prefork; WSGI_MODE: daemon|embedded|none)
# Uses Debian's own tools (a2enmod, a2dismod, a2ensite, a2enconf), as an admin would.
set -eu
mpm=$1
wsgi=$2
a2() { "$@" >/dev/null; }

# Baseline: the modules Debian's maintainer scripts enabled, and nothing an admin of this
# machine may have added to its own /etc/apache2 since (so a scenario such as "a2enmod
# headers" starts from a known state).
for load in /etc/apache2/mods-enabled/*.load; do
  module=$(basename "$load" .load)
  [ -e "/var/lib/apache2/module/enabled_by_maint/$module" ] || a2 a2dismod -q -f "$module"
done

for other in event worker prefork; do
  [ "$other" = "$mpm" ] || [ ! -e "/etc/apache2/mods-enabled/mpm_$other.load" ] || a2 a2dismod -q "mpm_$other"
done
a2 a2enmod -q "mpm_$mpm"

case $wsgi in
  daemon | embedded) a2 a2enmod -q wsgi ;;
  none) [ ! -e /etc/apache2/mods-enabled/wsgi.load ] || a2 a2dismod -q wsgi ;;
  *) echo "unknown wsgi mode: $wsgi" >&2; exit 2 ;;
esac

[ ! -e /etc/apache2/sites-enabled/000-default.conf ] || a2 a2dissite -q 000-default
a2 a2ensite -q driftwatch
a2 a2enconf -q driftwatch-fleet
apache2ctl configtest
