// The public view stream (docs/api.md, "The public view stream") as a mirror:
// a View, then ViewUpdates applied by replacing records. No queue rule lives
// here; the server decides every value. Reconnects with jittered backoff and
// resumes with afterSeq, so a page that was away misses and repeats nothing.

import { apiPath } from "./centre.js";

const pingEvery = 15000;
const pongWithin = 8000;
const longestBackoff = 30000;

function put(list, record, key) {
  const index = list.findIndex((existing) => existing[key] === record[key]);
  if (index >= 0) list[index] = record;
  else list.push(record);
}

// Applies one ViewUpdate to a mirror (a View), exactly as docs/api.md says.
export function applyUpdate(view, update) {
  if (BigInt(update.seq ?? 0) < BigInt(view.seq ?? 0)) return false;
  view.recentCalls ??= [];
  view.categories ??= [];
  view.counters ??= [];
  view.devices ??= [];
  if (update.dayClosed) view.recentCalls = [];
  for (const category of update.categories ?? []) put(view.categories, category, "code");
  for (const counter of update.counters ?? []) put(view.counters, counter, "id");
  for (const device of update.devices ?? []) put(view.devices, device, "device");
  if (update.ticket) view.ticket = update.ticket;
  if (update.call) {
    view.recentCalls.unshift(update.call);
    view.recentCalls.length = Math.min(view.recentCalls.length, view.recentCallsLimit || 10);
  }
  view.seq = update.seq;
  if (update.at) view.at = update.at;
  if (update.serviceDay) view.serviceDay = update.serviceDay;
  return true;
}

export class ViewStream {
  // subscribe: {ticketToken?, counters?}; token: a device token for Hello.
  // Callbacks: onView(view), onUpdate(view, update), onCall(call, {catchingUp}),
  // onStatus("connecting" | "live" | "offline"), onRefused(error) for a
  // subscribe the server will not serve (an unknown ticket token).
  constructor(options) {
    this.options = options;
    this.view = null;
    this.socket = null;
    this.attempts = 0;
    this.requestId = 0;
    this.subscribeId = 0;
    this.catchingUp = false;
    this.stopped = false;
    this.clockOffset = 0;
    this.pingTimer = null;
    this.pongTimer = null;
    this.retryTimer = null;
  }

  // The server's clock as far as the last message tells.
  now() {
    return Date.now() + this.clockOffset;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.clearPing();
    this.socket?.close();
  }

  status(state) {
    this.state = state;
    this.options.onStatus?.(state);
  }

  send(body) {
    this.requestId += 1;
    this.socket.send(JSON.stringify({ requestId: String(this.requestId), ...body }));
    return this.requestId;
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    this.status("connecting");
    const socket = new WebSocket(`${scheme}://${location.host}${apiPath("/api/v1/ws")}`, "luot.v1.json");
    this.socket = socket;
    socket.onopen = () => {
      if (this.options.token) this.send({ hello: { token: this.options.token, client: "luot-web" } });
      const subscribe = { ...(this.options.subscribe ?? {}) };
      if (this.view && !subscribe.ticketToken) subscribe.afterSeq = String(this.view.seq);
      this.catchingUp = Boolean(subscribe.afterSeq);
      this.subscribeId = this.send({ subscribe });
      this.schedulePing();
    };
    socket.onmessage = ({ data }) => this.receive(JSON.parse(data));
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.clearPing();
      if (this.stopped) return;
      this.status("offline");
      this.retry();
    };
  }

  retry() {
    // Exponential backoff with jitter, so a hall full of screens does not
    // come back all at once after a server restart.
    const ceiling = Math.min(longestBackoff, 1000 * 2 ** this.attempts);
    this.attempts += 1;
    this.retryTimer = setTimeout(() => this.connect(), ceiling / 2 + Math.random() * (ceiling / 2));
  }

  schedulePing() {
    this.clearPing();
    this.pingTimer = setTimeout(() => {
      if (this.socket?.readyState !== WebSocket.OPEN) return;
      this.send({ ping: {} });
      // A link that swallows the ping is dead, even if TCP has not noticed.
      this.pongTimer = setTimeout(() => this.socket?.close(), pongWithin);
    }, pingEvery);
  }

  clearPing() {
    clearTimeout(this.pingTimer);
    clearTimeout(this.pongTimer);
  }

  live() {
    this.attempts = 0;
    this.catchingUp = false;
    this.status("live");
  }

  learnClock(at) {
    if (at) this.clockOffset = Date.parse(at) - Date.now();
  }

  receive(message) {
    if (message.pong) return this.schedulePing();
    this.schedulePing();
    if (message.error) {
      if (Number(message.requestId) === this.subscribeId) {
        this.options.onRefused?.(message.error);
        if (message.error.code === "ERROR_CODE_UNKNOWN_TICKET") this.stop();
        else this.socket.close();
      }
      return;
    }
    if (message.view) {
      const view = message.view;
      view.recentCalls ??= [];
      view.categories ??= [];
      view.counters ??= [];
      view.devices ??= [];
      this.view = view;
      this.learnClock(view.at);
      this.live();
      this.options.onView?.(view);
      return;
    }
    if (message.subscribed) {
      this.live();
      this.options.onView?.(this.view);
      return;
    }
    if (message.update && this.view) {
      const update = message.update;
      if (!applyUpdate(this.view, update)) return;
      if (!this.catchingUp) this.learnClock(update.at);
      if (update.call) this.options.onCall?.(update.call, { catchingUp: this.catchingUp });
      this.options.onUpdate?.(this.view, update);
    }
  }
}
