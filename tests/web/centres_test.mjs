// The web pages of a server of two centres (docs/multi-centre.md): under
// /centres/{centre}/ a page reads and follows that centre only, and its
// links stay under the prefix.
import assert from "node:assert/strict";

import { api, hash, launch, passwords, run, screenshots, startServer, test, watchConsole } from "./support.mjs";

function centreFile(id, name, categoryName) {
  return `[centre]
id = "${id}"
name = "${name}"
time_zone = "Asia/Ho_Chi_Minh"

[[categories]]
code = "HS"
name_vi = "${categoryName}"
format = { prefix = "A", width = 3 }
hours = "always"

[[counters]]
id = "1"
categories = ["HS"]
`;
}

const deployment = `[server]
address = "127.0.0.1"
io_threads = 2
take_ticket_per_minute = 100000
sign_in_per_minute = 1000
subscribe_per_minute = 1000

[[staff]]
username = "lan"
display_name = "Nguyễn Thị Lan"
password_hash = "${hash(passwords.lan)}"
centres = ["xa"]
`;

const server = await startServer({
  config: ".",
  files: {
    "deployment.toml": deployment,
    "centres/hcc.toml": centreFile("hcc", "Trung tâm Phục vụ hành chính công", "Đất đai"),
    "centres/xa.toml": centreFile("xa", "Bộ phận Một cửa xã An Bình", "Hộ tịch"),
  },
});
const browser = await launch();

async function take(centre) {
  const reply = await api(server.base, "POST", `/api/v1/centres/${centre}/tickets`, { body: { category: "HS" } });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body;
}

test("a ticket page under a centre's prefix follows that centre's ticket live", async () => {
  await take("hcc");
  const mine = await take("xa");
  assert.equal(mine.number, "A001", "each centre numbers its own tickets");
  const context = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: "vi-VN" });
  const page = await context.newPage();
  const errors = watchConsole(page, "centre ticket");
  await page.goto(`${server.base}/centres/xa/t/${mine.statusToken}`);
  await page.locator("#number").filter({ hasText: "A001" }).waitFor();
  assert.equal(await page.locator("#category").textContent(), "Hộ tịch");
  await page.locator("#centre").filter({ hasText: "Bộ phận Một cửa xã An Bình" }).waitFor();
  await page.evaluate(() => (window.__sameDocument = true));

  const session = await api(server.base, "POST", "/api/v1/centres/xa/sessions", {
    body: { username: "lan", password: passwords.lan, counter: "1" },
  });
  assert.equal(session.status, 201, JSON.stringify(session.body));
  const called = await api(server.base, "POST", "/api/v1/centres/xa/counters/1/call-next", {
    body: {},
    token: session.body.token,
  });
  assert.equal(called.body.ticket.number, "A001");
  await page.locator("#state").filter({ hasText: "Mời đến Quầy 1" }).waitFor({ timeout: 5000 });
  assert.equal(await page.evaluate(() => window.__sameDocument), true, "the page must not reload");
  await screenshots(page, "centre-ticket-called");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the start page of a centre links to that centre's pages", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "vi-VN" });
  const page = await context.newPage();
  const errors = watchConsole(page, "centre index");
  await page.goto(`${server.base}/centres/hcc/`);
  await page.locator("#centre").filter({ hasText: "Trung tâm Phục vụ hành chính công" }).waitFor();
  const links = await page.locator("a.destination").evaluateAll((all) => all.map((a) => a.getAttribute("href")));
  assert.deepEqual(links, ["/centres/hcc/counter", "/centres/hcc/board", "/centres/hcc/manage"]);
  assert.deepEqual(errors, []);
  await context.close();
  // An unknown centre's page is not found.
  assert.equal((await api(server.base, "GET", "/centres/nowhere/board")).status, 404);
});

await run().finally(async () => {
  await browser.close();
  await server.stop();
});
