#!/usr/bin/env python3
"""Writes the seed corpus of the DNS packet fuzz target: one raw packet per file, covering every
question form the cluster zone answers and the malformations a parser must survive. Rerun it
after changing the list; the files are committed so the corpus needs no Python to use.

usage: make_dns_corpus.py DIR
"""
import os
import struct
import sys

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "TXT": 16, "AAAA": 28, "SRV": 33,
         "OPT": 41, "IXFR": 251, "AXFR": 252, "ANY": 255}


def name(text):
    out = b""
    for label in filter(None, text.split(".")):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def header(id=0x1234, flags=0x0100, qd=1, an=0, ns=0, ar=0):
    return struct.pack(">HHHHHH", id, flags, qd, an, ns, ar)


def question(qname, qtype="A", qclass=1):
    return name(qname) + struct.pack(">HH", TYPES.get(qtype, qtype) if isinstance(qtype, str) else qtype, qclass)


def opt(udp_size=1232, version=0, do=False, options=b""):
    ttl = (version << 16) | (0x8000 if do else 0)
    return b"\0" + struct.pack(">HHIH", 41, udp_size, ttl, len(options)) + options


def query(qname, qtype="A", edns=None, id=0x1234):
    packet = header(id=id, ar=1 if edns else 0) + question(qname, qtype)
    return packet + (opt(edns) if edns else b"")


def seeds():
    zone = "cluster.local"
    forms = [
        ("db.default.svc." + zone, "A"), ("db-0.db.default.svc." + zone, "A"),
        ("DB-1.Db.DEFAULT.svc.Cluster.Local", "A"), ("db-0.db.default.svc." + zone, "AAAA"),
        ("_peer._tcp.db.default.svc." + zone, "SRV"), ("db.default.svc." + zone, "SRV"),
        ("_tcp.db.default.svc." + zone, "A"), ("web.default.svc." + zone, "A"),
        ("web.default.svc." + zone, "ANY"), ("ext.default.svc." + zone, "A"),
        ("2.0.64.127.in-addr.arpa", "PTR"), ("64.127.in-addr.arpa", "SOA"),
        ("9.9.9.10.in-addr.arpa", "PTR"), ("127-64-0-2.default.pod." + zone, "A"),
        ("dns-version." + zone, "TXT"), (zone, "SOA"), (zone, "NS"),
        ("nosuch.default.svc." + zone, "A"), ("default.svc." + zone, "A"),
        ("svc." + zone, "A"), ("example.com", "A"), ("db.default.svc." + zone, "AXFR"),
        ("db.default.svc." + zone, 65280),
    ]
    for i, (qname, qtype) in enumerate(forms):
        yield f"q{i:02d}-{qtype}", query(qname, qtype)
        yield f"q{i:02d}-{qtype}-edns", query(qname, qtype, edns=4096)
    good = question("db-0.db.default.svc." + zone)
    yield "bad-two-questions", header(qd=2) + good + question("db-1.db.default.svc." + zone)
    yield "bad-no-question", header(qd=0)
    yield "bad-response-bit", header(flags=0x8100) + good
    yield "bad-opcode-notify", header(flags=0x2000) + good
    yield "bad-class-chaos", header() + question("version.bind", "TXT", 3)
    yield "bad-truncated-header", header()[:7]
    yield "bad-truncated-question", (header() + good)[:-3]
    yield "bad-label-64", header() + b"\x40" + b"a" * 64 + b"\0" + struct.pack(">HH", 1, 1)
    yield "bad-pointer-loop", header() + b"\xc0\x0c" + struct.pack(">HH", 1, 1)
    yield "bad-pointer-forward", header() + b"\x01a\xc0\x20" + struct.pack(">HH", 1, 1)
    yield "bad-reserved-label-type", header() + b"\x81a\0" + struct.pack(">HH", 1, 1)
    yield "bad-two-opt", header(ar=2) + good + opt() + opt()
    yield "bad-opt-not-root", header(ar=1) + good + b"\x01x\0" + opt()[1:]
    yield "edns-version-1", header(ar=1) + good + opt(version=1)
    yield "edns-tiny-size", header(ar=1) + good + opt(udp_size=100)
    yield "edns-do-cookie", header(ar=1) + good + opt(do=True, options=struct.pack(">HH", 10, 8) + b"\1" * 8)
    yield "bad-opt-length", header(ar=1) + good + opt()[:-2] + b"\x00\x40"
    yield "trailing-garbage", query("db-0.db.default.svc." + zone) + b"\xff" * 9
    long_name = ".".join(["a" * 63] * 3 + ["b" * 61])
    yield "long-name", query(long_name)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for file_name, packet in seeds():
        with open(os.path.join(out, file_name), "wb") as f:
            f.write(packet)


if __name__ == "__main__":
    main()
