// The manager's pages: the live monitor (counters, categories, devices and
// their faults) and the report of a scripted day — right to the ticket, and
// its CSV holding the same figures.
import assert from "node:assert/strict";

import { act, api, launch, passwords, run, screenshots, signIn, startServer, takeTicket, test, tokens, unlabelled, watchConsole } from "./support.mjs";

const server = await startServer();
const browser = await launch();

// The scripted day (see the expected figures below).
async function scriptDay() {
  const lan = await signIn(server.base, "lan", "1");
  const minh = await signIn(server.base, "minh", "2");
  const take = async (category, count, priority = "") => {
    const taken = [];
    for (let i = 0; i < count; ++i) taken.push(await takeTicket(server.base, category, priority));
    return taken;
  };
  const [l1, l2, l3, l4] = await take("LDVL", 5);
  const [n1, n2] = await take("NCC", 3);
  const [b1] = await take("BTXH", 1);
  await take("BTXH", 1, "cao-tuoi");
  const call = (token, counter, ticket) => act(server.base, token, counter, "call", { ticket: ticket.id });
  await call(lan, "1", l1);
  await act(server.base, lan, "1", "finish", { outcome: "tiep-nhan" });
  await call(lan, "1", l2);
  await act(server.base, lan, "1", "finish", { outcome: "bo-sung" });
  await call(lan, "1", l3);
  await act(server.base, lan, "1", "no-show");
  await call(lan, "1", n1);
  await act(server.base, lan, "1", "transfer", { toCategory: "BTXH", placement: "PLACEMENT_FIRST" });
  await call(lan, "1", l4);
  await act(server.base, lan, "1", "finish", {});
  await call(minh, "2", n2);
  await act(server.base, minh, "2", "finish", {});
  await call(minh, "2", b1);
  await act(server.base, minh, "2", "finish", {});
  await call(minh, "2", n1);
  await act(server.base, minh, "2", "finish", {});
  const rate = (token, counter, ticket, rating) =>
    api(server.base, "POST", `/api/v1/counters/${counter}/rating`, { token, body: { ticket: ticket.id, rating } });
  assert.equal((await rate(tokens.rating, "1", l1, "SERVICE_RATING_VERY_SATISFIED")).status, 200);
  assert.equal((await rate(tokens.rating, "1", l2, "SERVICE_RATING_DISSATISFIED")).status, 200);
  assert.equal((await rate(tokens.rating2, "2", n2, "SERVICE_RATING_SATISFIED")).status, 200);
  // The kiosk's printer runs out of paper.
  const fault = await api(server.base, "POST", "/api/v1/devices/status", {
    token: tokens.kiosk,
    body: { health: "DEVICE_HEALTH_PAPER_OUT", detail: "hết giấy in" },
  });
  assert.equal(fault.status, 200);
}

// Figures per row key: issued, called, served, no_show, not_served, open,
// transferred_out, rated, very_satisfied, satisfied, dissatisfied.
const expected = {
  category: {
    LDVL: [5, 4, 3, 1, 0, 1, 0, 2, 1, 0, 1],
    NCC: [3, 2, 2, 0, 0, 1, 1, 1, 0, 1, 0],
    BTXH: [2, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0],
    total: [10, 7, 6, 1, 0, 3, 1, 3, 1, 1, 1],
  },
  officer: {
    lan: [0, 5, 3, 1, 0, 0, 1, 2, 1, 0, 1],
    minh: [0, 3, 3, 0, 0, 0, 0, 1, 0, 1, 0],
  },
};
const checked = ["issued", "called", "served", "no_show", "not_served", "open", "transferred_out", "rated", "very_satisfied", "satisfied", "dissatisfied"];

async function manager(viewport = { width: 1920, height: 1080 }) {
  const context = await browser.newContext({ viewport, locale: "vi-VN", acceptDownloads: true });
  const page = await context.newPage();
  const errors = watchConsole(page, "manage");
  await page.goto(`${server.base}/manage`);
  const form = page.locator("#signin");
  await form.getByLabel("Tên đăng nhập").fill("quanly");
  await form.getByLabel("Mật khẩu").fill(passwords.quanly);
  await form.getByLabel("Mật khẩu").press("Enter");
  await page.getByRole("tab", { name: "Giám sát trực tiếp" }).waitFor();
  return { context, page, errors };
}

test("the monitor shows counters, queues and devices, with the kiosk's fault as an alert", async () => {
  await scriptDay();
  // The hall display connects with its token: online on the monitor.
  const hall = await browser.newPage();
  await hall.goto(`${server.base}/api/v1/view`);
  await hall.evaluate((token) => {
    const socket = new WebSocket(`ws://${location.host}/api/v1/ws`, "luot.v1.json");
    socket.onopen = () => socket.send(JSON.stringify({ requestId: "1", hello: { token } }));
    window.socket = socket;
  }, tokens.display);
  const { context, page, errors } = await manager();
  await page.locator("#m-counters tr[data-counter='1']").filter({ hasText: "Nguyễn Thị Lan" }).waitFor();
  assert.match(await page.locator("#m-counters tr[data-counter='2']").textContent(), /Trần Văn Minh.*3$/);
  assert.match(await page.locator("#m-categories tr[data-category='LDVL']").textContent(), /Đang tiếp nhận\s*1/);
  await page.locator("#alerts").getByText("kiosk-1 (Máy cấp số): hết giấy").waitFor();
  await page.locator("#m-devices tr[data-device='hall']").getByText("Đang kết nối").waitFor();
  assert.match(await page.locator("#m-devices tr[data-device='kiosk-1']").textContent(), /Mất kết nối.*hết giấy \(hết giấy in\)/);
  await screenshots(page, "manage-monitor");
  assert.deepEqual(await unlabelled(page), []);

  // Suspending a category from the monitor stops new tickets at once.
  await page.getByRole("button", { name: "Tạm ngừng cấp số Bảo trợ xã hội" }).click();
  await page.getByLabel("Lý do tạm ngừng (hiện trên máy cấp số)").fill("Cán bộ đi tập huấn");
  await page.getByRole("button", { name: "Xác nhận" }).click();
  await page.locator("#m-categories tr[data-category='BTXH']").getByText("Tạm ngừng — Cán bộ đi tập huấn").waitFor();
  const refused = await api(server.base, "POST", "/api/v1/tickets", { body: { category: "BTXH" } });
  assert.equal(refused.body.code, "ERROR_CODE_CATEGORY_CLOSED");
  await page.getByRole("button", { name: "Mở lại Bảo trợ xã hội" }).click();
  await page.locator("#m-categories tr[data-category='BTXH']").getByText("Đang tiếp nhận").waitFor();
  assert.deepEqual(errors, []);
  await hall.close();
  await context.close();
});

test("the report of the scripted day is right to the ticket, and the CSV has the same figures", async () => {
  const { context, page, errors } = await manager();
  await page.getByRole("tab", { name: "Báo cáo" }).click();
  const day = await page.locator("#from").inputValue();
  assert.match(day, /^\d{4}-\d{2}-\d{2}$/);
  await page.getByRole("button", { name: "Xem báo cáo" }).click();
  await page.getByRole("heading", { name: `Báo cáo ngày ${day}` }).waitFor();
  const cell = (section, key, column) =>
    page.locator(`table[data-section=${section}] tr[data-key='${key}'] td[data-column=${column}]`).getAttribute("data-value");
  for (const [section, rows] of Object.entries(expected))
    for (const [key, figures] of Object.entries(rows))
      for (const [index, column] of checked.entries()) {
        if (section === "officer" && column === "issued") continue;
        assert.equal(Number(await cell(section, key, column)), figures[index], `${section} ${key} ${column}`);
      }
  // Seven first calls, all within the 30-minute target.
  assert.equal(await cell("category", "total", "within_target_percent"), "100.0");
  assert.match(await page.locator("#report-summary").textContent(), /Đã cấp10Đã phục vụ6Vắng mặt1/);
  assert.equal(await page.locator("svg.chart").count(), 3);
  await screenshots(page, "manage-report");
  assert.deepEqual(await unlabelled(page), []);

  // The CSV behind the link, with the manager's cookie: the same figures.
  const href = await page.locator("#csv").getAttribute("href");
  const download = await page.evaluate(async (target) => {
    const response = await fetch(target);
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { type: response.headers.get("content-type"), head: [...bytes.slice(0, 3)], text: new TextDecoder().decode(bytes) };
  }, href);
  assert.equal(download.type, "text/csv; charset=utf-8");
  assert.deepEqual(download.head, [0xef, 0xbb, 0xbf], "no byte-order mark for spreadsheets");
  const [header, ...lines] = download.text.trim().split("\r\n").map((line) => line.split(","));
  assert.equal(header[0], "Nhóm");
  const headings = await page.locator("table[data-section=category] thead th").allTextContents();
  const rows = await page.locator("table.report-table tbody tr").evaluateAll((trs) =>
    trs.map((tr) => ({
      section: tr.closest("table").dataset.section,
      key: tr.dataset.key,
      values: [...tr.querySelectorAll("td")].map((td) => td.dataset.value),
    })),
  );
  // The page's column headings are the CSV's (the same catalogue keys).
  const columnOf = headings.slice(1).map((heading) => header.indexOf(heading));
  assert.ok(columnOf.every((index) => index > 2), `page columns missing from the CSV: ${headings}`);
  const sections = { "Tổng cộng": "category", "Lĩnh vực": "category", "Cán bộ": "officer", Ngày: "day" };
  let compared = 0;
  for (const line of lines) {
    const row = rows.find((candidate) => candidate.key === line[1] && candidate.section === sections[line[0]]);
    assert.ok(row, `CSV row ${line[0]} ${line[1]} is not on the page`);
    row.values.forEach((value, index) => {
      assert.equal(line[columnOf[index]], value, `${line[1]} ${headings[index + 1]}: CSV ${line[columnOf[index]]}, page ${value}`);
      compared += 1;
    });
  }
  assert.ok(compared >= 19 * 7, `only ${compared} figures compared`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("reports are for managers only and refuse a bad range in plain Vietnamese", async () => {
  const lan = await signIn(server.base, "lan", "1");
  const refused = await api(server.base, "GET", "/api/v1/reports?from=2026-01-01&to=2026-01-01", { token: lan });
  assert.equal(refused.status, 403);
  assert.match(refused.body.message, /chỉ dành cho người quản lý/);
  assert.equal((await api(server.base, "GET", "/api/v1/monitor", { token: lan })).status, 403);
  assert.equal((await api(server.base, "GET", "/api/v1/reports.csv?from=2026-01-01")).status, 401);
  const { context, page } = await manager({ width: 800, height: 1280 });
  await page.getByRole("tab", { name: "Báo cáo" }).click();
  await page.locator("#from").fill("2026-02-10");
  await page.locator("#to").fill("2026-02-01");
  await page.getByRole("button", { name: "Xem báo cáo" }).click();
  await page.getByRole("alert").filter({ hasText: "khoảng ngày phải theo thứ tự" }).waitFor();
  await context.close();

  // An officer signing in here is told the page is for managers.
  const officer = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: "vi-VN" });
  const officerPage = await officer.newPage();
  await officerPage.goto(`${server.base}/manage`);
  await officerPage.locator("#signin").getByLabel("Tên đăng nhập").fill("lan");
  await officerPage.locator("#signin").getByLabel("Mật khẩu").fill(passwords.lan);
  await officerPage.getByRole("button", { name: "Đăng nhập" }).click();
  await officerPage.getByRole("alert").filter({ hasText: "Trang này dành cho người quản lý." }).waitFor();
  await screenshots(officerPage, "manage-signin");
  await officer.close();
});

test("a manager adds, limits and disables staff at once, recorded so a restart keeps it", async () => {
  const { context, page, errors } = await manager();
  await page.getByRole("tab", { name: "Cán bộ" }).click();
  await page.locator("#staff-list tr[data-username='lan']").waitFor();
  await page.getByRole("button", { name: "Thêm cán bộ" }).click();
  const dialog = page.getByRole("dialog", { name: "Thêm cán bộ" });
  await dialog.getByLabel("Tên đăng nhập").fill("hoa");
  await dialog.getByLabel("Họ tên").fill("Phạm Thị Hoa");
  await dialog.getByRole("checkbox", { name: "Quầy 2" }).check();
  await dialog.getByLabel("Mật khẩu mới (ít nhất 8 ký tự)").fill("hoa-mat-khau");
  await screenshots(page, "manage-staff");
  await dialog.getByRole("button", { name: "Lưu" }).click();
  await page.getByRole("status").filter({ hasText: "Đã lưu thông tin cán bộ Phạm Thị Hoa." }).waitFor();
  assert.match(await page.locator("#staff-list tr[data-username='hoa']").textContent(), /Phạm Thị Hoa.*Cán bộ một cửa.*Quầy 2.*Đang hoạt động/);

  // At once: Hoa signs in at counter 2, not at counter 1.
  const hoa = (counter) => api(server.base, "POST", "/api/v1/sessions", { body: { username: "hoa", password: "hoa-mat-khau", counter } });
  const session = await hoa("2");
  assert.equal(session.status, 201);
  assert.equal(session.body.displayName, "Phạm Thị Hoa");
  assert.equal((await hoa("1")).status, 403);
  const listed = await api(server.base, "GET", "/api/v1/staff", { token: await signIn(server.base, "quanly") });
  assert.ok(!JSON.stringify(listed.body).includes("argon2"), "password hashes reached a page");

  // Disabled: her session ends and she cannot sign in again.
  await page.getByRole("button", { name: "Sửa Phạm Thị Hoa" }).click();
  await page.getByRole("checkbox", { name: "Khóa tài khoản (không đăng nhập được)" }).check();
  await page.getByRole("dialog").getByRole("button", { name: "Lưu" }).click();
  await page.locator("#staff-list tr[data-username='hoa']").getByText("Đã khóa").waitFor();
  assert.equal((await api(server.base, "GET", "/api/v1/counters/2/queue", { token: session.body.token })).status, 401);
  assert.equal((await hoa("2")).body.code, "ERROR_CODE_WRONG_CREDENTIALS");
  // A manager cannot lock themselves out.
  const self = await page.evaluate(async () => {
    const csrf = (await (await fetch("/api/v1/web/session")).json()).csrfToken;
    const response = await fetch("/api/v1/staff", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ username: "quanly", displayName: "Quản lý", role: "manager", disabled: true }),
    });
    return { status: response.status, body: await response.json() };
  });
  assert.equal(self.status, 400);
  assert.match(self.body.message, /không thể tự khóa tài khoản của chính mình/);
  assert.deepEqual(errors, []);
  await context.close();

  // The changes are events: a restart keeps them (enabled again, new password).
  const quanly = await signIn(server.base, "quanly");
  const enabled = await api(server.base, "POST", "/api/v1/staff", {
    token: quanly,
    body: { username: "hoa", displayName: "Phạm Thị Hoa", role: "officer", counters: ["2"], password: "mat-khau-moi" },
  });
  assert.equal(enabled.status, 200);
  await server.restart();
  const after = await api(server.base, "POST", "/api/v1/sessions", { body: { username: "hoa", password: "mat-khau-moi", counter: "2" } });
  assert.equal(after.status, 201);
  const old = await api(server.base, "POST", "/api/v1/sessions", { body: { username: "hoa", password: "hoa-mat-khau", counter: "2" } });
  assert.equal(old.status, 401);
});

await run().finally(async () => {
  await browser.close();
  await server.stop();
});
