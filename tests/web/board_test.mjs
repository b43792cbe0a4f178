// The hall board in a browser: a new call on screen within a second, with
// the chime and the sentence the voice reads; a cut connection resumes
// from its last seq without missing or repeating a call.
import assert from "node:assert/strict";

import { act, launch, run, screenshots, signIn, startServer, takeTicket, test, unlabelled, watchConsole } from "./support.mjs";

const server = await startServer();
const browser = await launch();

async function board() {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: "vi-VN" });
  const page = await context.newPage();
  const sent = [];
  page.on("websocket", (socket) => socket.on("framesent", ({ payload }) => sent.push(String(payload))));
  const errors = watchConsole(page, "board");
  await page.goto(`${server.base}/board`);
  await page.locator("#link[data-state=live]").waitFor();
  return { context, page, sent, errors };
}

test("a new call is on the board within a second, chimed and announced", async () => {
  const lan = await signIn(server.base, "lan", "1");
  const minh = await signIn(server.base, "minh", "2");
  const earlier = await takeTicket(server.base, "NCC");
  await act(server.base, minh, "2", "call-next");
  await takeTicket(server.base, "BTXH");
  await takeTicket(server.base, "BTXH", "cao-tuoi");
  const { context, page, errors } = await board();
  // What was called before the board opened is shown, not announced.
  await page.locator("#now-number").filter({ hasText: earlier.number }).waitFor();
  assert.equal(await page.evaluate(() => window.luotBoard.announcements.length), 0);
  assert.match(await page.locator("#categories").textContent(), /Bảo trợ xã hội\s*2 \(ưu tiên 1\)/);

  const ticket = await takeTicket(server.base, "LDVL");
  const started = Date.now();
  await act(server.base, lan, "1", "call-next");
  await page.locator("#now-number").filter({ hasText: ticket.number }).waitFor({ timeout: 1000 });
  const elapsed = Date.now() - started;
  assert.ok(elapsed < 1000, `the call took ${elapsed} ms to reach the board`);
  console.log(`     the call was on the board ${elapsed} ms after the officer's request was sent`);
  assert.equal(await page.locator("#now-counter").textContent(), "đến Quầy 1");
  assert.ok(await page.locator("#now").evaluate((node) => node.classList.contains("fresh")));
  const [announced] = await page.evaluate(() => window.luotBoard.announcements);
  assert.equal(announced.number, ticket.number);
  assert.equal(announced.sentence, "Mời công dân có số thứ tự A 1 đến Quầy 1");
  assert.equal(announced.chimed, true, "the chime did not play (autoplay allowed)");
  assert.match(await page.locator("#counters").textContent(), new RegExp(`Quầy 1\\s*${ticket.number}`));
  assert.match(await page.locator("#recent").textContent(), new RegExp(`${earlier.number}\\s*→\\s*Quầy 2`));
  await screenshots(page, "board");
  assert.deepEqual(await unlabelled(page), []);

  await act(server.base, lan, "1", "recall");
  await page.locator("#now-recall").filter({ hasText: "Gọi lại" }).waitFor({ timeout: 1000 });
  const recalled = await page.evaluate(() => window.luotBoard.announcements.at(-1).sentence);
  assert.equal(recalled, "Mời lại công dân có số thứ tự A 1 đến Quầy 1");
  await act(server.base, lan, "1", "finish", {});
  assert.deepEqual(errors, []);
  await context.close();
});

test("a board cut off resumes after its last seq and misses or repeats nothing", async () => {
  const lan = await signIn(server.base, "lan", "1");
  const { context, page, sent } = await board();
  const before = await page.evaluate(() => window.luotBoard.announcements.length);
  const first = await takeTicket(server.base, "LDVL");
  const second = await takeTicket(server.base, "LDVL");
  // Cut the link, then call twice while the board is away.
  await page.evaluate(() => window.luotBoard.stream.socket.close());
  await page.locator("#link[data-state=offline]").waitFor();
  await act(server.base, lan, "1", "call-next");
  await act(server.base, lan, "1", "finish", {});
  await act(server.base, lan, "1", "call-next");
  await page.locator("#now-number").filter({ hasText: second.number }).waitFor({ timeout: 10000 });
  await page.locator("#link[data-state=live]").waitFor();
  const subscribes = sent.map((frame) => JSON.parse(frame)).filter((message) => message.subscribe);
  assert.equal(subscribes.length, 2);
  assert.ok(subscribes[1].subscribe.afterSeq, "the reconnect did not resume with afterSeq");
  const announced = await page.evaluate(() => window.luotBoard.announcements.map((entry) => entry.number));
  assert.deepEqual(announced.slice(before), [first.number, second.number]);
  const recent = await page.locator("#recent .ticket-number").allTextContents();
  assert.equal(recent[0], first.number);
  assert.equal(recent.filter((number) => number === first.number).length, 1);
  await act(server.base, lan, "1", "finish", {});
  await context.close();
});

test("the board reads in English on a tablet and a phone", async () => {
  const context = await browser.newContext({ viewport: { width: 800, height: 1280 } });
  const page = await context.newPage();
  await page.goto(`${server.base}/board?lang=en`);
  await page.getByRole("heading", { name: "Now calling" }).waitFor();
  await page.locator("#link[data-state=live]").waitFor();
  assert.match(await page.locator("#now-counter").textContent(), /^to Counter 1$/);
  assert.match(await page.locator("#categories").textContent(), /Labour and employment/);
  await screenshots(page, "board-english");
  await context.close();
});

await run().finally(async () => {
  await browser.close();
  await server.stop();
});
