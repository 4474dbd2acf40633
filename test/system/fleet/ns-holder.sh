#!/bin/sh
# First (and idle) process of one fleet host's private mount namespace, started as
#   unshare -m --propagation private -- /bin/sh ns-holder.sh HOST_DIR
# It puts the host's own Apache tree and state over the machine's paths, says "ready", and
# then only keeps the namespace alive: sshd, Apache and every command run on the host are
# later entered into this namespace with `nsenter -t <this pid> -m`. The mounts exist only in
# this namespace (private propagation) and vanish with its last process: teardown needs no
# umount, and the machine's own /etc/apache2 is never written.
set -eu
host_dir=$1

bind() {
  # A missing mount point is created on the machine (an empty directory Apache's own
  # tools would create there anyway); everything else stays inside the namespace.
  [ -d "$2" ] || mkdir -p "$2"
  mount --bind "$host_dir/$1" "$2"
}

bind etc-apache2 /etc/apache2
bind lib-apache2 /var/lib/apache2
bind www /var/www
bind run-apache2 /run/apache2
bind lock-apache2 /run/lock/apache2
bind log-apache2 /var/log/apache2

echo ready
exec sleep infinity
