// Formatting shared by the pages: durations and waits in words from the
// catalogue, clock times in the centre's time zone, timers, and numbers as
// a Vietnamese voice should read them.

import { current, nameOf, t } from "./i18n.js";

// A wait estimate in words: "khoảng 12 phút", "dưới 1 phút".
export function estimate(seconds) {
  const value = Number(seconds ?? 0);
  if (value <= 0) return t("web.common.no_wait");
  if (value < 60) return t("web.common.under_minute");
  const minutes = Math.round(value / 60);
  if (minutes < 60) return t("web.common.about_minutes", minutes);
  return t("web.common.about_hours", Math.floor(minutes / 60), minutes % 60);
}

// An elapsed time in words: "12 phút", "1 giờ 5 phút".
export function duration(seconds) {
  const value = Math.max(0, Math.floor(Number(seconds ?? 0)));
  if (value < 60) return t("web.common.under_minute");
  const minutes = Math.floor(value / 60);
  if (minutes < 60) return t("web.common.minutes", minutes);
  return t("web.common.hours_minutes", Math.floor(minutes / 60), minutes % 60);
}

// A running timer: "07:45" or "1:07:45".
export function timer(milliseconds) {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (value) => String(value).padStart(2, "0");
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${pad(minutes)}:${pad(seconds)}`;
}

let timeZone = "Asia/Ho_Chi_Minh";

export function setTimeZone(zone) {
  if (zone) timeZone = zone;
}

function locale() {
  return current() === "en" ? "en-GB" : "vi-VN";
}

// "14:05" in the centre's time zone.
export function clock(at) {
  if (!at) return "";
  return new Intl.DateTimeFormat(locale(), { hour: "2-digit", minute: "2-digit", hour12: false, timeZone }).format(
    new Date(at),
  );
}

// "Thứ Hai, 23/11/2026" in the centre's time zone.
export function longDate(at) {
  return new Intl.DateTimeFormat(locale(), {
    weekday: "long",
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    timeZone,
  }).format(new Date(at));
}

// "YYYY-MM-DD" of a moment in the centre's time zone.
export function isoDay(at) {
  const parts = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone })
    .formatToParts(new Date(at))
    .reduce((all, part) => ({ ...all, [part.type]: part.value }), {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}

// A ticket number as a voice should read it: the letters, then the number
// without leading zeros ("A007" → "A 7"), so a Vietnamese voice says
// "A bảy" rather than spelling every digit.
export function spokenNumber(number) {
  const match = /^([^0-9]*)0*([0-9]+)$/.exec(String(number ?? ""));
  if (!match) return String(number ?? "");
  return match[1] ? `${match[1].split("").join(" ")} ${match[2]}` : match[2];
}

// The counter's name from a view, or its id.
export function counterName(view, id) {
  const counter = view?.counters?.find((candidate) => candidate.id === id);
  return counter ? nameOf(counter) : id;
}

export function categoryName(view, code) {
  const category = view?.categories?.find((candidate) => candidate.code === code);
  return category ? nameOf(category) : code;
}

// Builds an element: el("td", {class: "number"}, "12").
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") element.className = value;
    else if (name === "text") element.textContent = value;
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}
