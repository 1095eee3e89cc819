#!/usr/bin/env bash
# Who can reach a cluster: only its owner. The API socket is 0600 in a 0700 run directory inside
# a 0700 cluster directory, so another user (nobody) can neither connect (EACCES) nor read the
# state database, config, logs, token or keys, even where each outer layer is opened up. Every
# socket the daemon listens on is loopback-only: DNS over UDP and TCP on the cluster's 127.x
# address, and the API's HTTPS listener (--api-listen) on 127.0.0.1, where any local user can
# connect but nothing is answered without the cluster's bearer token (401).
# Switching to another user needs root: exit 77 (skipped) otherwise.
set -euo pipefail
kinda=$1
if [ "$(id -u)" != 0 ]; then
  echo "skipped: switching to user nobody needs root (setpriv); run as root to check isolation"
  exit 77
fi
command -v setpriv >/dev/null || { echo "skipped: setpriv (util-linux) is not installed"; exit 77; }
source "$(dirname "$0")/lib.sh" security
root=$KINDA_HOME/$KINDA_CLUSTER
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

"$kinda" up --time-scale 0.2 --api-listen 127.0.0.1:0 >/dev/null
printf 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {password: hunter2}\n' |
  "$kinda" apply -f - >/dev/null

[ "$(stat -c '%a %u %F' "$root/run/api.sock")" = "600 $(id -u) socket" ] ||
  fail "api.sock: $(stat -c '%a %u %F' "$root/run/api.sock")"
[ "$(stat -c '%a' "$root/run")" = 700 ] || fail "run/ is $(stat -c '%a' "$root/run")"
[ "$(stat -c '%a' "$root")" = 700 ] || fail "the cluster directory is $(stat -c '%a' "$root")"
ok "api.sock 0600 owned by $(id -un), run/ and the cluster directory 0700"

# nobody tries: with the home traversable, then with each inner layer opened up in turn, so each
# layer is shown to hold on its own. Connecting must fail with EACCES, reading likewise.
connect_as_nobody() {
  as_nobody /usr/bin/python3 - "$root/run/api.sock" <<'PY'
import errno, socket, sys
s = socket.socket(socket.AF_UNIX)
try:
    s.connect(sys.argv[1])
except OSError as e:
    print(errno.errorcode.get(e.errno, e.errno)); sys.exit(0)
s.sendall(b"GET /api/v1/secrets HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
print("CONNECTED", s.recv(200)); sys.exit(1)
PY
}
chmod 0755 "$KINDA_HOME"
for opened in "" "$root" "$root/run"; do
  [ -z "$opened" ] || chmod 0755 "$opened"
  result=$(connect_as_nobody) || fail "nobody reached the API (${opened:-no layer opened}): $result"
  [ "$result" = EACCES ] || fail "nobody's connect failed with $result, not EACCES"
done
chmod 0700 "$root/run" "$root"
ok "nobody cannot connect (EACCES), even with the cluster directory or run/ opened up"

for file in state.db config.json daemon.log pki/token pki/ca.key pki/server.key; do
  ! as_nobody cat "$root/$file" >/dev/null 2>"$KINDA_HOME/err" || fail "nobody read $file"
  grep -q "Permission denied" "$KINDA_HOME/err" || fail "reading $file: $(cat "$KINDA_HOME/err")"
done
! as_nobody ls "$root" >/dev/null 2>&1 || fail "nobody listed the cluster directory"
ok "nobody cannot read state.db, config.json, daemon.log, the API token or the TLS keys, nor list the cluster directory"

# The daemon's sockets, found through its descriptors, against the kernel's socket tables.
pid=$(cat "$root/run/daemon.pid")
dns=$("$kinda" status | awk '/^DNS:/ {print $2}')
api=$(cat "$root/run/api.listen")
python3 - "$pid" "${dns%:*}" "${dns##*:}" "${api##*:}" <<'PY'
import ipaddress, os, sys
pid, dns_ip, dns_port, api_port = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
inodes = set()
for fd in os.listdir(f"/proc/{pid}/fd"):
    try:
        target = os.readlink(f"/proc/{pid}/fd/{fd}")
    except OSError:
        continue
    if target.startswith("socket:["):
        inodes.add(target[8:-1])
def address(hex_addr):
    ip, port = hex_addr.split(":")
    raw = bytes.fromhex(ip)
    # /proc/net prints each 32-bit word in host (little-endian) order.
    raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
    ip = ipaddress.ip_address(raw)
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip, int(port, 16)
listening, problems = [], []
for table in ["tcp", "tcp6", "udp", "udp6"]:
    for line in open(f"/proc/net/{table}").read().splitlines()[1:]:
        f = line.split()
        if f[9] not in inodes:
            continue
        (ip, port), state = address(f[1]), f[3]
        if table.startswith("tcp") and state != "0A":
            continue  # not listening: a connection the daemon made (probes), checked below
        listening.append((table, str(ip), port))
        if not ip.is_loopback:
            problems.append(f"{table} {ip}:{port} is not loopback")
        if port == api_port and table.startswith("tcp") and str(ip) != "127.0.0.1":
            problems.append(f"the API listens on {ip}:{port}, not 127.0.0.1")
        elif table.startswith("tcp") and (str(ip), port) not in [(dns_ip, dns_port), ("127.0.0.1", api_port)] and port != 53:
            problems.append(f"tcp {ip}:{port} listens but is neither DNS nor the API")
for table in ["udp", "tcp"]:
    if (table, dns_ip, dns_port) not in listening:
        problems.append(f"DNS is not on {table} {dns_ip}:{dns_port}")
if ("tcp", "127.0.0.1", api_port) not in listening:
    problems.append(f"the API is not on tcp 127.0.0.1:{api_port}")
print("daemon listeners:", ", ".join(f"{t} {ip}:{p}" for t, ip, p in sorted(listening)))
for p in problems:
    print("FAIL:", p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
ok "every socket the daemon listens on is loopback-only (DNS on $dns, UDP and TCP; the API on $api)"

# Any local user reaches the TCP port, so the token is what guards it: nobody, with the cluster's
# CA copied out, gets 401 without it or with a wrong one; the owner with it gets 200.
cp "$root/pki/ca.crt" "$KINDA_HOME/ca.crt"
chmod 0644 "$KINDA_HOME/ca.crt"
https_status() {  # https_status USER-PREFIX… -- AUTHORIZATION PATH: the HTTP status code
  local prefix=() ; while [ "$1" != -- ]; do prefix+=("$1"); shift; done; shift
  "${prefix[@]}" /usr/bin/python3 - "$api" "$KINDA_HOME/ca.crt" "$1" "$2" <<'PY'
import http.client, ssl, sys
address, ca, authorization, path = sys.argv[1:]
host, port = address.rsplit(":", 1)
conn = http.client.HTTPSConnection(host, int(port), timeout=20,
                                   context=ssl.create_default_context(cafile=ca))
conn.request("GET", path, headers={"Authorization": authorization} if authorization else {})
reply = conn.getresponse()
body = reply.read().decode()
if reply.status == 401 and '"reason":"Unauthorized"' not in body:
    sys.exit("401 without an Unauthorized Status: " + body)
print(reply.status)
PY
}
token=$(cat "$root/pki/token")
[ "$(https_status as_nobody -- "" /api/v1/secrets)" = 401 ] || fail "nobody without a token was answered"
[ "$(https_status as_nobody -- "Bearer ${token%?}x" /api/v1/secrets)" = 401 ] ||
  fail "a wrong token was accepted"
[ "$(https_status as_nobody -- "Bearer " /version)" = 401 ] || fail "an empty token was accepted"
[ "$(https_status env -- "Bearer $token" /api/v1/namespaces/default/secrets/s)" = 200 ] ||
  fail "the owner's token was refused"
ok "the HTTPS API answers 401 to nobody without the token or with a wrong one, 200 with it"

"$kinda" down >/dev/null
echo "$passed passed, 0 failed"
