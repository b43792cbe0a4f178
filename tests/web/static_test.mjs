// The web pages are served by luot-server itself: page routes, content
// types, caching headers, the catalogue, and no way out of web_root.
import assert from "node:assert/strict";
import net from "node:net";

import { api, launch, run, screenshots, startServer, test, unlabelled, watchConsole } from "./support.mjs";

const server = await startServer();
const browser = await launch();

// One request with the target exactly as written (fetch would normalize
// "..", which is what an attacker's client does not do).
function rawGet(target) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, "127.0.0.1", () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    });
    let data = "";
    socket.on("data", (chunk) => (data += chunk));
    socket.on("end", () => resolve({ status: Number(data.split(" ")[1]), text: data }));
    socket.on("error", reject);
  });
}

test("every page route answers its HTML page with safe headers", async () => {
  const routes = {
    "/": "index.js",
    "/counter": "counter.js",
    "/board": "board.js",
    "/manage": "manage.js",
    "/t/3b834bc15e0b3489c7b21d0e5e62253cc53f82d7e3c59bc123675fe7890f617f": "ticket.js",
    "/rate/1": "rate.js",
  };
  for (const [route, script] of Object.entries(routes)) {
    const reply = await api(server.base, "GET", route);
    assert.equal(reply.status, 200, route);
    assert.equal(reply.headers.get("content-type"), "text/html; charset=utf-8", route);
    assert.match(reply.body, new RegExp(`/assets/js/${script}`), route);
    assert.match(reply.headers.get("content-security-policy"), /default-src 'self'/, route);
    assert.equal(reply.headers.get("referrer-policy"), "no-referrer", route);
    assert.equal(reply.headers.get("x-content-type-options"), "nosniff", route);
    assert.equal(reply.headers.get("cache-control"), "no-cache", route);
    assert.match(reply.headers.get("etag"), /^"[0-9a-f]+-[0-9a-f]+"$/, route);
  }
});

test("assets have their content types and revalidate by ETag", async () => {
  const types = {
    "/assets/css/luot.css": "text/css; charset=utf-8",
    "/assets/js/stream.js": "text/javascript; charset=utf-8",
    "/assets/icon.svg": "image/svg+xml",
  };
  for (const [target, type] of Object.entries(types)) {
    const first = await api(server.base, "GET", target);
    assert.equal(first.status, 200, target);
    assert.equal(first.headers.get("content-type"), type, target);
    const etag = first.headers.get("etag");
    const again = await fetch(server.base + target, { headers: { "If-None-Match": etag } });
    assert.equal(again.status, 304, target);
    assert.equal((await again.text()).length, 0, target);
  }
});

test("nothing outside the pages and assets is reachable", async () => {
  const refused = [
    "/assets/../centre.toml",
    "/assets/js/../../index.html",
    "/assets/%2e%2e/%2e%2e/etc/passwd",
    "/assets/.hidden.css",
    "/assets/css",
    "/assets/css/",
    "/assets/js//stream.js",
    "/assets/file.exe",
    "/counter.html",
    "/index.html",
    "/t/../../etc/passwd",
    "/t/abc%2fdef",
    "/rate/1/../../centre.toml",
    "/../../../../etc/passwd",
    "/t/",
    "/luot.db",
  ];
  for (const target of refused) {
    const reply = await rawGet(target);
    assert.equal(reply.status, 404, `${target}\n${reply.text.slice(0, 200)}`);
    assert.doesNotMatch(reply.text, /root:|\[centre\]|<!doctype/i, target);
  }
  const posted = await api(server.base, "POST", "/counter", { body: {} });
  assert.equal(posted.status, 405);
});

test("the catalogue has the same keys in Vietnamese and English", async () => {
  const vi = await api(server.base, "GET", "/api/v1/catalogue/vi");
  const en = await api(server.base, "GET", "/api/v1/catalogue/en");
  assert.equal(vi.status, 200);
  assert.deepEqual(Object.keys(vi.body.texts).sort(), Object.keys(en.body.texts).sort());
  assert.equal(vi.body.texts["web.ticket.state.waiting"], "Đang chờ");
  assert.equal(en.body.texts["web.ticket.state.waiting"], "Waiting");
  assert.ok(Object.keys(vi.body.texts).length > 200);
  assert.equal((await api(server.base, "GET", "/api/v1/catalogue/fr")).status, 404);
});

test("the start page renders in Vietnamese and switches to English", async () => {
  const page = await browser.newPage();
  const errors = watchConsole(page, "index");
  await page.goto(server.base + "/");
  await page.getByRole("heading", { name: "Hệ thống xếp hàng Lượt" }).waitFor();
  assert.equal(await page.title(), "Hệ thống xếp hàng Lượt");
  assert.match(await page.locator("#centre").textContent(), /Một cửa/);
  await screenshots(page, "index");
  assert.deepEqual(await unlabelled(page), []);
  await page.getByRole("button", { name: "Chuyển sang tiếng Anh" }).click();
  await page.getByRole("heading", { name: "Luot queue system" }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
  // Keyboard users meet the skip link first; the choice of language stays.
  await page.reload();
  await page.getByRole("heading", { name: "Luot queue system" }).waitFor();
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.className), "skip-link");
  assert.deepEqual(errors, []);
  await page.close();
});

await run().finally(async () => {
  await browser.close();
  await server.stop();
});
