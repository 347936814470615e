#!/usr/bin/env python3
"""Bookinfo productpage stand-in for the gateway e2e (issue 6): 200 on the
routes the task's VirtualService sends to productpage (/productpage, /login,
/logout, /api/v1/products...), 404 elsewhere. Standard library only.

    python3 productpage.py HOST PORT
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = b"""<!DOCTYPE html>
<html><head><title>Simple Bookstore App</title></head>
<body><h3>The Comedy of Errors</h3><p>productpage stand-in (secure-ingress e2e)</p></body></html>
"""


class Handler(BaseHTTPRequestHandler):
    server_version = "productpage-standin/1"

    def _send(self, code, body, ctype):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path in ("/productpage", "/login", "/logout"):
            self._send(200, PAGE, "text/html; charset=utf-8")
        elif path.startswith("/api/v1/products"):
            self._send(200, json.dumps([{"id": 0, "title": "The Comedy of Errors"}]).encode(), "application/json")
        elif path == "/health":
            self._send(200, b"ok\n", "text/plain")
        else:
            self._send(404, b"not found\n", "text/plain")

    do_HEAD = do_GET

    def do_POST(self):
        self.do_GET()

    def log_message(self, fmt, *args):
        sys.stderr.write("productpage %s %s\n" % (self.address_string(), fmt % args))


if __name__ == "__main__":
    host = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1"
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 9080
    ThreadingHTTPServer((host, port), Handler).serve_forever()
