#!/usr/bin/env python3
"""Serve the fixture agency sites on loopback, each on its own address.

    scripts/serve-fixtures.py PORT_FILE [CSV_OUT]

Every folder of fixtures/sites/ is one agency site, served on 127.0.0.N
(N = 2, 3, …, loopback only) at one shared port, chosen free and written to
PORT_FILE. With CSV_OUT, the agency registry (fixtures/sites/agencies.csv.in
with the port filled in) is written there. Runs until killed.
"""
import functools, http.server, os, socket, sys, threading

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "sites")
SITES = {"hongda": "127.0.0.2", "mingde": "127.0.0.3", "jinpai": "127.0.0.4"}
REDIRECTS = {"jinpai": {"/old-courses": "/courses.html"}}


class Handler(http.server.SimpleHTTPRequestHandler):
    site = ""

    def log_message(self, *args):
        pass

    def do_GET(self):
        # robots.txt and sitemaps name absolute URLs: fill in this site's base.
        if self.path.endswith(".xml") or self.path == "/robots.txt":
            path = os.path.join(ROOT, self.site, self.path.lstrip("/"))
            if os.path.isfile(path):
                host = self.headers.get("Host", "")
                body = open(path, "rb").read().replace(b"{base}", ("http://" + host).encode())
                self.send_response(200)
                self.send_header("Content-Type", "text/plain" if self.path.endswith(".txt") else "application/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
        target = REDIRECTS.get(self.site, {}).get(self.path)
        if target:
            self.send_response(301)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().do_GET()


def free_port():
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.2", 0))
            port = probe.getsockname()[1]
        servers = []
        try:
            for name, address in SITES.items():
                handler = type("H_" + name, (Handler,), {"site": name})
                handler = functools.partial(handler, directory=os.path.join(ROOT, name))
                servers.append(http.server.ThreadingHTTPServer((address, port), handler))
            return port, servers
        except OSError:
            for s in servers:
                s.server_close()
    raise SystemExit("no free port on the loopback addresses")


def main():
    port, servers = free_port()
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    if len(sys.argv) > 2:
        template = open(os.path.join(ROOT, "agencies.csv.in"), encoding="utf-8").read()
        open(sys.argv[2], "w", encoding="utf-8").write(template.replace("{port}", str(port)))
    with open(sys.argv[1], "w") as f:
        f.write(str(port))
    threading.Event().wait()


if __name__ == "__main__":
    main()
