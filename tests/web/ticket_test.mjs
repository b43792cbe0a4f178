// The citizen's ticket page: live from waiting to called without a reload,
// the "tell me when N people are left" notification, and nothing about any
// other citizen on the wire.
import assert from "node:assert/strict";

import { act, api, launch, run, screenshots, signIn, startServer, takeTicket, test, unlabelled, watchConsole } from "./support.mjs";

const server = await startServer();
const browser = await launch();

// A phone that records what the page asks of the browser: notifications
// (permission granted) and vibrations, and every WebSocket frame it gets.
async function phone() {
  const context = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: "vi-VN" });
  await context.grantPermissions(["notifications"], { origin: server.base });
  await context.addInitScript(() => {
    window.__told = [];
    window.__vibrations = [];
    const Original = window.Notification;
    window.Notification = class extends Original {
      constructor(title, options) {
        super(title, options);
        window.__told.push({ title, body: options?.body });
      }
    };
    navigator.vibrate = (pattern) => window.__vibrations.push(pattern) > 0;
  });
  const page = await context.newPage();
  const frames = [];
  page.on("websocket", (socket) => socket.on("framereceived", ({ payload }) => frames.push(String(payload))));
  return { context, page, frames };
}

test("a waiting ticket turns into a call without reloading, and notifies at the threshold", async () => {
  const lan = await signIn(server.base, "lan", "1");
  const first = await takeTicket(server.base, "LDVL");
  const mine = await takeTicket(server.base, "LDVL", "cao-tuoi");
  const other = await takeTicket(server.base, "NCC");
  const { context, page, frames } = await phone();
  const errors = watchConsole(page, "ticket");
  await page.goto(`${server.base}/t/${mine.statusToken}`);
  await page.locator("#number").filter({ hasText: mine.number }).waitFor();
  assert.equal(await page.locator("#category").textContent(), "Lao động – Việc làm");
  assert.equal(await page.locator("#state").textContent(), "Đang chờ");
  assert.match(await page.locator("#priority-tag").textContent(), /Người cao tuổi/);
  // Aging counts the elderly citizen's ticket 15 minutes earlier: nobody ahead.
  assert.equal(await page.locator("#ahead").textContent(), "0");
  await page.evaluate(() => (window.__sameDocument = true));

  await page.getByLabel("Báo cho tôi khi còn số người chờ trước tôi là").fill("0");
  await page.getByRole("button", { name: "Bật thông báo" }).click();
  await page.locator("#alert").filter({ hasText: "Sắp đến lượt số" }).waitFor();
  assert.deepEqual(await page.evaluate(() => window.__told.map((told) => told.title)), [`Sắp đến lượt số ${mine.number}`]);
  assert.equal(await page.evaluate(() => window.__vibrations.length), 1);
  await screenshots(page, "ticket-waiting");
  assert.deepEqual(await unlabelled(page), []);

  const called = await act(server.base, lan, "1", "call-next");
  assert.equal(called.ticket.number, mine.number);
  await page.locator("#state").filter({ hasText: "Đến lượt bạn! Mời đến Quầy 1" }).waitFor({ timeout: 2000 });
  assert.equal(await page.evaluate(() => window.__sameDocument), true, "the page must not reload");
  assert.equal(await page.evaluate(() => window.__told.at(-1).title), `Đến lượt số ${mine.number}`);
  assert.equal(await page.evaluate(() => window.__vibrations.length), 2);
  await screenshots(page, "ticket-called");

  await act(server.base, lan, "1", "finish", { outcome: "tiep-nhan" });
  await page.locator("#state").filter({ hasText: "Hoàn thành" }).waitFor({ timeout: 2000 });

  // Nothing about the other citizens ever reached this phone.
  const wire = frames.join("\n");
  for (const secret of [first.number, first.id, first.statusToken, other.number, other.id, other.statusToken, mine.statusToken])
    assert.ok(!wire.includes(`"${secret}"`), `the phone received ${secret}`);
  assert.ok(!wire.includes("lan"), "the officer's username reached the phone");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a ticket marked absent says so, and an unknown token says it is unknown", async () => {
  const lan = await signIn(server.base, "lan", "1");
  const ticket = await takeTicket(server.base, "LDVL");
  const { context, page } = await phone();
  await page.goto(`${server.base}/t/${ticket.statusToken}`);
  await page.locator("#state").filter({ hasText: "Đang chờ" }).waitFor();
  await act(server.base, lan, "1", "call", { ticket: ticket.number, category: "LDVL" });
  await page.locator("#state").filter({ hasText: "Mời đến Quầy 1" }).waitFor({ timeout: 2000 });
  await act(server.base, lan, "1", "no-show");
  await page.locator("#state").filter({ hasText: "Vắng mặt" }).waitFor({ timeout: 2000 });
  assert.match(await page.locator("#hint").textContent(), /không có mặt/);
  await page.goto(`${server.base}/t/${"0".repeat(64)}`);
  await page.getByRole("alert").filter({ hasText: "Không tìm thấy số thứ tự này" }).waitFor();
  assert.equal(await page.locator("#ticket").isVisible(), false);
  await screenshots(page, "ticket-unknown");
  await context.close();
  await api(server.base, "DELETE", "/api/v1/sessions", { token: lan });
});

test("the page reads the same in English", async () => {
  const ticket = await takeTicket(server.base, "BTXH");
  const { context, page } = await phone();
  await page.goto(`${server.base}/t/${ticket.statusToken}?lang=en`);
  await page.locator("#state").filter({ hasText: "Waiting" }).waitFor();
  assert.equal(await page.locator("#category").textContent(), "Social protection");
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Follow your ticket");
  await context.close();
});

await run().finally(async () => {
  await browser.close();
  await server.stop();
});
