// The citizen's ticket page (/t/<status token>, the QR code on the ticket):
// the number, its state, people ahead and the estimate, live from the
// stream's one-ticket subscription. It reveals nothing about anyone else:
// the server sends only this ticket, its category and its counter.

import { categoryName, clock, counterName, estimate, setTimeZone } from "./format.js";
import { apply, languageButton, load, nameOf, t } from "./i18n.js";
import { pagePath } from "./centre.js";
import { ViewStream } from "./stream.js";

const token = decodeURIComponent(pagePath.split("/")[2] ?? "");
const remembered = `luot.ticket.${token.slice(0, 16)}`;
let view = null;
let stream = null;
// What the citizen asked to be told, and what was already told (kept across
// reloads so a refresh never repeats a notification).
let watch = readWatch();

function readWatch() {
  try {
    return JSON.parse(sessionStorage.getItem(remembered)) ?? { threshold: null, near: false, called: false };
  } catch {
    return { threshold: null, near: false, called: false };
  }
}

function saveWatch() {
  try {
    sessionStorage.setItem(remembered, JSON.stringify(watch));
  } catch {
    // Storage may be off; the watch lasts while the page is open.
  }
}

const $ = (id) => document.getElementById(id);

const stateKeys = {
  TICKET_STATE_WAITING: "waiting",
  TICKET_STATE_CALLED: "called",
  TICKET_STATE_PARKED: "parked",
  TICKET_STATE_DONE: "done",
  TICKET_STATE_NO_SHOW: "no_show",
  TICKET_STATE_NOT_SERVED: "not_served",
};

function render() {
  if (!view?.ticket) return;
  const ticket = view.ticket;
  const state = stateKeys[ticket.state] ?? "waiting";
  const counter = counterName(view, ticket.counter);
  $("ticket").hidden = false;
  $("centre").textContent = view.centreName ?? "";
  $("number").textContent = ticket.number;
  $("category").textContent = categoryName(view, ticket.category);
  const priority = (view.priorityClasses ?? []).find((entry) => entry.code === ticket.priorityClass);
  $("priority").hidden = !ticket.priorityClass;
  $("priority-tag").textContent = `${t("web.common.priority")}: ${priority ? nameOf(priority) : ticket.priorityClass}`;
  const banner = $("state");
  banner.dataset.state = state;
  banner.textContent =
    state === "called"
      ? t("web.ticket.called_banner", counter)
      : state === "parked"
        ? t("web.ticket.state.parked", counter)
        : t(`web.ticket.state.${state}`, counter);
  const hints = {
    parked: t("web.ticket.parked_hint", counter),
    no_show: t("web.ticket.no_show_hint"),
    done: t("web.ticket.done_hint"),
    not_served: t("web.ticket.not_served_hint"),
  };
  $("hint").textContent = hints[state] ?? "";
  $("hint").hidden = !hints[state];
  const waiting = state === "waiting";
  $("facts").hidden = !waiting;
  $("ahead").textContent = String(ticket.peopleAhead ?? 0);
  $("estimate").textContent = estimate(ticket.estimatedWaitSeconds);
  $("issued").textContent = t("web.ticket.issued_at", clock(ticket.issuedAt));
  $("notify").hidden = !waiting;
  renderWatch();
  document.title = `${ticket.number} – ${banner.textContent}`;
  checkWatch(ticket, state, counter);
}

function renderWatch() {
  const on = watch.threshold !== null;
  $("notify-button").textContent = t(on ? "web.ticket.notify.stop" : "web.ticket.notify.button");
  $("threshold").disabled = on;
  let text = on ? t("web.ticket.notify.on", watch.threshold) : "";
  if (on && !("Notification" in window && Notification.permission === "granted"))
    text += ` ${t("web.ticket.notify.denied")}`;
  $("notify-state").textContent = text;
}

// Tells the citizen once: by the browser's notification where allowed,
// by vibration where the phone can, and always on the page itself.
function tell(title, body, pattern) {
  if ("Notification" in window && Notification.permission === "granted") {
    try {
      new Notification(title, { body, tag: `luot-${token.slice(0, 8)}`, lang: document.documentElement.lang });
    } catch {
      // Some phones only notify from a service worker; the page alert stays.
    }
  }
  if (navigator.vibrate) navigator.vibrate(pattern);
  const alert = $("alert");
  alert.textContent = `${title}. ${body}`;
  alert.hidden = false;
}

function checkWatch(ticket, state, counter) {
  if (state === "called" && !watch.called) {
    watch.called = true;
    saveWatch();
    if (watch.threshold !== null)
      tell(t("web.ticket.notify.called_title", ticket.number), t("web.ticket.notify.called_body", counter), [400, 150, 400, 150, 400]);
    return;
  }
  if (state !== "waiting" || watch.threshold === null || watch.near) return;
  if ((ticket.peopleAhead ?? 0) <= watch.threshold) {
    watch.near = true;
    saveWatch();
    tell(t("web.ticket.notify.title", ticket.number), t("web.ticket.notify.body", ticket.peopleAhead ?? 0), [250, 100, 250]);
  }
}

async function toggleWatch(event) {
  event.preventDefault();
  if (watch.threshold !== null) {
    watch = { threshold: null, near: false, called: false };
    saveWatch();
    $("alert").hidden = true;
    return render();
  }
  const threshold = Number($("threshold").value);
  if (!Number.isInteger(threshold) || threshold < 0) return $("threshold").focus();
  if ("Notification" in window && Notification.permission === "default") {
    try {
      await Notification.requestPermission();
    } catch {
      // Old browsers take a callback instead; the page alert still works.
    }
  }
  watch = { threshold, near: false, called: false };
  saveWatch();
  render();
}

function showStatus(state) {
  const link = $("link");
  link.dataset.state = state;
  link.textContent = t(state === "live" ? "web.common.live" : state === "offline" ? "web.common.offline" : "web.common.connecting");
}

async function start() {
  await load();
  apply();
  document.title = t("web.ticket.title");
  languageButton(() => {
    render();
    showStatus(stream?.state ?? "connecting");
  });
  $("notify-form").addEventListener("submit", toggleWatch);
  if (watch.threshold !== null) $("threshold").value = String(watch.threshold);
  stream = new ViewStream({
    subscribe: { ticketToken: token },
    onStatus: showStatus,
    onView: (current) => {
      view = current;
      setTimeZone(view.timeZone);
      render();
    },
    onUpdate: (current) => {
      view = current;
      render();
    },
    onRefused: (error) => {
      if (error.code !== "ERROR_CODE_UNKNOWN_TICKET") return;
      $("unknown").hidden = false;
      $("ticket").hidden = true;
      $("notify").hidden = true;
      $("link").hidden = true;
    },
  });
  stream.start();
}

start();
