// The officer's console (/counter): sign in to a counter (session in an
// HttpOnly SameSite=Strict cookie, anti-forgery token for every change),
// the current ticket large with its service timer, the workflow on buttons
// and F-keys, and the counter's waiting list, parked tickets and no-shows
// from GET /api/v1/counters/{counter}/queue, refreshed whenever the public
// view stream says something changed.

import { ApiError, get, post, remove, setCsrfToken } from "./api.js";
import { CounterActions } from "./counter-actions.js";
import { categoryName, clock, counterName, duration, el, setTimeZone, timer } from "./format.js";
import { apply, errorText, languageButton, load, nameOf, t } from "./i18n.js";
import { ViewStream } from "./stream.js";

const $ = (id) => document.getElementById(id);
let session = null;
let queue = null;
let view = null;
let stream = null;
let refreshTimer = null;
let pollTimer = null;
const actions = new CounterActions({
  counter: () => session?.counter ?? "",
  state: () => counterState(),
  done: (action, reply) => done(action, reply),
  failed: (error) => failed(error),
  prepareDialog: (id, dialog) => prepareDialog(id, dialog),
});

function counterState() {
  const counter = queue?.counter;
  return {
    open: counter?.state === "COUNTER_STATE_OPEN" || counter?.state === "COUNTER_STATE_PAUSED",
    paused: counter?.state === "COUNTER_STATE_PAUSED",
    serving: Boolean(counter?.currentTicketId),
    parked: queue?.parked?.length ?? 0,
  };
}

function say(text, tone) {
  const message = $("message");
  message.className = `notice ${tone}`;
  message.setAttribute("role", tone === "error" ? "alert" : "status");
  message.textContent = text;
  message.hidden = false;
}

function failed(error) {
  if (error instanceof ApiError && error.status === 401) return showSignIn(t("web.signin.expired"));
  say(error.message, "error");
}

function done(action, reply) {
  const number = reply?.ticket?.number ?? "";
  const key = action === "return" ? "web.counter.done.return" : `web.counter.done.${action.replace("-", "_")}`;
  say(t(key, number), "success");
  // The reply already holds the counter as it is now: the buttons follow at
  // once, before the queue is read again.
  if (queue && reply?.counter?.id === session?.counter) {
    queue.counter = reply.counter;
    const serving = reply.counter.currentTicketId;
    if (!serving) queue.current = undefined;
    else if (reply.ticket?.id === serving) queue.current = reply.ticket;
    renderQueue();
  }
  refreshQueue();
}

// Signing in -----------------------------------------------------------------

async function showSignIn(problem) {
  session = null;
  stream?.stop();
  clearInterval(pollTimer);
  $("console").hidden = true;
  $("sign-out").hidden = true;
  $("officer").hidden = true;
  $("link").hidden = true;
  $("message").hidden = true;
  $("signin").hidden = false;
  $("signin-error").hidden = !problem;
  $("signin-error").textContent = problem ?? "";
  try {
    const publicView = await get("/api/v1/view");
    $("centre").textContent = publicView.centreName ?? "";
    const select = $("counter");
    const chosen = select.value || localStorage.getItem("luot.counter") || "";
    select.replaceChildren(...publicView.counters.map((counter) => el("option", { value: counter.id }, nameOf(counter))));
    if (chosen) select.value = chosen;
  } catch (error) {
    $("signin-error").hidden = false;
    $("signin-error").textContent = error.message;
  }
  $("username").focus();
}

async function signIn(event) {
  event.preventDefault();
  const form = new FormData($("signin-form"));
  const button = $("signin-submit");
  button.disabled = true;
  button.textContent = t("web.signin.working");
  try {
    const info = await post("/api/v1/web/session", {
      username: form.get("username").trim(),
      password: form.get("password"),
      counter: form.get("counter"),
    });
    localStorage.setItem("luot.counter", info.counter);
    $("password").value = "";
    startConsole(info);
  } catch (error) {
    $("signin-error").hidden = false;
    $("signin-error").textContent = error.message;
    $("password").select();
  } finally {
    button.disabled = false;
    button.textContent = t("web.signin.submit");
  }
}

async function signOut() {
  try {
    await remove("/api/v1/web/session");
  } catch {
    // Signed out locally either way.
  }
  setCsrfToken("");
  showSignIn();
}

// The console -----------------------------------------------------------------

function startConsole(info) {
  session = info;
  setCsrfToken(info.csrfToken);
  $("signin").hidden = true;
  $("console").hidden = false;
  $("sign-out").hidden = false;
  $("officer").hidden = false;
  $("link").hidden = false;
  renderHeader();
  actions.render($("actions"));
  stream?.stop();
  stream = new ViewStream({
    onStatus: showStatus,
    onView: (current) => {
      view = current;
      setTimeZone(view.timeZone);
      $("centre").textContent = view.centreName ?? "";
      renderHeader();
      refreshQueue();
    },
    onUpdate: (current, update) => {
      view = current;
      const touches =
        (update.counters ?? []).length > 0 || (update.categories ?? []).length > 0 || update.dayClosed;
      if (touches) scheduleRefresh();
    },
  });
  stream.start();
  clearInterval(pollTimer);
  // Waits grow with time even when nothing happens.
  pollTimer = setInterval(refreshQueue, 30000);
  refreshQueue();
}

function renderHeader() {
  if (!session) return;
  const name = view ? counterName(view, session.counter) : session.counter;
  $("heading").textContent = `${t("web.counter.title")} — ${name}`;
  document.title = `${name} – ${t("web.counter.title")}`;
  $("officer").textContent = t("web.counter.officer", session.displayName);
}

function showStatus(state) {
  const link = $("link");
  link.dataset.state = state;
  link.textContent = t(state === "live" ? "web.common.live" : state === "offline" ? "web.common.offline" : "web.common.connecting");
}

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refreshQueue, 120);
}

async function refreshQueue() {
  if (!session) return;
  try {
    queue = await get(`/api/v1/counters/${encodeURIComponent(session.counter)}/queue`);
    renderQueue();
  } catch (error) {
    failed(error);
  }
}

function tagsOf(ticket) {
  const tags = [];
  if (ticket.priorityClass) {
    const known = (view?.priorityClasses ?? []).find((entry) => entry.code === ticket.priorityClass);
    tags.push(el("span", { class: "tag priority" }, t("web.counter.tag.priority", known ? nameOf(known) : ticket.priorityClass)));
  }
  if (ticket.transferredFromCounter)
    tags.push(el("span", { class: "tag transfer" }, t("web.counter.tag.transferred", counterName(view, ticket.transferredFromCounter))));
  else if (ticket.transferredFromCategory)
    tags.push(el("span", { class: "tag transfer" }, t("web.counter.tag.transferred_category", categoryName(view, ticket.transferredFromCategory))));
  if (ticket.targetCounter) tags.push(el("span", { class: "tag transfer" }, t("web.counter.tag.targeted")));
  if (ticket.noShowAt && ticket.state === "TICKET_STATE_WAITING") tags.push(el("span", { class: "tag return" }, t("web.counter.tag.returned")));
  if (ticket.transferNote) tags.push(el("span", { class: "note" }, ticket.transferNote));
  return tags;
}

function waitedSeconds(ticket) {
  const now = stream ? stream.now() : Date.now();
  return (now - Date.parse(ticket.issuedAt)) / 1000;
}

function renderQueue() {
  if (!queue) return;
  const counter = queue.counter ?? {};
  const state = counterState();
  const pill = $("counter-state");
  pill.className = `state-pill ${state.paused ? "paused" : state.open ? "open" : "closed"}`;
  pill.textContent = t(state.paused ? "web.board.counter.paused" : state.open ? "web.board.counter.open" : "web.board.counter.closed");
  $("paused").hidden = !state.paused && state.open;
  $("paused").textContent = !state.open
    ? t("web.counter.closed")
    : counter.pauseReason
      ? t("web.counter.paused", counter.pauseReason)
      : t("web.counter.paused_plain");
  const current = queue.current;
  $("current-number").textContent = current?.number ?? "";
  $("current-number").hidden = !current;
  $("current-category").textContent = current ? categoryName(view, current.category) : "";
  $("current-tags").replaceChildren(...(current ? tagsOf(current) : []));
  $("current-none").hidden = Boolean(current) || !state.open || state.paused;
  $("calls").textContent = current && current.callCount > 1 ? t("web.counter.calls", current.callCount) : "";
  $("served").textContent = String(counter.servedToday ?? 0);
  $("waiting-total").textContent = String(queue.waitingTotal ?? 0);
  $("waiting-count").textContent = `(${queue.waitingTotal ?? 0})`;
  tick();

  const waiting = queue.waiting ?? [];
  $("waiting").replaceChildren(
    ...waiting.map((ticket) =>
      el(
        "tr",
        {},
        el("td", { class: "ticket-number" }, ticket.number),
        el("td", {}, categoryName(view, ticket.category)),
        el("td", {}, duration(waitedSeconds(ticket))),
        el("td", {}, tagsOf(ticket)),
        el(
          "td",
          {},
          el("button", {
            type: "button",
            class: "secondary small",
            disabled: state.serving || state.paused || !state.open,
            "aria-label": t("web.counter.row.call", ticket.number),
            onclick: () => actions.perform("call", { ticket: ticket.id }),
            text: t("web.counter.row.call_short"),
          }),
        ),
      ),
    ),
  );
  $("waiting-table").hidden = waiting.length === 0;
  $("waiting-empty").hidden = waiting.length > 0;
  const more = (queue.waitingTotal ?? 0) - waiting.length;
  $("waiting-more").hidden = more <= 0;
  $("waiting-more").textContent = t("web.counter.waiting_more", more);

  const parked = queue.parked ?? [];
  $("parked").replaceChildren(
    ...parked.map((ticket) =>
      el(
        "li",
        {},
        el("span", { class: "ticket-number" }, ticket.number),
        el("span", {}, categoryName(view, ticket.category)),
        el("button", {
          type: "button",
          class: "secondary small",
          disabled: state.serving || state.paused,
          "aria-label": t("web.counter.row.resume", ticket.number),
          onclick: () => actions.perform("resume-parked", { ticket: ticket.id }),
          text: t("web.counter.action.resume_parked"),
        }),
      ),
    ),
  );
  $("parked-empty").hidden = parked.length > 0;

  const noShows = queue.noShows ?? [];
  $("no-shows").replaceChildren(
    ...noShows.map((ticket) =>
      el(
        "li",
        {},
        el("span", { class: "ticket-number" }, ticket.number),
        el("span", {}, `${categoryName(view, ticket.category)} · ${clock(ticket.noShowAt)}`),
        el("button", {
          type: "button",
          class: "secondary small",
          "aria-label": t("web.counter.row.return", ticket.number),
          onclick: () => returnNoShow(ticket),
          text: t("web.counter.row.return_short"),
        }),
      ),
    ),
  );
  $("no-shows-empty").hidden = noShows.length > 0;
  actions.refresh();
}

async function returnNoShow(ticket) {
  try {
    const reply = await post("/api/v1/no-shows/return", { ticket: ticket.id });
    done("return", reply);
  } catch (error) {
    failed(error);
  }
}

// The service timer runs from the call, on the server's clock.
function tick() {
  const current = queue?.current;
  const now = stream ? stream.now() : Date.now();
  $("timer").textContent = current?.calledAt ? timer(now - Date.parse(current.calledAt)) : "—";
}

function options(select, entries, blank) {
  select.replaceChildren(
    ...(blank ? [el("option", { value: "" }, blank)] : []),
    ...entries.map(([value, label]) => el("option", { value }, label)),
  );
}

function prepareDialog(id, dialog) {
  const categories = (view?.categories ?? []).map((category) => [category.code, nameOf(category)]);
  if (id === "call-dialog") {
    dialog.querySelector("form").reset();
    options($("call-category"), categories, t("web.counter.dialog.any_category"));
  } else if (id === "resume-dialog") {
    options($("resume-ticket"), (queue?.parked ?? []).map((ticket) => [ticket.id, ticket.number]));
  } else if (id === "transfer-dialog") {
    dialog.querySelector("form").reset();
    options($("transfer-category"), categories, t("web.counter.dialog.keep_category"));
    const counters = (view?.counters ?? []).filter((counter) => counter.id !== session.counter);
    options($("transfer-counter"), counters.map((counter) => [counter.id, nameOf(counter)]), t("web.counter.dialog.no_counter"));
  } else if (id === "finish-dialog") {
    dialog.querySelector("form").reset();
    const outcomes = (queue?.outcomes ?? []).map((outcome) => [outcome.code, nameOf(outcome)]);
    options($("finish-outcome"), outcomes, outcomes.length ? null : t("web.counter.dialog.no_outcome"));
  } else if (id === "pause-dialog") {
    dialog.querySelector("form").reset();
  }
}

async function start() {
  await load();
  apply();
  for (const option of document.querySelectorAll("option[data-t-value]")) option.value = t(option.dataset.tValue);
  document.title = t("web.counter.title");
  languageButton(() => {
    for (const option of document.querySelectorAll("option[data-t-value]")) option.value = t(option.dataset.tValue);
    renderHeader();
    if (session) {
      actions.render($("actions"));
      renderQueue();
      showStatus(stream?.state ?? "connecting");
    }
  });
  $("signin-form").addEventListener("submit", signIn);
  $("sign-out").addEventListener("click", signOut);
  actions.listen();
  setInterval(tick, 1000);
  try {
    const info = await get("/api/v1/web/session");
    if (info.counter) return startConsole(info);
  } catch {
    // Not signed in: the form follows.
  }
  showSignIn();
}

start().catch((error) => say(errorText(error?.error) || String(error), "error"));
