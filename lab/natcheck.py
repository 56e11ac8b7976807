#!/usr/bin/python3
"""natcheck: checks that a natlab router really behaves as its mode claims.

Run as root beside natlab.sh, with Debian's /usr/bin/python3 (standard library only):

    natcheck.py check <prefix> <a|b> <mode> [hairpin on|off]
    natcheck.py answered <prefix> <a|b> <count>

sets the router's mode, then measures from the host behind it (a1 or b1) against a small reflector
that runs in the public host on two addresses and two ports:

  mapping     the public address:port the router gives one socket towards four destinations
              (RFC 4787 section 4.1: endpoint-independent, or dependent; sequential or random ports)
  filtering   which of four sources may answer a socket that contacted one of them (RFC 4787
              section 5: endpoint-independent, address-dependent, address-and-port-dependent)
  unsolicited a datagram sent to the mapped port before the host sent anything is dropped and leaves
              no connection-tracking entry in the router
  coturn      a STUN Binding request (RFC 8489) to each of coturn's addresses is answered, and the
              answer carries OTHER-ADDRESS (RFC 5780 section 7.4)
  tcp         TCP to the public host works (also when UDP is blocked)
  ipv6        the IPv6 firewall passes the answer from the contacted address:port only
  hairpin     (router a only) a1 reaches a2 through router A's public address, or not

`answered` sends <count> requests, one at a time, from the host behind the router to the reflector
and prints how many were answered (to see `natlab.sh loss` at work).

It prints one line per property with what was expected and what was seen, and exits 1 if any
property does not hold. The other subcommands are its helpers, run inside the lab's namespaces.
"""
import json
import os
import random
import select
import socket
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
NATLAB = os.path.join(HERE, "natlab.sh")
PY = "/usr/bin/python3"
REFLECT_PORT = 5000
REFLECT_ALT_PORT = 5001
STUN_PORT = 3478
SEQ_BASE, SEQ_COUNT = 40000, 256


def natlab(*args):
    return subprocess.run([NATLAB, *args], check=True, capture_output=True, text=True).stdout.strip()


# ---------------------------------------------------------------- reflector (in the public host)

def serve(v4a, v4b, v6a, v6b):
    """Answers MAP (with the source address seen), FILTER (from all four sockets) and SHOOT."""
    socks = {}
    for fam, a, b in ((socket.AF_INET, v4a, v4b), (socket.AF_INET6, v6a, v6b)):
        for label, addr, port in (("SAME", a, REFLECT_PORT), ("PORT", a, REFLECT_ALT_PORT),
                                  ("ADDR", b, REFLECT_PORT), ("BOTH", b, REFLECT_ALT_PORT)):
            s = socket.socket(fam, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((addr, port))
            socks[(fam, label)] = s
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind((v4a, REFLECT_PORT))
    tcp.listen(8)
    print("ready", flush=True)
    by_sock = {s: key for key, s in socks.items()}
    while True:
        readable, _, _ = select.select(list(socks.values()) + [tcp], [], [])
        for s in readable:
            if s is tcp:
                c, _ = tcp.accept()
                c.sendall(b"TCP-OK")
                c.close()
                continue
            data, src = s.recvfrom(2048)
            fam, _ = by_sock[s]
            words = data.decode("ascii", "replace").split()
            if not words:
                continue
            if words[0] == "MAP":
                s.sendto(("MAPPED %s %d %s" % (src[0], src[1], words[1] if len(words) > 1 else "")).encode(), src)
            elif words[0] == "FILTER":
                for label in ("SAME", "PORT", "ADDR", "BOTH"):
                    socks[(fam, label)].sendto(("F %s %s" % (label, words[1] if len(words) > 1 else "")).encode(), src)
            elif words[0] == "SHOOT" and len(words) == 3:
                target = (words[1], int(words[2]))
                tfam = socket.AF_INET6 if ":" in words[1] else socket.AF_INET
                socks[(tfam, "BOTH")].sendto(b"UNSOLICITED", target)


# ---------------------------------------------------------------- measurements (in a host)

def udp(fam=socket.AF_INET, port=0):
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", port))
    return s


def receive_all(s, seconds):
    """Every datagram that arrives on s within the given time."""
    got = []
    end = time.monotonic() + seconds
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return got
        r, _, _ = select.select([s], [], [], left)
        if r:
            got.append(s.recvfrom(2048))


def request(s, dest, payload, answer, tries=3):
    """Sends payload to dest up to tries times, 0.4 s apart; returns the first answer(data) that is not None."""
    for _ in range(tries):
        s.sendto(payload, dest)
        end = time.monotonic() + 0.4
        while time.monotonic() < end:
            r, _, _ = select.select([s], [], [], max(0, end - time.monotonic()))
            if not r:
                break
            result = answer(s.recvfrom(2048)[0])
            if result is not None:
                return result
    return None


def ask_map(s, dest, tries=3):
    nonce = "%08x" % random.getrandbits(32)

    def answer(data):
        w = data.decode("ascii", "replace").split()
        return [w[1], int(w[2])] if len(w) == 4 and w[0] == "MAPPED" and w[3] == nonce else None
    return request(s, dest, ("MAP " + nonce).encode(), answer, tries)


def stun_binding(s, dest):
    """A Binding request (RFC 8489 section 6); returns (XOR-MAPPED-ADDRESS, has OTHER-ADDRESS)."""
    txid = os.urandom(12)

    def answer(data):
        if len(data) < 20 or data[8:20] != txid or struct.unpack("!H", data[:2])[0] != 0x0101:
            return None
        mapped, other = None, False
        pos = 20
        while pos + 4 <= len(data):
            atype, alen = struct.unpack("!HH", data[pos:pos + 4])
            value = data[pos + 4:pos + 4 + alen]
            if atype == 0x0020 and len(value) >= 8 and value[1] == 0x01:
                # RFC 8489 section 14.2: "X-Port is computed by XOR'ing the mapped port with the most
                # significant 16 bits of the magic cookie"; the IPv4 address with the whole cookie
                port = struct.unpack("!H", value[2:4])[0] ^ 0x2112
                ip = bytes(a ^ b for a, b in zip(value[4:8], struct.pack("!I", 0x2112A442)))
                mapped = [socket.inet_ntoa(ip), port]
            elif atype == 0x802C:
                other = True
            pos += 4 + alen + (-alen % 4)
        return mapped, other
    return request(s, dest, struct.pack("!HHI", 0x0001, 0, 0x2112A442) + txid, answer) or (None, False)


def conntrack_entries(router_ns, src, sport):
    out = subprocess.run(["ip", "netns", "exec", router_ns, "conntrack", "-L", "-p", "udp", "-s", src,
                          "--sport", str(sport)], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line.strip()]


def client(cfg):
    cfg = json.loads(cfg)
    a, b = (cfg["v4a"], REFLECT_PORT), (cfg["v4b"], REFLECT_PORT)
    a_alt, b_alt = (cfg["v4a"], REFLECT_ALT_PORT), (cfg["v4b"], REFLECT_ALT_PORT)
    result = {}

    # unsolicited: the reflector shoots at the port our socket will use, before it sends anything
    s1 = udp()
    local_port = s1.getsockname()[1]
    result["local_port"] = local_port
    control = udp()
    control.sendto(("SHOOT %s %d" % (cfg["wan"], local_port)).encode(), a)
    time.sleep(0.3)
    result["unsolicited_received"] = bool(receive_all(s1, 0.05))
    result["unsolicited_conntrack"] = conntrack_entries(cfg["router_ns"], cfg["v4b"], REFLECT_ALT_PORT)

    # mapping: one socket towards four destinations, in this order
    result["mapped"] = [ask_map(s1, d) for d in (a, b, a_alt, b_alt)]

    # filtering: a fresh socket contacts one reflector socket; which of the four get through?
    s2 = udp()
    s2.sendto(b"FILTER 4", a)
    result["filter"] = sorted({d.decode().split()[1] for d, _ in receive_all(s2, 0.8) if d.startswith(b"F ")})

    s3 = udp()
    result["stun"] = [stun_binding(s3, (cfg["v4a"], STUN_PORT)), stun_binding(s3, (cfg["v4b"], STUN_PORT))]

    try:
        with socket.create_connection(a, timeout=2) as t:
            result["tcp"] = t.recv(16).decode() == "TCP-OK"
    except OSError:
        result["tcp"] = False

    s6 = udp(socket.AF_INET6)
    s6.sendto(b"FILTER 6", (cfg["v6a"], REFLECT_PORT))
    result["filter6"] = sorted({d.decode().split()[1] for d, _ in receive_all(s6, 0.8) if d.startswith(b"F ")})
    print(json.dumps(result), flush=True)


def count_answers(server, count):
    s = udp()
    answered = sum(1 for _ in range(int(count)) if ask_map(s, (server, REFLECT_PORT), tries=1))
    print(answered, flush=True)


def hairpin_listen(server):
    s = udp()
    mapped = ask_map(s, (server, REFLECT_PORT))
    print(json.dumps(mapped), flush=True)
    got = receive_all(s, 1.5)
    print(json.dumps([[d.decode(), list(src)] for d, src in got]), flush=True)


def hairpin_send(ip, port):
    s = udp()
    for _ in range(3):
        s.sendto(b"HAIRPIN", (ip, int(port)))
        time.sleep(0.1)


# ---------------------------------------------------------------- orchestration and verdicts

def expectations(mode):
    eim = mode in ("full-cone", "address-restricted", "port-restricted")
    return {
        "mapping": "none" if mode == "udp-blocked" else "endpoint-independent, port preserved" if eim
        else "address-and-port-dependent, sequential ports" if mode == "symmetric-sequential"
        else "address-and-port-dependent, random ports",
        "filter": {"full-cone": ["ADDR", "BOTH", "PORT", "SAME"], "address-restricted": ["PORT", "SAME"],
                   "udp-blocked": []}.get(mode, ["SAME"]),
        "filter6": [] if mode == "udp-blocked" else ["SAME"],
    }


def classify_mapping(r):
    m = r["mapped"]
    if any(x is None for x in m):
        return "none" if all(x is None for x in m) else "incomplete: %s" % m
    ports = [x[1] for x in m]
    if len(set(ports)) == 1:
        return "endpoint-independent, port preserved" if ports[0] == r["local_port"] \
            else "endpoint-independent, port changed"
    if len(set(ports)) < len(ports):
        return "mixed: %s" % ports
    steps = [b - a for a, b in zip(ports, ports[1:])]
    if all(s == 1 for s in steps) and all(SEQ_BASE <= p < SEQ_BASE + SEQ_COUNT for p in ports):
        return "address-and-port-dependent, sequential ports"
    if all(s == 1 for s in steps):
        return "address-and-port-dependent, sequential ports outside the range"
    return "address-and-port-dependent, random ports"


def with_reflector(prefix, action):
    ns = lambda n: "%s-%s" % (prefix, n)
    addr = lambda n: natlab("addr", prefix, n)
    server = subprocess.Popen(["ip", "netns", "exec", ns("pub"), PY, __file__, "serve", addr("pub4"), addr("pub4alt"),
                               addr("pub6"), addr("pub6alt")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        if server.stdout.readline().strip() != "ready":
            raise SystemExit("reflector did not start: " + server.stderr.read())
        return action(ns, addr)
    finally:
        server.kill()
        server.wait()


def answered(prefix, router, count):
    def action(ns, addr):
        out = subprocess.run(["ip", "netns", "exec", ns(router + "1"), PY, __file__, "count", addr("pub4"), count],
                             capture_output=True, text=True, timeout=120, check=True)
        return int(out.stdout.strip())
    return with_reflector(prefix, action)


def check(prefix, router, mode, hairpin):
    natlab("mode", prefix, router, mode, "hairpin", hairpin)
    return with_reflector(prefix, lambda ns, addr: measure(ns, addr, router, mode, hairpin))


def measure(ns, addr, router, mode, hairpin):
    v4a, v4b, v6a = addr("pub4"), addr("pub4alt"), addr("pub6")
    wan = addr("r%s4" % router)
    failures = []
    cfg = json.dumps({"v4a": v4a, "v4b": v4b, "v6a": v6a, "wan": wan, "router_ns": ns("r" + router)})
    out = subprocess.run(["ip", "netns", "exec", ns(router + "1"), PY, __file__, "client", cfg],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise SystemExit("client failed: " + out.stderr)
    r = json.loads(out.stdout)
    exp = expectations(mode)

    def verdict(name, expected, seen):
        ok = expected == seen
        print("  %-12s %-4s expected %s; seen %s" % (name, "ok" if ok else "FAIL", expected, seen))
        if not ok:
            failures.append(name)

    print("router %s, mode %s, hairpin %s:" % (router, mode, hairpin))
    verdict("mapping", exp["mapping"], classify_mapping(r))
    verdict("filtering", exp["filter"], r["filter"])
    verdict("unsolicited", "dropped, no conntrack entry",
            "dropped, no conntrack entry" if not r["unsolicited_received"] and not r["unsolicited_conntrack"]
            else "received=%s conntrack=%s" % (r["unsolicited_received"], r["unsolicited_conntrack"]))
    (m1, o1), (m2, o2) = r["stun"]
    if mode == "udp-blocked":
        verdict("coturn", "no answer", "no answer" if m1 is None and m2 is None else "answered %s %s" % (m1, m2))
    else:
        seen = "answered with OTHER-ADDRESS" if m1 and m2 and o1 and o2 else "answers %s %s other %s %s" % (m1, m2, o1, o2)
        if m1 and m2 and exp["mapping"].startswith("endpoint-independent") and m1 != m2:
            seen = "mapping differs between coturn's addresses: %s %s" % (m1, m2)
        verdict("coturn", "answered with OTHER-ADDRESS", seen)
    verdict("tcp", True, r["tcp"])
    verdict("ipv6", exp["filter6"], r["filter6"])
    if router == "a":
        listener = subprocess.Popen(["ip", "netns", "exec", ns("a2"), PY, __file__, "hairpin-listen", v4a],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            mapped = json.loads(listener.stdout.readline())
            if mapped:
                subprocess.run(["ip", "netns", "exec", ns("a1"), PY, __file__, "hairpin-send", mapped[0],
                                str(mapped[1])], check=True, timeout=10)
            got = json.loads(listener.stdout.readline())
            listener.wait(timeout=10)
        finally:
            listener.kill()
        expected = "a2 reached from " + wan if hairpin == "on" and mode != "udp-blocked" else "not reached"
        seen = ("a2 reached from " + got[0][1][0]) if got else "not reached"
        verdict("hairpin", expected, seen)
    return failures


def main(argv):
    if len(argv) < 2:
        raise SystemExit(__doc__)
    cmd = argv[1]
    if cmd == "serve":
        serve(*argv[2:6])
    elif cmd == "client":
        client(argv[2])
    elif cmd == "count":
        count_answers(argv[2], argv[3])
    elif cmd == "answered":
        print("%d of %s answered" % (answered(argv[2], argv[3], argv[4]), argv[4]))
    elif cmd == "hairpin-listen":
        hairpin_listen(argv[2])
    elif cmd == "hairpin-send":
        hairpin_send(argv[2], argv[3])
    elif cmd == "check":
        prefix, router, mode = argv[2:5]
        hairpin = argv[6] if len(argv) > 6 and argv[5] == "hairpin" else "off"
        failures = check(prefix, router, mode, hairpin)
        print("%s: %s" % ("FAIL" if failures else "OK", ", ".join(failures) if failures else "behaves as " + mode))
        sys.exit(1 if failures else 0)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
