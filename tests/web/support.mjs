// What the browser tests share: a real luot-server on 127.0.0.1 (port 0,
// its own config and SQLite file in a temp directory), Debian's Chromium
// driven by playwright-core (never a downloaded browser), HTTP helpers for
// scripting a day through the API, screenshots at phone, tablet and desktop
// sizes, and a tiny sequential test runner that exits non-zero on failure.

import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";

export const serverBinary = process.argv[2];
export const artifacts = process.env.LUOT_WEB_ARTIFACTS ?? path.join(tmpdir(), "luot-web-artifacts");
const toolsDir = process.env.LUOT_TEST_TOOLS_DIR;
if (!serverBinary || !toolsDir) {
  console.error("usage: LUOT_TEST_TOOLS_DIR=... node test.mjs /path/to/luot-server");
  process.exit(2);
}
const require = createRequire(path.join(toolsDir, "package.json"));
const { chromium } = require("playwright-core");

export const passwords = { lan: "lan-2026", minh: "minh-2026", quanly: "quanly-2026" };
export const tokens = {
  display: "web-test-display-token-0001",
  kiosk: "web-test-kiosk-token-00001",
  rating: "web-test-rating-1-token-01",
  rating2: "web-test-rating-2-token-01",
};

export function hash(password) {
  const result = spawnSync(serverBinary, ["hash-password"], { input: `${password}\n`, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`hash-password failed: ${result.stderr}`);
  return result.stdout.trim();
}

// "HH:MM" twelve hours away in Asia/Ho_Chi_Minh (UTC+7), so the service
// day does not close while a test runs.
function resetTimeFarFromNow() {
  const local = (Math.floor(Date.now() / 1000) + 7 * 3600 + 12 * 3600) % 86400;
  const pad = (value) => String(value).padStart(2, "0");
  return `${pad(Math.floor(local / 3600))}:${pad(Math.floor((local % 3600) / 60))}`;
}

export function centreToml({ lockoutFailures = 5, extraServer = "" } = {}) {
  return `[centre]
name = "Bộ phận Một cửa – Sở Lao động – Thương binh và Xã hội"
time_zone = "Asia/Ho_Chi_Minh"
reset_time = "${resetTimeFarFromNow()}"
recent_calls = 6
target_wait_minutes = 30
alert_wait_minutes = 45
rating_minutes = 10

[server]
address = "127.0.0.1"
io_threads = 2
take_ticket_per_minute = 100000
sign_in_per_minute = 1000
subscribe_per_minute = 1000
sign_in_lockout_failures = ${lockoutFailures}
sign_in_lockout_minutes = 15
${extraServer}

[[categories]]
code = "LDVL"
name_vi = "Lao động – Việc làm"
name_en = "Labour and employment"
format = { prefix = "A", width = 3 }
hours = "always"
service_minutes = 8

[[categories]]
code = "NCC"
name_vi = "Người có công"
name_en = "People with meritorious service"
format = { prefix = "B", width = 3 }
hours = "always"
service_minutes = 12

[[categories]]
code = "BTXH"
name_vi = "Bảo trợ xã hội"
name_en = "Social protection"
format = { prefix = "C", width = 3 }
hours = "always"
service_minutes = 10

[[counters]]
id = "1"
name_vi = "Quầy 1"
name_en = "Counter 1"
categories = ["LDVL", "NCC"]

[[counters]]
id = "2"
name_vi = "Quầy 2"
name_en = "Counter 2"
categories = ["NCC", "BTXH"]

[[priority_classes]]
code = "cao-tuoi"
name_vi = "Người cao tuổi"
name_en = "Elderly person"

[[outcomes]]
code = "tiep-nhan"
name_vi = "Tiếp nhận hồ sơ"
name_en = "File received"

[[outcomes]]
code = "bo-sung"
name_vi = "Hướng dẫn bổ sung hồ sơ"
name_en = "Documents missing"

[[staff]]
username = "lan"
display_name = "Nguyễn Thị Lan"
password_hash = "${hash(passwords.lan)}"
counters = ["1"]

[[staff]]
username = "minh"
display_name = "Trần Văn Minh"
password_hash = "${hash(passwords.minh)}"
counters = ["2"]

[[staff]]
username = "quanly"
display_name = "Lê Thị Quản Lý"
password_hash = "${hash(passwords.quanly)}"
role = "manager"

[[devices]]
id = "hall"
kind = "display"
token = "${tokens.display}"

[[devices]]
id = "kiosk-1"
kind = "kiosk"
token = "${tokens.kiosk}"

[[devices]]
id = "rating-1"
kind = "rating"
token = "${tokens.rating}"
counters = ["1"]

[[devices]]
id = "rating-2"
kind = "rating"
token = "${tokens.rating2}"
counters = ["2"]
`;
}

// Starts luot-server on 127.0.0.1, port 0, with a fresh database; resolves
// once it listens. restart() stops it and starts it again on the same
// config and database (a new port).
// Every server still running when the tests end (a test that failed before
// stopping its server) is killed, so none outlives the test program.
const running = new Set();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

// `options.files` ({ "deployment.toml": text, "centres/a.toml": text }) and
// `options.config` (the file or directory --config names, "." for the
// directory itself) replace the one centre.toml.
export async function startServer(options = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "luot-web-"));
  const files = options.files ?? { "centre.toml": centreToml(options) };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  const config = path.join(dir, options.config ?? "centre.toml");
  const server = { dir, child: null, output: "" };
  const spawnServer = async () => {
    const child = spawn(
      serverBinary,
      ["--config", config, "--database", path.join(dir, "luot.db"), "--port", "0"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    running.add(child);
    child.on("exit", () => running.delete(child));
    let log = "";
    const port = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`luot-server did not listen:\n${log}`)), 30000);
      const read = (chunk) => {
        log += chunk;
        server.output += chunk;
        const found = /listening on 127\.0\.0\.1:(\d+) /.exec(log);
        if (found) {
          clearTimeout(timer);
          resolve(Number(found[1]));
        }
      };
      child.stdout.on("data", read);
      child.stderr.on("data", read);
      child.on("exit", (code) => reject(new Error(`luot-server exited (${code}):\n${log}`)));
    });
    server.child = child;
    server.port = port;
    server.base = `http://127.0.0.1:${port}`;
  };
  const halt = async () => {
    const child = server.child;
    if (!child || child.exitCode !== null) return;
    child.kill("SIGTERM");
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on("exit", resolve)));
  };
  await spawnServer();
  server.log = () => server.output;
  server.restart = async () => {
    await halt();
    await spawnServer();
  };
  server.stop = async () => {
    await halt();
    rmSync(dir, { recursive: true, force: true });
  };
  return server;
}

// One API call with fetch; returns {status, body (parsed JSON or text), headers}.
export async function api(base, method, target, { body, token, headers = {} } = {}) {
  const response = await fetch(base + target, {
    method,
    headers: {
      ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (a page, a CSV): keep the text.
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

export async function signIn(base, username, counter = "") {
  const reply = await api(base, "POST", "/api/v1/sessions", {
    body: { username, password: passwords[username], counter },
  });
  if (reply.status !== 201) throw new Error(`sign-in ${username}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.token;
}

export async function takeTicket(base, category, priorityClass = "") {
  const reply = await api(base, "POST", "/api/v1/tickets", { body: { category, priorityClass } });
  if (reply.status !== 201) throw new Error(`take ${category}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

export async function act(base, token, counter, action, body = {}) {
  const reply = await api(base, "POST", `/api/v1/counters/${counter}/${action}`, { body, token });
  if (reply.status !== 200)
    throw new Error(`${action} at ${counter}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

export async function launch() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
}

export const sizes = {
  phone: { width: 360, height: 800 },
  tablet: { width: 800, height: 1280 },
  desktop: { width: 1920, height: 1080 },
};

// Saves `page` at the three sizes as <artifacts>/<name>-<size>.png (and
// fails when the page is wider than the screen), then restores its size.
export async function screenshots(page, name) {
  mkdirSync(artifacts, { recursive: true });
  const before = page.viewportSize();
  for (const [size, viewport] of Object.entries(sizes)) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(250);
    await page.screenshot({ path: path.join(artifacts, `${name}-${size}.png`), fullPage: true });
    // Nothing may push the page sideways: a 360-pixel phone scrolls down only.
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    if (wide > viewport.width) throw new Error(`${name} is ${wide} px wide at ${size} (${viewport.width} px)`);
  }
  if (before) await page.setViewportSize(before);
}

// Collects the page's script errors (uncaught exceptions, console.error).
export function watchConsole(page, label) {
  const errors = [];
  page.on("console", (message) => {
    // A refused API call is logged by the browser itself; the tests check
    // refusals through the page. Script errors are what this catches.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource"))
      errors.push(`${label}: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`${label}: ${error.message}`));
  return errors;
}

// Visible controls without an accessible name (label, aria-label or text):
// every control must say what it does, to a screen reader too.
export function unlabelled(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("button, input:not([type=hidden]), select, textarea, a[href]")]
      .filter((control) => control.getClientRects().length > 0)
      .filter((control) => {
        const labelled = [...(control.labels ?? [])].map((label) => label.textContent).join("");
        const name = control.getAttribute("aria-label") || labelled || control.textContent || control.title;
        return !name.trim();
      })
      .map((control) => control.outerHTML.slice(0, 120)),
  );
}

const tests = [];
export function test(name, body) {
  tests.push({ name, body });
}

// Runs every registered test in order; the process exits 1 if any failed.
export async function run() {
  let failed = 0;
  for (const { name, body } of tests) {
    const started = Date.now();
    try {
      await body();
      console.log(`ok   ${name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed += 1;
      console.log(`FAIL ${name}\n${error.stack ?? error}`);
    }
  }
  console.log(`${tests.length - failed}/${tests.length} passed; screenshots in ${artifacts}`);
  process.exit(failed ? 1 : 0);
}

export function readText(file) {
  return readFileSync(file, "utf8");
}
