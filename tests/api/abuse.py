#!/usr/bin/env python3
"""abuse.py -- hostile HTTP clients for the API tests (loopback only, Python 3 stdlib).

Each subcommand is bounded in count and time, stops by itself, and prints one JSON line
that the calling test (tests/api/test_*.sh) checks with jq:

  chunked PORT PATH SECONDS      a chunked POST body that never ends: the status answered
                                 and the bytes sent before it (or status null)
  headers PORT N                 a GET /v1/health with N small headers: the status
  slow PORT N SECONDS IPS        N connections from IPS addresses 127.0.0.2... sending
                                 their headers a byte at a time, held for SECONDS while
                                 /v1/health is asked from 127.0.0.1 every 0.2 s: the
                                 connections held and refused, the slowest health answer
  flood PORT N SECONDS PATH...   N clients asking the PATHs over and over for SECONDS while
                                 /v1/health and a cheap lookup are asked: their slowest
                                 answers and the statuses of all
  load PORT N PATH...            N clients asking the PATHs over and over until killed
"""
import http.client
import json
import socket
import sys
import threading
import time

HOST = "127.0.0.1"


def status_of(sock, timeout):
    """The status code of the answer on sock, None when none comes in time."""
    sock.settimeout(timeout)
    data = b""
    try:
        while b"\r\n" not in data:
            part = sock.recv(4096)
            if not part:
                break
            data += part
    except OSError:
        pass
    fields = data.split(b" ", 2)
    return int(fields[1]) if len(fields) > 1 and fields[1].isdigit() else None


def chunked(port, path, seconds):
    sock = socket.create_connection((HOST, port))
    sock.sendall(("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n" % path).encode())
    piece = b"4000\r\n" + b" " * 0x4000 + b"\r\n"
    sent, status, end = 0, None, time.monotonic() + seconds
    sock.settimeout(0.05)
    while time.monotonic() < end and status is None:
        try:
            sock.sendall(piece)
            sent += 0x4000
        except OSError:
            pass
        try:
            if sock.recv(1, socket.MSG_PEEK):
                status = status_of(sock, 1)
        except socket.timeout:
            pass
        except OSError:
            break
    sock.close()
    return {"status": status, "sent": sent}


def headers(port, n):
    sock = socket.create_connection((HOST, port))
    head = "".join("X-H%d: a\r\n" % i for i in range(n))
    try:
        sock.sendall(("GET /v1/health HTTP/1.1\r\nHost: x\r\n%s\r\n" % head).encode())
    except OSError:
        pass
    status = status_of(sock, 10)
    sock.close()
    return {"status": status}


def health_time(port, timeout=10):
    """Seconds /v1/health took, None when it did not answer 200 within timeout."""
    start = time.monotonic()
    try:
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        conn.request("GET", "/v1/health")
        ok = conn.getresponse().status == 200
        conn.close()
    except OSError:
        ok = False
    return time.monotonic() - start if ok else None


def slow(port, n, seconds, ips):
    socks, refused = [], 0
    for i in range(n):
        sock = socket.socket()
        sock.bind(("127.0.0.%d" % (2 + i % ips), 0))
        try:
            sock.connect((HOST, port))
            sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n")
            socks.append(sock)
        except OSError:
            refused += 1
            sock.close()
    # a connection over a limit is accepted, then closed at once: count those as refused
    time.sleep(0.3)
    for sock in list(socks):
        sock.setblocking(False)
        try:
            closed = sock.recv(1, socket.MSG_PEEK) == b""
        except BlockingIOError:
            closed = False
        except OSError:
            closed = True
        if closed:
            socks.remove(sock)
            sock.close()
            refused += 1
    worst, failed, asked = 0.0, 0, 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for sock in socks:  # one more byte of a header that never ends
            try:
                sock.send(b"X")
            except OSError:
                pass
        took = health_time(port)
        asked += 1
        if took is None:
            failed += 1
        else:
            worst = max(worst, took)
        time.sleep(0.2)
    for sock in socks:
        sock.close()
    return {"held": len(socks), "refused": refused, "asked": asked, "failed": failed,
            "worst_s": round(worst, 3)}


def client(port, paths, stop, codes, lock):
    i = 0
    while not stop.is_set():
        path = paths[i % len(paths)]
        i += 1
        code, took = timed_get(port, path, 60)
        with lock:
            codes[code] = codes.get(code, 0) + 1
            codes["worst_s"] = max(codes.get("worst_s", 0.0), round(took, 3))


def timed_get(port, path, timeout=10):
    start = time.monotonic()
    try:
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        conn.request("GET", path)
        code = conn.getresponse().status
        conn.close()
    except OSError:
        code = 0
    return code, time.monotonic() - start


def flood(port, n, seconds, paths):
    stop, lock, codes = threading.Event(), threading.Lock(), {}
    threads = [threading.Thread(target=client, args=(port, paths, stop, codes, lock), daemon=True)
               for _ in range(n)]
    for t in threads:
        t.start()
    time.sleep(0.5)  # the queue fills
    health = {"worst_s": 0.0, "failed": 0, "asked": 0}
    cheap = {"worst_s": 0.0, "codes": {}, "asked": 0}
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        code, took = timed_get(port, "/v1/health")
        health["asked"] += 1
        if code != 200:
            health["failed"] += 1
        health["worst_s"] = max(health["worst_s"], round(took, 3))
        code, took = timed_get(port, "/v1/nodes?q=bak")
        cheap["asked"] += 1
        cheap["codes"][str(code)] = cheap["codes"].get(str(code), 0) + 1
        cheap["worst_s"] = max(cheap["worst_s"], round(took, 3))
        time.sleep(0.1)
    stop.set()
    for t in threads:
        t.join(70)
    return {"health": health, "cheap": cheap,
            "flood": {str(k): v for k, v in codes.items()}}


def load(port, n, paths):
    stop, lock, codes = threading.Event(), threading.Lock(), {}
    threads = [threading.Thread(target=client, args=(port, paths, stop, codes, lock), daemon=True)
               for _ in range(n)]
    for t in threads:
        t.start()
    time.sleep(600)  # killed by the test long before


def main(argv):
    cmd, port = argv[1], int(argv[2])
    if cmd == "chunked":
        out = chunked(port, argv[3], float(argv[4]))
    elif cmd == "headers":
        out = headers(port, int(argv[3]))
    elif cmd == "slow":
        out = slow(port, int(argv[3]), float(argv[4]), int(argv[5]))
    elif cmd == "flood":
        out = flood(port, int(argv[3]), float(argv[4]), argv[5:])
    elif cmd == "load":
        out = load(port, int(argv[3]), argv[4:])
    else:
        sys.exit("abuse.py: unknown subcommand " + cmd)
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv)
