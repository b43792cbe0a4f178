// The rating tablet beside a counter (/rate/<counter>), authenticated as a
// device of kind "rating" (its token is entered once, or given as
// #token=... in the address, and kept on the tablet). The page stays locked
// until the counter finishes a service — it learns of it from the public
// view stream (the counter's served count) and asks the server which
// service that was — then takes one rating and locks again, or locks by
// itself after a while. The server keeps one rating per ticket.

import { ApiError, get, post } from "./api.js";
import { pagePath } from "./centre.js";
import { counterName, setTimeZone } from "./format.js";
import { apply, errorText, languageButton, load, t } from "./i18n.js";
import { ViewStream } from "./stream.js";

const $ = (id) => document.getElementById(id);
const counter = decodeURIComponent(pagePath.split("/")[2] ?? "");
const storageKey = `luot.rate.${counter}`;
// A finish older than this when the page starts is not offered: the
// citizen has left.
const recentFinish = 90000;
const fragment = new URLSearchParams(location.hash.slice(1));
// How long the unlocked page waits for a tap (the tablet's setting).
const idleSeconds = Math.max(3, Number(fragment.get("seconds")) || 60);

let token = fragment.get("token") || localStorage.getItem(storageKey) || "";
let stream = null;
let view = null;
let prompt = null;
let served = null;
let handled = "";
let deadline = 0;
let countdownTimer = null;
let thanksTimer = null;

function show(section) {
  for (const id of ["setup", "idle", "thanks", "rating"]) $(id).hidden = id !== section;
}

function showStatus(state) {
  const link = $("link");
  link.hidden = false;
  link.dataset.state = state;
  link.textContent = t(state === "live" ? "web.common.live" : state === "offline" ? "web.common.offline" : "web.common.connecting");
}

// The service the counter finished last, if it may be rated now.
async function fetchPrompt() {
  try {
    return await get(`/api/v1/counters/${encodeURIComponent(counter)}/rating`, { token });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && error.code === "ERROR_CODE_NOT_FOUND") return null;
    throw error;
  }
}

function unlock(next) {
  prompt = next;
  handled = next.ticketId;
  $("rating").reset();
  $("submit").disabled = true;
  $("rate-error").hidden = true;
  $("question").textContent = t("web.rate.question", next.number);
  $("faces-legend").textContent = t("web.rate.question", next.number);
  $("officer").textContent = next.officerName ? t("web.rate.officer", next.officerName) : "";
  show("rating");
  touch();
  clearInterval(countdownTimer);
  countdownTimer = setInterval(countdown, 500);
  countdown();
}

function lock() {
  prompt = null;
  clearInterval(countdownTimer);
  show("idle");
}

// Each tap gives the citizen the full time again, up to the server's limit.
function touch() {
  const closes = prompt ? Date.parse(prompt.ratingClosesAt) : 0;
  const serverNow = stream ? stream.now() : Date.now();
  deadline = Math.min(Date.now() + idleSeconds * 1000, Date.now() + (closes - serverNow));
}

function countdown() {
  const left = Math.ceil((deadline - Date.now()) / 1000);
  if (left <= 0) return lock();
  $("countdown").textContent = t("web.rate.closes_in", left);
}

async function consider(initial) {
  let next;
  try {
    next = await fetchPrompt();
  } catch (error) {
    if (error.status === 401 || error.status === 403) return needSetup(true);
    return;
  }
  if (!next || next.ticketId === handled || next.rating !== "SERVICE_RATING_UNSPECIFIED") return;
  const serverNow = stream ? stream.now() : Date.now();
  if (serverNow >= Date.parse(next.ratingClosesAt)) return;
  if (initial && serverNow - Date.parse(next.finishedAt) > recentFinish) {
    handled = next.ticketId;
    return;
  }
  unlock(next);
}

async function send(event) {
  event.preventDefault();
  if (!prompt) return;
  const form = new FormData($("rating"));
  const body = { ticket: prompt.ticketId, rating: form.get("rating"), criteria: form.getAll("criteria") };
  $("submit").disabled = true;
  try {
    await post(`/api/v1/counters/${encodeURIComponent(counter)}/rating`, body, { token });
    clearInterval(countdownTimer);
    prompt = null;
    show("thanks");
    clearTimeout(thanksTimer);
    thanksTimer = setTimeout(lock, 6000);
  } catch (error) {
    $("rate-error").textContent = error.message;
    $("rate-error").hidden = false;
    if (error.code === "ERROR_CODE_ALREADY_RATED" || error.code === "ERROR_CODE_RATING_CLOSED") setTimeout(lock, 4000);
    else $("submit").disabled = false;
  }
}

function needSetup(wrong) {
  stream?.stop();
  stream = null;
  show("setup");
  $("setup-error").hidden = !wrong;
  $("link").hidden = true;
  $("token").focus();
}

async function begin() {
  // Check the token before listening: a wrong one asks for setup again.
  try {
    await fetchPrompt();
  } catch (error) {
    if (error.status === 401 || error.status === 403) return needSetup(true);
  }
  localStorage.setItem(storageKey, token);
  show("idle");
  stream = new ViewStream({
    token,
    subscribe: { counters: [counter] },
    onStatus: showStatus,
    onView: (current) => {
      view = current;
      setTimeZone(view.timeZone);
      $("centre").textContent = view.centreName ?? "";
      $("heading").textContent = `${t("web.rate.title")} — ${counterName(view, counter)}`;
      const record = view.counters.find((entry) => entry.id === counter);
      const first = served === null;
      served = record?.servedToday ?? 0;
      consider(first);
    },
    onUpdate: (current, update) => {
      view = current;
      const record = (update.counters ?? []).find((entry) => entry.id === counter);
      if (!record) return;
      // A finish adds one to the counter's served count.
      if ((record.servedToday ?? 0) !== served) {
        served = record.servedToday ?? 0;
        consider(false);
      }
    },
  });
  stream.start();
}

async function start() {
  await load();
  apply();
  document.title = t("web.rate.title");
  languageButton(() => {
    document.title = t("web.rate.title");
    if (view) $("heading").textContent = `${t("web.rate.title")} — ${counterName(view, counter)}`;
    if (prompt) {
      $("question").textContent = t("web.rate.question", prompt.number);
      $("officer").textContent = prompt.officerName ? t("web.rate.officer", prompt.officerName) : "";
    }
  });
  if (fragment.has("token")) history.replaceState(null, "", location.pathname);
  $("setup-form").addEventListener("submit", (event) => {
    event.preventDefault();
    token = $("token").value.trim();
    $("token").value = "";
    begin();
  });
  $("rating").addEventListener("change", () => {
    $("submit").disabled = !new FormData($("rating")).get("rating");
    touch();
  });
  $("rating").addEventListener("submit", send);
  if (!token) return needSetup(false);
  begin();
}

start().catch((error) => {
  $("setup-error").textContent = errorText(error?.error) || String(error);
});
