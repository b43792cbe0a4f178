// The hall board for a smart TV's browser (/board): the same information as
// luot-display — the call being made, the recent calls, every counter and
// every category's queue — live from the public view stream, with a chime
// (WebAudio) and the call read aloud where the browser has a Vietnamese
// voice. Reconnects and resumes like the display: nothing missed or repeated.

import { counterName, el, estimate, longDate, setTimeZone, spokenNumber } from "./format.js";
import { apply, languageButton, load, nameOf, t } from "./i18n.js";
import { ViewStream } from "./stream.js";

const $ = (id) => document.getElementById(id);
// A call older than this when it reaches the board (a long reconnect) is
// shown but not announced: the citizen has been called already.
const announceWithin = 30000;
const freshFor = 12000;

let view = null;
let stream = null;
let audio = null;
let lastAnnounced = 0n;
let freshSeq = null;
let freshTimer = null;
// What was announced, for diagnostics and the browser tests.
const board = { announcements: [], stream: null };
window.luotBoard = board;

function showStatus(state) {
  const link = $("link");
  link.dataset.state = state;
  link.textContent = t(state === "live" ? "web.common.live" : state === "offline" ? "web.common.offline" : "web.common.connecting");
}

function render() {
  if (!view) return;
  $("centre").textContent = view.centreName ?? "";
  const calls = view.recentCalls ?? [];
  const latest = calls[0];
  $("now-number").textContent = latest?.number ?? "";
  $("now-counter").textContent = latest ? t("web.board.to_counter", counterName(view, latest.counter)) : "";
  $("now-none").hidden = Boolean(latest);
  $("now-recall").hidden = !(latest?.callCount > 1);
  $("now-recall").textContent = t("web.board.recall");
  $("now").classList.toggle("fresh", Boolean(latest) && latest.seq === freshSeq);
  $("recent").replaceChildren(
    ...calls.slice(1).map((call) =>
      el(
        "li",
        { class: call.seq === freshSeq ? "fresh" : "" },
        el("span", { class: "ticket-number" }, call.number),
        el("span", { class: "arrow", "aria-hidden": "true" }, "→"),
        el("span", {}, counterName(view, call.counter)),
        call.callCount > 1 ? el("span", { class: "tag" }, t("web.board.recall")) : null,
      ),
    ),
  );
  $("counters").replaceChildren(
    ...(view.counters ?? []).map((counter) => {
      const paused = counter.state === "COUNTER_STATE_PAUSED";
      const open = counter.state === "COUNTER_STATE_OPEN";
      const state = paused
        ? counter.pauseReason
          ? t("web.board.counter.paused_reason", counter.pauseReason)
          : t("web.board.counter.paused")
        : t(open ? "web.board.counter.open" : "web.board.counter.closed");
      return el(
        "tr",
        {},
        el("th", { scope: "row" }, nameOf(counter)),
        el("td", { class: "ticket-number serving" }, open ? counter.currentNumber || "—" : "—"),
        el("td", {}, el("span", { class: `state-pill ${paused ? "paused" : open ? "open" : "closed"}` }, state)),
      );
    }),
  );
  $("categories").replaceChildren(
    ...(view.categories ?? []).map((category) => {
      const waiting = (category.waitingRegular ?? 0) + (category.waitingPriority ?? 0);
      const count = category.waitingPriority
        ? t("web.board.waiting_priority", waiting, category.waitingPriority)
        : String(waiting);
      const isOpen = category.status === "CATEGORY_STATUS_OPEN";
      return el(
        "tr",
        {},
        el("th", { scope: "row" }, nameOf(category)),
        el("td", { class: "number waiting" }, count),
        el("td", {}, isOpen ? estimate(category.estimatedWaitSeconds) : t(`category.status.${category.status}`)),
      );
    }),
  );
}

function tickClock() {
  const now = stream ? stream.now() : Date.now();
  const time = new Intl.DateTimeFormat(document.documentElement.lang === "en" ? "en-GB" : "vi-VN", {
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
    timeZone: view?.timeZone ?? "Asia/Ho_Chi_Minh",
  }).format(new Date(now));
  $("clock").textContent = `${time} · ${longDate(now)}`;
}

// The chime: two soft tones, as the hall display plays.
function chime() {
  if (!audio || audio.state !== "running") return false;
  const start = audio.currentTime + 0.05;
  for (const [offset, frequency] of [
    [0, 784],
    [0.45, 587],
  ]) {
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.type = "sine";
    tone.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.5, start + offset + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.9);
    tone.connect(gain).connect(audio.destination);
    tone.start(start + offset);
    tone.stop(start + offset + 1);
  }
  return true;
}

function vietnameseVoice() {
  if (!("speechSynthesis" in window)) return null;
  const voices = speechSynthesis.getVoices();
  return voices.find((voice) => voice.lang?.toLowerCase().startsWith("vi")) ?? null;
}

function announce(call) {
  const counter = counterName(view, call.counter);
  const key = call.callCount > 1 ? "speech.recall_named" : "speech.call_named";
  // The voice reads Vietnamese whatever the screen's language.
  const sentence = t(key, spokenNumber(call.number), counter);
  const chimed = chime();
  const voice = vietnameseVoice();
  if (voice) {
    const utterance = new SpeechSynthesisUtterance(sentence);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = 0.9;
    // After the chime has rung.
    setTimeout(() => speechSynthesis.speak(utterance), chimed ? 1100 : 0);
  }
  board.announcements.push({ number: call.number, counter: call.counter, seq: call.seq, sentence, chimed, voice: voice?.name ?? null });
}

function onCall(call, { catchingUp }) {
  const seq = BigInt(call.seq ?? 0);
  if (seq <= lastAnnounced) return;
  lastAnnounced = seq;
  freshSeq = call.seq;
  clearTimeout(freshTimer);
  freshTimer = setTimeout(() => {
    freshSeq = null;
    render();
  }, freshFor);
  const age = (stream ? stream.now() : Date.now()) - Date.parse(call.at);
  if (!catchingUp || age < announceWithin) announce(call);
}

function soundButton() {
  const button = $("sound");
  const running = audio?.state === "running";
  button.hidden = false;
  button.textContent = t(running ? "web.board.sound_active" : "web.board.sound_on");
  button.setAttribute("aria-pressed", running ? "true" : "false");
}

async function enableSound() {
  try {
    audio ??= new AudioContext();
    await audio.resume();
  } catch {
    // No audio device: the board still shows every call.
  }
  soundButton();
}

async function start() {
  await load();
  apply();
  document.title = t("web.board.title");
  languageButton(() => {
    document.title = t("web.board.title");
    render();
    soundButton();
    showStatus(stream?.state ?? "connecting");
  });
  try {
    audio = new AudioContext();
    // A TV started with --autoplay-policy=no-user-gesture-required runs at
    // once; elsewhere the first press of the button (or any key) starts it.
    audio.onstatechange = soundButton;
  } catch {
    audio = null;
  }
  $("sound").addEventListener("click", enableSound);
  document.addEventListener("keydown", () => audio?.state === "suspended" && enableSound(), { once: true });
  soundButton();
  if ("speechSynthesis" in window) speechSynthesis.getVoices();
  stream = new ViewStream({
    onStatus: showStatus,
    onView: (current) => {
      view = current;
      setTimeZone(view.timeZone);
      // A fresh view is the present: its calls were announced before.
      const newest = view.recentCalls?.[0];
      if (newest && BigInt(newest.seq) > lastAnnounced) lastAnnounced = BigInt(newest.seq);
      render();
    },
    onUpdate: (current) => {
      view = current;
      render();
    },
    onCall,
  });
  board.stream = stream;
  stream.start();
  tickClock();
  setInterval(tickClock, 1000);
}

start();
