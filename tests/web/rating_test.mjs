// The rating tablet: locked until the counter finishes, one rating per
// ticket stored as an event tied to the ticket, counter and officer, a
// second one refused, and locked again after a timeout.
import assert from "node:assert/strict";

import { act, api, launch, run, screenshots, signIn, startServer, takeTicket, test, tokens, unlabelled, watchConsole } from "./support.mjs";

const server = await startServer();
const browser = await launch();

async function tablet(hash) {
  const context = await browser.newContext({ viewport: { width: 800, height: 1280 }, locale: "vi-VN" });
  const page = await context.newPage();
  const errors = watchConsole(page, "rate");
  await page.goto(`${server.base}/rate/1${hash}`);
  return { context, page, errors };
}

test("the tablet unlocks after a finish, takes one rating and refuses a second", async () => {
  const lan = await signIn(server.base, "lan", "1");
  const { context, page, errors } = await tablet(`#token=${tokens.rating}`);
  await page.getByText("Kính chào quý khách!").waitFor();
  await page.locator("#link[data-state=live]").waitFor();
  // The token left the address bar and stays on the tablet.
  assert.equal(new URL(page.url()).hash, "");
  await screenshots(page, "rate-idle");

  const ticket = await takeTicket(server.base, "LDVL");
  await act(server.base, lan, "1", "call-next");
  assert.equal(await page.locator("#rating").isVisible(), false, "unlocked before the finish");
  await act(server.base, lan, "1", "finish", { outcome: "tiep-nhan" });
  await page.getByRole("heading", { name: `Quý khách có hài lòng với lượt phục vụ số ${ticket.number}?` }).waitFor({ timeout: 2000 });
  assert.equal(await page.locator("#officer").textContent(), "Cán bộ phục vụ: Nguyễn Thị Lan");
  assert.ok(await page.getByRole("button", { name: "Gửi đánh giá" }).isDisabled());
  await page.getByRole("radio", { name: "Hài lòng", exact: true }).check();
  await page.getByRole("checkbox", { name: "Thái độ" }).check();
  await screenshots(page, "rate-open");
  assert.deepEqual(await unlabelled(page), []);
  await page.getByRole("button", { name: "Gửi đánh giá" }).click();
  await page.getByRole("status").filter({ hasText: "Cảm ơn quý khách đã đánh giá!" }).waitFor();
  await screenshots(page, "rate-thanks");

  // Stored once, on the ticket, from this counter's tablet.
  const manager = await signIn(server.base, "quanly");
  const snapshot = await api(server.base, "GET", "/api/v1/snapshot", { token: manager });
  const rated = snapshot.body.tickets.find((entry) => entry.id === ticket.id);
  assert.equal(rated.rating, "SERVICE_RATING_SATISFIED");
  const again = await api(server.base, "POST", "/api/v1/counters/1/rating", {
    token: tokens.rating,
    body: { ticket: ticket.id, rating: "SERVICE_RATING_DISSATISFIED" },
  });
  assert.equal(again.status, 409);
  assert.equal(again.body.code, "ERROR_CODE_ALREADY_RATED");
  assert.equal(again.body.message, `Lượt phục vụ số ${ticket.number} đã được đánh giá.`);

  // A reload does not offer the rated service again.
  await page.reload();
  await page.getByText("Kính chào quý khách!").waitFor();
  await page.waitForTimeout(500);
  assert.equal(await page.locator("#rating").isVisible(), false);
  assert.deepEqual(errors, []);
  await context.close();
});

test("only the counter's own rating tablet may rate, and only a finished service", async () => {
  const lan = await signIn(server.base, "lan", "1");
  const ticket = await takeTicket(server.base, "LDVL");
  await act(server.base, lan, "1", "call-next");
  const rate = (token, counter = "1") =>
    api(server.base, "POST", `/api/v1/counters/${counter}/rating`, {
      token,
      body: { ticket: ticket.id, rating: "SERVICE_RATING_VERY_SATISFIED" },
    });
  assert.equal((await rate(tokens.rating)).body.code, "ERROR_CODE_RATING_CLOSED", "rated before the finish");
  await act(server.base, lan, "1", "finish", {});
  assert.equal((await rate(tokens.rating2)).status, 403, "counter 2's tablet rated counter 1");
  assert.equal((await rate(tokens.rating2, "2")).body.code, "ERROR_CODE_RATING_CLOSED", "rated at the wrong counter");
  assert.equal((await rate(lan)).status, 403, "the officer rated their own service");
  assert.equal((await rate(tokens.display)).status, 403, "a display rated");
  assert.equal((await rate("")).status, 401, "anonymous rated");
  assert.equal((await rate(tokens.rating)).status, 200);

  // Counter 2's token on counter 1's page asks for setup again.
  const { context, page } = await tablet(`#token=${tokens.rating2}`);
  await page.getByRole("alert").filter({ hasText: "Mã thiết bị không đúng hoặc không thuộc quầy này." }).waitFor();
  await page.getByLabel("Mã thiết bị").fill(tokens.rating);
  await page.getByRole("button", { name: "Lưu và bắt đầu" }).click();
  await page.getByText("Kính chào quý khách!").waitFor();
  await context.close();
});

test("an unrated service locks again after the tablet's timeout", async () => {
  const lan = await signIn(server.base, "lan", "1");
  const { context, page } = await tablet(`#token=${tokens.rating}&seconds=3`);
  await page.locator("#link[data-state=live]").waitFor();
  const ticket = await takeTicket(server.base, "NCC");
  await act(server.base, lan, "1", "call-next");
  await act(server.base, lan, "1", "finish", {});
  await page.getByRole("heading", { name: `Quý khách có hài lòng với lượt phục vụ số ${ticket.number}?` }).waitFor({ timeout: 2000 });
  await page.getByText("Tự đóng sau").waitFor();
  await page.getByText("Kính chào quý khách!").waitFor({ timeout: 6000 });
  assert.equal(await page.locator("#rating").isVisible(), false);
  await context.close();
});

test("the setup screen on a phone", async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${server.base}/rate/2`);
  await page.getByRole("heading", { name: "Cài đặt máy đánh giá" }).waitFor();
  await screenshots(page, "rate-setup");
  await context.close();
});

await run().finally(async () => {
  await browser.close();
  await server.stop();
});
