// The manager's pages (/manage, manager role): a live monitor — every
// counter with its service so far, every category with its longest wait and
// an alert over [centre] alert_wait_minutes, every device online or not and
// what it last reported — from GET /api/v1/monitor, refreshed when the
// public view stream moves; and the reports (manage-report.js).

import { ApiError, get, post, remove, setCsrfToken } from "./api.js";
import { categoryName, duration, el, estimate, isoDay, setTimeZone, timer } from "./format.js";
import { apply, languageButton, load, nameOf, t } from "./i18n.js";
import { renderReport, runReport } from "./manage-report.js";
import { loadStaff, renderStaff, setCounters, wireStaff } from "./manage-staff.js";
import { ViewStream } from "./stream.js";

const $ = (id) => document.getElementById(id);
let session = null;
let monitor = null;
let fetchedAt = 0;
let stream = null;
let refreshTimer = null;
let lastReport = null;
let closing = null;

function failed(error) {
  if (error instanceof ApiError && error.status === 401) return showSignIn(t("web.signin.expired"));
  const message = $("message");
  message.className = "notice error";
  message.setAttribute("role", "alert");
  message.textContent = error.message;
  message.hidden = false;
}

async function showSignIn(problem) {
  session = null;
  stream?.stop();
  $("workspace").hidden = true;
  $("sign-out").hidden = true;
  $("officer").hidden = true;
  $("link").hidden = true;
  $("signin").hidden = false;
  $("signin-error").hidden = !problem;
  $("signin-error").textContent = problem ?? "";
  try {
    $("centre").textContent = (await get("/api/v1/view")).centreName ?? "";
  } catch {
    // The name is a nicety.
  }
  $("username").focus();
}

async function signIn(event) {
  event.preventDefault();
  const form = new FormData($("signin-form"));
  try {
    const info = await post("/api/v1/web/session", { username: form.get("username").trim(), password: form.get("password") });
    $("password").value = "";
    if (info.role !== "manager") {
      setCsrfToken(info.csrfToken);
      await remove("/api/v1/web/session").catch(() => {});
      return showSignIn(t("web.signin.manager_only"));
    }
    start(info);
  } catch (error) {
    $("signin-error").hidden = false;
    $("signin-error").textContent = error.message;
  }
}

function showStatus(state) {
  const link = $("link");
  link.dataset.state = state;
  link.textContent = t(state === "live" ? "web.common.live" : state === "offline" ? "web.common.offline" : "web.common.connecting");
}

function start(info) {
  session = info;
  setCsrfToken(info.csrfToken);
  $("signin").hidden = true;
  $("workspace").hidden = false;
  $("sign-out").hidden = false;
  $("officer").hidden = false;
  $("link").hidden = false;
  $("officer").textContent = info.displayName;
  stream?.stop();
  stream = new ViewStream({
    onStatus: showStatus,
    onView: (view) => {
      setTimeZone(view.timeZone);
      $("centre").textContent = view.centreName ?? "";
      if (!$("from").value) $("from").value = $("to").value = view.serviceDay || isoDay(Date.now());
      schedule();
    },
    onUpdate: schedule,
  });
  stream.start();
  refresh();
}

function schedule() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, 300);
}

async function refresh() {
  if (!session) return;
  try {
    monitor = await get("/api/v1/monitor");
    fetchedAt = Date.now();
    setCounters((monitor.counters ?? []).map((entry) => entry.counter));
    renderMonitor();
  } catch (error) {
    failed(error);
  }
}

const serverNow = () => (monitor ? Date.parse(monitor.at) + (Date.now() - fetchedAt) : Date.now());

function renderMonitor() {
  if (!monitor) return;
  const threshold = duration(monitor.alertWaitSeconds);
  const categories = (monitor.categories ?? []).map((entry) => entry.category);
  const view = { categories, counters: (monitor.counters ?? []).map((entry) => entry.counter) };
  const alerts = [];
  for (const entry of monitor.categories ?? [])
    if (entry.alert)
      alerts.push(t("web.manage.alert.wait", nameOf(entry.category), duration(entry.longestWaitSeconds), threshold));
  for (const device of monitor.devices ?? []) {
    const label = `${device.device} (${t(`web.manage.kind.${device.kind}`)})`;
    if (!device.online) alerts.push(t("web.manage.alert.offline", label));
    const health = device.status?.health;
    if (health && health !== "DEVICE_HEALTH_OK")
      alerts.push(t("web.manage.alert.device", label, t(`device.health.${health}`)));
  }
  $("alerts").replaceChildren(...alerts.map((text) => el("li", {}, text)));
  $("no-alerts").hidden = alerts.length > 0;
  $("no-alerts").textContent = t("web.manage.no_alerts", threshold);

  const now = serverNow();
  $("m-counters").replaceChildren(
    ...(monitor.counters ?? []).map((entry) => {
      const counter = entry.counter;
      const paused = counter.state === "COUNTER_STATE_PAUSED";
      const open = counter.state === "COUNTER_STATE_OPEN";
      const state = paused
        ? counter.pauseReason
          ? t("web.board.counter.paused_reason", counter.pauseReason)
          : t("web.board.counter.paused")
        : t(open ? "web.board.counter.open" : "web.board.counter.closed");
      const started = entry.serviceStartedAt ? Date.parse(entry.serviceStartedAt) : null;
      return el(
        "tr",
        { "data-counter": counter.id },
        el("th", { scope: "row" }, nameOf(counter)),
        el("td", {}, el("span", { class: `state-pill ${paused ? "paused" : open ? "open" : "closed"}` }, state)),
        el("td", {}, counter.officerName || "—"),
        el("td", { class: "ticket-number" }, counter.currentNumber ? `${counter.currentNumber} · ${categoryName(view, entry.currentCategory)}` : "—"),
        el("td", { class: "number service-time", "data-started": entry.serviceStartedAt ?? "" }, started ? timer(now - started) : "—"),
        el("td", { class: "number" }, String(counter.servedToday ?? 0)),
      );
    }),
  );
  $("m-categories").replaceChildren(
    ...(monitor.categories ?? []).map((entry) => {
      const category = entry.category;
      const open = category.status === "CATEGORY_STATUS_OPEN";
      const manual = category.status === "CATEGORY_STATUS_CLOSED_MANUALLY";
      const waiting = (category.waitingRegular ?? 0) + (category.waitingPriority ?? 0);
      const status = t(`category.status.${category.status}`) + (category.statusNote ? ` — ${category.statusNote}` : "");
      return el(
        "tr",
        { "data-category": category.code, class: entry.alert ? "alert-row" : "" },
        el("th", { scope: "row" }, nameOf(category)),
        el("td", {}, status),
        el("td", { class: "number" }, category.waitingPriority ? t("web.board.waiting_priority", waiting, category.waitingPriority) : String(waiting)),
        el("td", { class: "number" }, entry.longestWaitSeconds ? duration(entry.longestWaitSeconds) : "—"),
        el("td", {}, open ? estimate(category.estimatedWaitSeconds) : "—"),
        el("td", { class: "number" }, String(category.issuedToday ?? 0)),
        el(
          "td",
          {},
          el("button", {
            type: "button",
            class: `small ${manual ? "secondary" : "danger outline"}`,
            "aria-label": manual ? t("web.manage.reopen_category", nameOf(category)) : t("web.manage.close_category", nameOf(category)),
            onclick: () => (manual ? reopen(category) : askClose(category)),
            text: t(manual ? "web.manage.reopen_short" : "web.manage.close_short"),
          }),
        ),
      );
    }),
  );
  $("m-devices").replaceChildren(
    ...(monitor.devices ?? []).map((device) =>
      el(
        "tr",
        { "data-device": device.device },
        el("th", { scope: "row" }, device.device),
        el("td", {}, t(`web.manage.kind.${device.kind}`)),
        el("td", {}, el("span", { class: `state-pill ${device.online ? "open" : "closed"}` }, t(device.online ? "web.manage.online" : "web.manage.offline"))),
        el("td", {}, device.status?.health ? t(`device.health.${device.status.health}`) + (device.status.detail ? ` (${device.status.detail})` : "") : t("web.manage.not_reported")),
      ),
    ),
  );
}

function tick() {
  const now = serverNow();
  for (const cell of document.querySelectorAll("td.service-time[data-started]"))
    if (cell.dataset.started) cell.textContent = timer(now - Date.parse(cell.dataset.started));
}

function askClose(category) {
  closing = category;
  $("close-title").textContent = t("web.manage.close_category", nameOf(category));
  $("close-form").reset();
  $("close-dialog").showModal();
}

async function close(event) {
  event.preventDefault();
  $("close-dialog").close();
  try {
    await post(`/api/v1/categories/${encodeURIComponent(closing.code)}/close`, { note: $("close-note").value.trim() });
    refresh();
  } catch (error) {
    failed(error);
  }
}

async function reopen(category) {
  try {
    await post(`/api/v1/categories/${encodeURIComponent(category.code)}/reopen`, {});
    refresh();
  } catch (error) {
    failed(error);
  }
}

const tabs = ["monitor", "reports", "staff"];

function selectTab(name) {
  if (name === "staff") loadStaff().catch(failed);
  for (const tab of tabs) {
    const button = $(`tab-${tab}`);
    const chosen = tab === name;
    button.setAttribute("aria-selected", String(chosen));
    button.tabIndex = chosen ? 0 : -1;
    $(tab).hidden = !chosen;
  }
}

async function main() {
  await load();
  apply();
  document.title = t("web.manage.title");
  languageButton(() => {
    document.title = t("web.manage.title");
    renderMonitor();
    renderStaff();
    if (lastReport) renderReport(lastReport);
    showStatus(stream?.state ?? "connecting");
  });
  $("signin-form").addEventListener("submit", signIn);
  $("sign-out").addEventListener("click", async () => {
    await remove("/api/v1/web/session").catch(() => {});
    setCsrfToken("");
    showSignIn();
  });
  for (const tab of tabs) $(`tab-${tab}`).addEventListener("click", () => selectTab(tab));
  // Arrow keys move between the tabs, as a tab list should.
  document.querySelector("[role=tablist]").addEventListener("keydown", (event) => {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    const current = tabs.findIndex((tab) => $(`tab-${tab}`).getAttribute("aria-selected") === "true");
    const next = tabs[(current + (event.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
    selectTab(next);
    $(`tab-${next}`).focus();
  });
  wireStaff();
  $("report-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    lastReport = await runReport($("from").value, $("to").value).catch(() => null);
  });
  $("close-form").addEventListener("submit", close);
  $("close-cancel").addEventListener("click", () => $("close-dialog").close());
  setInterval(tick, 1000);
  setInterval(() => session && refresh(), 10000);
  const info = await get("/api/v1/web/session").catch(() => ({}));
  if (info.role === "manager") return start(info);
  showSignIn();
}

main();
