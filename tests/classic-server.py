#!/usr/bin/env python3
"""A classic-protocol file server, for filestorm's tests only (not installed).

An implementation of the classic teaching protocol written apart from
filestorm's own server, with the habits of the classic implementations that
filestorm's clients must cope with:

  * a thread per connection (--mode thread) or a forked process per
    connection (--mode process), at most --pool at a time;
  * one request per connection, closed after the answer;
  * the whole request line folded to lower case;
  * only the streamed upload (UPLOAD [name], READY, base64 lines,
    ENDUPLOAD); the name is ignored and the file is stored under the MD5 of
    its content, plus an extension guessed from its first bytes;
  * no STATS (it is an unknown request), no DELETE of a name it does not
    have.

Its two dialects, so that one test run meets both: in thread mode the
READY line comes without its blank line and the upload answer names the
file as "data_namafile" (the classic protocol's text); in process mode the
READY line ends in \\r\\n\\r\\n and the answer names it as data.file_path (the
classic implementation).

It serves the current directory (--root to change it) and stops on SIGTERM
unless --ignore-term, which the tests use to play a server that will not
stop. --silent-stats plays one that never answers STATS: it holds the
connection until the client gives up. --never-accept plays one that is stuck: its listen queue is full
(one connection, its own, waits there) and it accepts nothing for 60 s.
"""

import argparse
import base64
import hashlib
import json
import os
import signal
import socket
import sys
import tempfile
import threading
import time

END = b"\r\n\r\n"
UNKNOWN = {"status": "ERROR", "data": "request tidak dikenali"}
CHUNK = 3 * 16 * 1024  # whole base64 quanta per piece


def guess_extension(head):
    for magic, ext in ((b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff", ".jpeg"),
                       (b"%PDF", ".pdf"), (b"GIF87a", ".gif"), (b"GIF89a", ".gif"),
                       (b"PK\x03\x04", ".zip"), (b"ID3", ".mpeg"), (b"\xff\xfb", ".mpeg")):
        if head.startswith(magic):
            return ext
    return ""


def valid_name(name):
    return (0 < len(name) <= 255 and "/" not in name and "\0" not in name
            and not name.startswith(".") and name.isprintable())


class Connection:
    def __init__(self, sock, root, dialect, silent_stats=False):
        self.sock = sock
        self.root = root
        self.dialect = dialect
        self.silent_stats = silent_stats
        self.buf = b""

    def line(self):
        """The next line without its end, or None at the end of the stream."""
        while b"\n" not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                if self.buf:
                    line, self.buf = self.buf, b""
                    return line
                return None
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return line.rstrip(b"\r")

    def answer(self, obj):
        self.sock.sendall(json.dumps(obj).encode() + END)

    def serve(self):
        request = self.line()
        if request is None:
            return
        words = request.decode("utf-8", "replace").lower().split()
        if not words:
            return self.answer(UNKNOWN)
        command, args = words[0], words[1:]
        if command == "stats" and self.silent_stats:
            # No answer: wait (30 s at most) for the client to close.
            self.sock.settimeout(30)
            while self.sock.recv(4096):
                pass
            return None
        if command == "list" and not args:
            names = sorted(n for n in os.listdir(self.root)
                           if not n.startswith(".")
                           and os.path.isfile(os.path.join(self.root, n)))
            return self.answer({"status": "OK", "data": names})
        if command == "get" and len(args) == 1:
            return self.get(args[0])
        if command == "upload" and len(args) <= 1:
            return self.upload()
        if command == "delete" and len(args) == 1:
            path = os.path.join(self.root, args[0])
            if not valid_name(args[0]) or not os.path.isfile(path):
                return self.answer({"status": "ERROR", "data": "file tidak ditemukan"})
            os.unlink(path)
            return self.answer({"status": "OK", "message": "File deleted successfully"})
        return self.answer(UNKNOWN)

    def get(self, name):
        path = os.path.join(self.root, name)
        if not valid_name(name) or not os.path.isfile(path):
            return self.answer({"status": "ERROR", "data": "file tidak ditemukan"})
        with open(path, "rb") as f:
            head = json.dumps({"status": "OK", "data_namafile": name})[:-1]
            self.sock.sendall(head.encode() + b', "data_file": "')
            while True:
                piece = f.read(CHUNK)
                if not piece:
                    break
                self.sock.sendall(base64.b64encode(piece))
            self.sock.sendall(b'"}' + END)

    def upload(self):
        ready = b"READY TO RECEIVE FILE" + (b"" if self.dialect == "text" else END)
        self.sock.sendall(ready)
        digest = hashlib.md5()
        pending = b""
        head = b""
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                while True:
                    line = self.line()
                    if line is None:
                        raise ConnectionError("cut off before ENDUPLOAD")
                    if line.strip() == b"ENDUPLOAD":
                        break
                    pending += b"".join(line.split())
                    whole = len(pending) - len(pending) % 4
                    data = base64.b64decode(pending[:whole], validate=True)
                    pending = pending[whole:]
                    if len(head) < 8:
                        head += data[:8 - len(head)]
                    digest.update(data)
                    out.write(data)
                if pending:
                    raise ValueError("base64 cut short")
            name = digest.hexdigest() + guess_extension(head)
            os.rename(tmp, os.path.join(self.root, name))
        except (ValueError, ConnectionError) as e:
            os.unlink(tmp)
            return self.answer({"status": "ERROR", "data": str(e)})
        if self.dialect == "text":
            return self.answer({"status": "OK", "message": "File uploaded successfully",
                                "data_namafile": name})
        return self.answer({"status": "OK", "message": "File uploaded successfully",
                            "data": {"file_path": name}})


def handle(sock, root, dialect, silent_stats=False):
    with sock:
        try:
            Connection(sock, root, dialect, silent_stats).serve()
        except (OSError, ValueError):
            pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("thread", "process"), default="thread")
    parser.add_argument("--pool", type=int, default=5)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--root", default=".")
    parser.add_argument("--ignore-term", action="store_true")
    parser.add_argument("--never-accept", action="store_true")
    parser.add_argument("--silent-stats", action="store_true")
    args = parser.parse_args()
    if args.ignore_term:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    dialect = "text" if args.mode == "thread" else "implementation"
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((args.host, args.port))
    if args.never_accept:
        # A backlog of 0 queues one connection; the kernel drops the SYN
        # of any other, and a blocking connect waits out its retries.
        # The filler is ready before the listen, so that the window in
        # which another connection could take its place is two calls.
        filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.listen(0)
        filler.connect((args.host, args.port))
        print(f"stuck on {args.host}:{args.port}", flush=True)
        time.sleep(60)
        filler.close()
        return
    listener.listen(128)
    print(f"classic server on {args.host}:{args.port} ({args.mode}, pool {args.pool})",
          flush=True)
    slots = threading.BoundedSemaphore(args.pool)
    children = set()
    while True:
        if args.mode == "thread":
            slots.acquire()
            sock, _ = listener.accept()

            def run(s=sock):
                try:
                    handle(s, args.root, dialect, args.silent_stats)
                finally:
                    slots.release()
            threading.Thread(target=run, daemon=True).start()
            continue
        while len(children) >= args.pool:
            pid, _ = os.wait()
            children.discard(pid)
        sock, _ = listener.accept()
        pid = os.fork()
        if pid == 0:
            listener.close()
            handle(sock, args.root, dialect, args.silent_stats)
            os._exit(0)
        sock.close()
        children.add(pid)
        while children:
            pid, _ = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            children.discard(pid)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
