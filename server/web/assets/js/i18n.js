// The pages' texts: the server's message catalogue (GET /api/v1/catalogue/vi
// or /en, the same tables every screen and ticket uses), Vietnamese first.
// Elements name their text with data-t="key" (content) and
// data-t-label / data-t-placeholder / data-t-title (attributes).

import { apiPath } from "./centre.js";

const storageKey = "luot.language";
let language = "vi";
let texts = {};

function stored() {
  try {
    return localStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

export function current() {
  return language;
}

// Loads the catalogue of the chosen language (the one kept from last time,
// or ?lang=, or Vietnamese).
export async function load(preferred) {
  const asked = new URLSearchParams(location.search).get("lang");
  language = preferred ?? (asked === "en" || asked === "vi" ? asked : stored()) ?? "vi";
  if (language !== "en") language = "vi";
  const response = await fetch(apiPath(`/api/v1/catalogue/${language}`), { cache: "no-cache" });
  if (!response.ok) throw new Error(`catalogue ${language}: HTTP ${response.status}`);
  texts = (await response.json()).texts ?? {};
  document.documentElement.lang = language;
  return language;
}

// The text of `key` with {0}, {1}, ... filled in; the key itself when the
// catalogue lacks it (as the C++ lookup does).
export function t(key, ...args) {
  const pattern = texts[key] ?? key;
  return pattern.replace(/\{(\d)\}/g, (match, index) =>
    Number(index) < args.length ? String(args[Number(index)]) : "",
  );
}

export function has(key) {
  return key in texts;
}

// Fills every data-t* element under `root`.
export function apply(root = document) {
  for (const element of root.querySelectorAll("[data-t]")) element.textContent = t(element.dataset.t);
  for (const element of root.querySelectorAll("[data-t-label]"))
    element.setAttribute("aria-label", t(element.dataset.tLabel));
  for (const element of root.querySelectorAll("[data-t-placeholder]"))
    element.setAttribute("placeholder", t(element.dataset.tPlaceholder));
  for (const element of root.querySelectorAll("[data-t-title]"))
    element.setAttribute("title", t(element.dataset.tTitle));
}

// Switches language, keeps the choice, and lets the page render again.
export async function toggle(rerender) {
  const next = language === "vi" ? "en" : "vi";
  try {
    localStorage.setItem(storageKey, next);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  await load(next);
  apply();
  rerender?.();
}

// Wires the header's language button (an element with id "language").
export function languageButton(rerender) {
  const button = document.getElementById("language");
  if (!button) return;
  button.addEventListener("click", () => toggle(rerender));
}

// A category's or counter's name in the page's language.
export function nameOf(record) {
  if (!record) return "";
  return (language === "en" ? record.nameEn : record.nameVi) || record.nameVi || record.code || record.id || "";
}

// The server's Error in the page's language.
export function errorText(error) {
  if (!error) return t("web.common.network_error");
  return (language === "en" ? error.messageEn : error.message) || error.message || t("web.common.network_error");
}
