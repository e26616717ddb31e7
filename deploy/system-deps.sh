#!/usr/bin/env bash
# Debian packages the deployment (and bench/scaleout.py) needs: nginx as the
# reverse proxy, Redis for cache and throttling. Installed only when missing;
# the package's own service is not started (deploy/ runs nginx with its own
# configuration, and a production host enables the unit it wants).
set -euo pipefail
missing=""
[ -x /usr/sbin/nginx ] || missing="$missing nginx-light"
command -v redis-server >/dev/null || missing="$missing redis-server"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "Please install:$missing (sudo apt-get install$missing)" >&2
  exit 1
fi
echo "apt-get install$missing"
# policy-rc.d 101: the packages' post-install scripts leave their services stopped.
policy=/usr/sbin/policy-rc.d
cleanup=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && cleanup=1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
[ -n "$cleanup" ] && rm -f "$policy"
exit 0
