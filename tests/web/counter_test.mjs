// The officer's console: signing in (cookie session, lockout), the workflow
// on F-keys seen by a WebSocket subscriber, and the refusals: a wrong
// password, a change without the anti-forgery token, another counter.
import assert from "node:assert/strict";

import { act, api, launch, passwords, run, screenshots, signIn, startServer, takeTicket, test, unlabelled, watchConsole } from "./support.mjs";

const server = await startServer({ lockoutFailures: 3 });
const browser = await launch();

// A page that subscribes to the public view stream like a hall screen and
// keeps every call it is told of.
async function subscriber() {
  const page = await browser.newPage();
  await page.goto(`${server.base}/api/v1/view`);
  await page.evaluate(() => {
    window.calls = [];
    const socket = new WebSocket(`ws://${location.host}/api/v1/ws`, "luot.v1.json");
    socket.onopen = () => socket.send(JSON.stringify({ requestId: "1", subscribe: {} }));
    socket.onmessage = ({ data }) => {
      const message = JSON.parse(data);
      if (message.update?.call) window.calls.push(message.update.call);
    };
  });
  return page;
}

async function console_(viewport = { width: 1920, height: 1080 }) {
  const context = await browser.newContext({ viewport, locale: "vi-VN" });
  const page = await context.newPage();
  return { context, page, errors: watchConsole(page, "counter") };
}

// Signs in with the keyboard alone: the username field has focus on load.
// Presses an F-key once its button is enabled, as an officer would.
async function press(page, key) {
  await page.locator(`button[aria-keyshortcuts=${key}]:enabled`).waitFor();
  await page.keyboard.press(key);
}

async function signInByKeyboard(page, username, password, counterName) {
  await page.goto(`${server.base}/counter`);
  await page.getByLabel("Tên đăng nhập").waitFor();
  await page.locator("#counter option").first().waitFor({ state: "attached" });
  await page.keyboard.type(username);
  await page.keyboard.press("Tab");
  await page.keyboard.type(password);
  await page.keyboard.press("Tab");
  await page.getByLabel("Quầy làm việc").selectOption({ label: counterName });
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "signin-submit");
  await page.keyboard.press("Enter");
}

test("wrong passwords are refused in Vietnamese and lock that username out from this address", async () => {
  const { context, page } = await console_({ width: 800, height: 1280 });
  await page.goto(`${server.base}/counter`);
  await page.getByRole("heading", { name: "Đăng nhập" }).waitFor();
  await screenshots(page, "counter-signin");
  assert.deepEqual(await unlabelled(page), []);
  for (let attempt = 1; attempt <= 3; ++attempt) {
    await signInByKeyboard(page, "minh", "sai-mat-khau", "Quầy 2");
    await page.getByRole("alert").filter({ hasText: "Tên đăng nhập hoặc mật khẩu không đúng." }).waitFor();
  }
  // Locked now, even with the right password; another officer is not.
  await signInByKeyboard(page, "minh", passwords.minh, "Quầy 2");
  await page.getByRole("alert").filter({ hasText: "Đã nhập sai mật khẩu 3 lần" }).waitFor();
  const locked = await api(server.base, "POST", "/api/v1/sessions", {
    body: { username: "minh", password: passwords.minh, counter: "2" },
  });
  assert.equal(locked.status, 429);
  assert.equal(locked.body.code, "ERROR_CODE_SIGN_IN_LOCKED");
  const other = await api(server.base, "POST", "/api/v1/sessions", { body: { username: "quanly", password: passwords.quanly } });
  assert.equal(other.status, 201);
  await context.close();
});

test("an officer signs in, calls next with F1 and a WebSocket subscriber sees the call", async () => {
  const first = await takeTicket(server.base, "LDVL");
  const second = await takeTicket(server.base, "NCC");
  const hall = await subscriber();
  const { context, page, errors } = await console_();
  await signInByKeyboard(page, "lan", passwords.lan, "Quầy 1");
  await page.getByRole("heading", { name: "Bàn làm việc quầy — Quầy 1" }).waitFor();

  // The session lives in an HttpOnly, SameSite=Strict cookie the page cannot read.
  const [cookie] = (await context.cookies()).filter((entry) => entry.name === "luot_session");
  assert.ok(cookie, "no session cookie");
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, "Strict");
  assert.equal(await page.evaluate(() => document.cookie.includes("luot_session")), false);

  await page.locator("#waiting .ticket-number").filter({ hasText: first.number }).waitFor();
  await press(page, "F1");
  await page.locator("#current-number").filter({ hasText: first.number }).waitFor();
  await page.getByRole("status").filter({ hasText: `Đã gọi số ${first.number}.` }).waitFor();
  await hall.waitForFunction((number) => window.calls.some((call) => call.number === number && call.counter === "1"), first.number, { timeout: 2000 });
  assert.match(await page.locator("#timer").textContent(), /^00:0\d$/);
  await page.locator("#waiting .ticket-number").filter({ hasText: second.number }).waitFor();
  await screenshots(page, "counter-serving");
  assert.deepEqual(await unlabelled(page), []);

  // F8 opens the finish dialog with the first outcome chosen; Enter finishes.
  await press(page, "F8");
  await page.getByRole("dialog", { name: "Kết thúc lượt phục vụ" }).waitFor();
  await page.keyboard.press("Enter");
  await page.getByRole("status").filter({ hasText: `Đã kết thúc số ${first.number}.` }).waitFor();
  assert.equal(await page.locator("#served").textContent(), "1");

  // F1 again, then F7 transfers the citizen to another service.
  await press(page, "F1");
  await page.locator("#current-number").filter({ hasText: second.number }).waitFor();
  await press(page, "F7");
  await page.getByLabel("Sang lĩnh vực").selectOption({ label: "Bảo trợ xã hội" });
  await page.getByRole("dialog").getByRole("button", { name: "Chuyển" }).click();
  await page.getByRole("status").filter({ hasText: `Đã chuyển số ${second.number}.` }).waitFor();

  // F9 pauses with a reason and F9 resumes.
  await press(page, "F9");
  await page.getByLabel("Lý do tạm nghỉ").fill("Họp giao ban");
  await page.keyboard.press("Enter");
  await page.locator("#paused").filter({ hasText: "Quầy đang tạm nghỉ: Họp giao ban" }).waitFor();
  await screenshots(page, "counter-paused");
  await press(page, "F9");
  await page.getByRole("status").filter({ hasText: "Quầy đã làm việc lại." }).waitFor();

  // A refusal reads as the server's plain Vietnamese.
  await press(page, "F4");
  await page.getByLabel("Số cần gọi (ví dụ A012)").fill("Z999");
  await page.keyboard.press("Enter");
  await page.getByRole("alert").filter({ hasText: 'Không tìm thấy số thứ tự "Z999".' }).waitFor();
  assert.deepEqual(errors, []);
  await hall.close();
  await context.close();
});

test("a change without the anti-forgery token, or at another counter, is refused", async () => {
  const { context, page } = await console_();
  await signInByKeyboard(page, "lan", passwords.lan, "Quầy 1");
  await page.getByRole("heading", { name: "Bàn làm việc quầy — Quầy 1" }).waitFor();
  const attempts = await page.evaluate(async () => {
    const session = await (await fetch("/api/v1/web/session")).json();
    const send = async (method, path, csrf) => {
      const response = await fetch(path, {
        method,
        headers: { "Content-Type": "application/json", ...(csrf ? { "X-CSRF-Token": csrf } : {}) },
        body: method === "GET" ? undefined : "{}",
      });
      return { status: response.status, body: await response.json() };
    };
    return {
      withoutToken: await send("POST", "/api/v1/counters/1/call-next"),
      wrongToken: await send("POST", "/api/v1/counters/1/pause", "0".repeat(64)),
      otherCounter: await send("POST", "/api/v1/counters/2/call-next", session.csrfToken),
      otherQueue: await send("GET", "/api/v1/counters/2/queue"),
      ownQueue: await send("GET", "/api/v1/counters/1/queue"),
    };
  });
  assert.equal(attempts.withoutToken.status, 403);
  assert.match(attempts.withoutToken.body.message, /mã chống giả mạo/);
  assert.equal(attempts.wrongToken.status, 403);
  assert.equal(attempts.otherCounter.status, 403);
  assert.match(attempts.otherCounter.body.message, /bạn đăng nhập tại quầy 1, không phải quầy 2/);
  assert.equal(attempts.otherQueue.status, 403);
  assert.equal(attempts.ownQueue.status, 200);
  assert.equal(attempts.ownQueue.body.counter.id, "1");

  // Devices and scripts keep the bearer API, with no cookie and no token.
  const ticket = await takeTicket(server.base, "BTXH");
  const bearer = await api(server.base, "POST", "/api/v1/sessions", {
    body: { username: "lan", password: passwords.lan, counter: "1" },
  });
  assert.equal(bearer.status, 201);
  assert.equal(bearer.body.csrfToken, "");
  const called = await act(server.base, bearer.body.token, "1", "call", { ticket: ticket.number, category: "BTXH" });
  assert.equal(called.ticket.number, ticket.number);
  await act(server.base, bearer.body.token, "1", "finish", {});

  // Signing out clears the cookie; the console asks to sign in again.
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await page.getByRole("heading", { name: "Đăng nhập" }).waitFor();
  assert.equal((await context.cookies()).filter((entry) => entry.name === "luot_session").length, 0);
  const after = await page.evaluate(async () => (await fetch("/api/v1/counters/1/queue")).status);
  assert.equal(after, 401);
  await context.close();
});

test("the console works on a tablet in English", async () => {
  const lan = await signIn(server.base, "lan", "1");
  const elderly = await takeTicket(server.base, "LDVL", "cao-tuoi");
  const { context, page } = await console_({ width: 800, height: 1280 });
  await signInByKeyboard(page, "lan", passwords.lan, "Quầy 1");
  await page.getByRole("heading", { name: "Bàn làm việc quầy — Quầy 1" }).waitFor();
  await page.getByRole("button", { name: "Chuyển sang tiếng Anh" }).click();
  await page.getByRole("heading", { name: "Counter console — Counter 1" }).waitFor();
  await page.getByRole("button", { name: "Call next (Shortcut F1)" }).click();
  await page.locator("#current-number").filter({ hasText: elderly.number }).waitFor();
  await page.locator("#current-tags").getByText("Priority: Elderly person").waitFor();
  await screenshots(page, "counter-english");
  await act(server.base, lan, "1", "finish", {});
  await context.close();
});

await run().finally(async () => {
  await browser.close();
  await server.stop();
});
