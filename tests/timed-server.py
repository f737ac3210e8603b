#!/usr/bin/env python3
"""A LIST server with a known service time, for filestorm's tests only.

Not installed: the open-loop and capacity tests run it.

It serves nothing but LIST, and every LIST costs exactly --service-ms of one
worker's time: a true queue with --workers servers. Each connection has a
reader thread that puts its requests on one shared FIFO queue; the workers
take them in order, hold each for the service time (from when it arrived,
or from the end of the worker's previous service when it had to wait, so
that the server's own overhead is not added to it) and answer on the
request's connection. The capacity is therefore known in
advance, whatever the number of connections: workers * 1000 / service-ms
LIST a second (200 with the defaults), and a client that offers more sees
the queue grow.

  * LIST answers {"status":"OK","data":["a.bin"]} after the service time;
  * STATS answers at once (not queued) with mode "timed", the pool (the
    number of workers) and "sessions" (connections accepted). It has no
    "connections" member, so filestorm-stress takes it as a server without
    STATS counters, and workers_ok / workers_failed stay 0;
  * anything else is an unknown request, answered at once; an empty line is
    ignored.

--stall-after K --stall-ms M make the K-th LIST served (1-based, counted
across all connections) hold its worker M ms longer, once: a server that
stops for a while. With more than one worker, a connection's reader waits
for the answer to its previous request before queueing the next, so that
each connection's answers stay in order.

--port 0 picks a free port; --port-file names a file that receives the port
(written atomically) once the server listens. It stops on SIGTERM, and by
itself after --stop-after seconds in any case.
"""

import argparse
import json
import os
import queue
import signal
import socket
import sys
import threading
import time

END = b"\r\n\r\n"
COMPACT = (",", ":")
LIST_ANSWER = json.dumps({"status": "OK", "data": ["a.bin"]}, separators=COMPACT).encode() + END
UNKNOWN = json.dumps({"status": "ERROR", "data": "request tidak dikenali"},
                     separators=COMPACT).encode() + END


class Server:
    def __init__(self, args):
        self.args = args
        self.queue = queue.Queue()
        self.lock = threading.Lock()
        self.sessions = 0
        self.served = 0

    def worker(self):
        service = self.args.service_ms / 1000.0
        # When this worker's last service ended, on its own schedule: a
        # request that was waiting starts then, not when the worker got
        # round to it, so that the time Python takes to answer and to
        # take the next request (more on a busy machine) is not added to
        # the service time, and the capacity is the one asked for.
        free_at = 0.0
        while True:
            conn, done, arrived = self.queue.get()
            start = max(arrived, free_at)
            with self.lock:
                self.served += 1
                stall = (self.args.stall_after > 0 and self.served == self.args.stall_after)
            deadline = start + service + (self.args.stall_ms / 1000.0 if stall else 0.0)
            free_at = deadline
            time.sleep(max(0.0, deadline - time.monotonic()))
            try:
                conn.send(LIST_ANSWER)
            finally:
                done.set()

    def stats(self):
        with self.lock:
            sessions = self.sessions
        data = {"mode": "timed", "pool": self.args.workers, "sessions": sessions,
                "workers_ok": 0, "workers_failed": 0}
        return json.dumps({"status": "OK", "data": data}, separators=COMPACT).encode() + END


class Connection:
    def __init__(self, server, sock):
        self.server = server
        self.sock = sock
        self.send_lock = threading.Lock()
        self.last = threading.Event()  # the previous request's answer went out
        self.last.set()

    def send(self, data):
        with self.send_lock:
            try:
                self.sock.sendall(data)
            except OSError:
                pass  # the client went away; its reader ends the connection

    def request(self, line):
        words = line.decode("utf-8", "replace").split()
        if not words:
            return
        command = words[0].upper()
        if command == "LIST" and len(words) == 1:
            if self.server.args.workers > 1:
                self.last.wait()
            done = threading.Event()
            self.last = done
            self.server.queue.put((self, done, time.monotonic()))
            return
        # Answered at once, but after whatever this connection has queued.
        self.last.wait()
        self.send(self.server.stats() if command == "STATS" and len(words) == 1 else UNKNOWN)

    def read(self):
        buf = b""
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    break
                buf += data
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    self.request(line.rstrip(b"\r"))
            if buf:  # a last line that the end of the stream cut short
                self.request(buf.rstrip(b"\r"))
        except OSError:
            pass
        finally:
            # Close only once no worker will write here any more: a closed
            # descriptor may be reused by the next connection.
            self.last.wait()
            self.sock.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--service-ms", type=float, default=5.0)
    parser.add_argument("--stall-after", type=int, default=0)
    parser.add_argument("--stall-ms", type=float, default=0.0)
    parser.add_argument("--stop-after", type=float, default=120.0)
    args = parser.parse_args()
    if args.workers < 1 or args.service_ms < 0 or args.stall_ms < 0 or args.stop_after <= 0:
        parser.error("--workers must be at least 1, times not negative, --stop-after positive")
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    stopper = threading.Timer(args.stop_after, os._exit, (0,))
    stopper.daemon = True
    stopper.start()

    family, kind, proto, _, address = socket.getaddrinfo(
        args.host, args.port, socket.AF_UNSPEC, socket.SOCK_STREAM, 0, socket.AI_PASSIVE)[0]
    listener = socket.socket(family, kind, proto)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(address)
    listener.listen(1024)
    port = listener.getsockname()[1]
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write(f"{port}\n")
        os.rename(args.port_file + ".tmp", args.port_file)
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"timed server on {host}:{port} (workers {args.workers}, "
          f"service {args.service_ms} ms)", flush=True)

    server = Server(args)
    for _ in range(args.workers):
        threading.Thread(target=server.worker, daemon=True).start()
    while True:
        sock, _ = listener.accept()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with server.lock:
            server.sessions += 1
        threading.Thread(target=Connection(server, sock).read, daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
