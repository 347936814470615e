// Stand-ins for the task's backends on loopback: httpbin's /status/<code> (418 with httpbin's teapot) and
// Bookinfo's productpage. They answer what the real services answer on those paths, nothing more.
import * as http from "http";
import { AddressInfo } from "net";

/** httpbin's teapot (httpbin/helpers.py ASCII_ART), as the task prints it. */
export const teapot = [
    "",
    "    -=[ teapot ]=-",
    "",
    "       _...._",
    "     .'  _ _ `.",
    '    | ."` ^ `". _,',
    '    \\_;`"---"`|//',
    "      |       ;/",
    "      \\_     _/",
    '        `"""`',
    "",
].join("\n");

export interface Upstream {
    port: number;
    /** Requests seen: method, path and headers. */
    seen: { method: string; url: string; headers: http.IncomingHttpHeaders }[];
    close(): Promise<void>;
}

function listen(handler: http.RequestListener): Promise<Upstream> {
    const seen: Upstream["seen"] = [];
    const server = http.createServer((req, res) => {
        seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
        handler(req, res);
    });
    server.keepAliveTimeout = 500;
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const port = (server.address() as AddressInfo).port;
            resolve({
                port,
                seen,
                close: () =>
                    new Promise<void>((r) => {
                        server.closeAllConnections();
                        server.close(() => r());
                    }),
            });
        });
    });
}

/** httpbin: /status/<code> answers that code (418: the teapot), /headers echoes the request headers. */
export function startHttpbin(): Promise<Upstream> {
    return listen((req, res) => {
        const url = new URL(req.url ?? "/", "http://httpbin");
        const status = /^\/status\/(\d{3})$/.exec(url.pathname);
        if (status) {
            const code = Number(status[1]);
            if (code === 418) {
                res.writeHead(418, { "x-more-info": "http://tools.ietf.org/html/rfc2324", "content-type": "text/plain" });
                res.end(teapot);
                return;
            }
            res.writeHead(code, {
                "content-type": "text/html; charset=utf-8",
                "access-control-allow-origin": "*",
                "access-control-allow-credentials": "true",
            });
            res.end();
            return;
        }
        if (url.pathname === "/headers") {
            res.writeHead(200, { "content-type": "application/json" });
            res.end(JSON.stringify({ headers: req.headers }));
            return;
        }
        res.writeHead(404, { "content-type": "text/html" });
        res.end("<h1>Not Found</h1>");
    });
}

/** Bookinfo's productpage: /productpage answers 200 with the store page. */
export function startProductpage(): Promise<Upstream> {
    return listen((req, res) => {
        const path = new URL(req.url ?? "/", "http://productpage").pathname;
        if (path === "/productpage") {
            res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
            res.end("<!DOCTYPE html><html><head><title>Simple Bookstore App</title></head><body>The Comedy of Errors</body></html>");
            return;
        }
        res.writeHead(404, { "content-type": "text/html" });
        res.end("<h1>Not Found</h1>");
    });
}
