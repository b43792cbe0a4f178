// The counter workflow as buttons, F-key shortcuts and dialogs. Every
// action is one POST to /api/v1/counters/{counter}/{action} with the
// session cookie and the anti-forgery token; the server decides whether it
// is allowed and says why not. The buttons only reflect the counter's state
// (serving, idle, paused) so the officer is not offered what cannot work.

import { post } from "./api.js";
import { el } from "./format.js";
import { t } from "./i18n.js";

// F1…F9, printed on the buttons. F9 pauses or resumes, whichever applies.
export const workflow = [
  { key: "F1", action: "call-next", label: "web.counter.action.call_next", when: "idle" },
  { key: "F2", action: "recall", label: "web.counter.action.recall", when: "serving" },
  { key: "F3", action: "no-show", label: "web.counter.action.no_show", when: "serving", tone: "danger" },
  { key: "F4", action: "call", label: "web.counter.action.call", when: "idle", dialog: "call-dialog" },
  { key: "F5", action: "park", label: "web.counter.action.park", when: "serving" },
  { key: "F6", action: "resume-parked", label: "web.counter.action.resume_parked", when: "parked", dialog: "resume-dialog" },
  { key: "F7", action: "transfer", label: "web.counter.action.transfer", when: "serving", dialog: "transfer-dialog" },
  { key: "F8", action: "finish", label: "web.counter.action.finish", when: "serving", dialog: "finish-dialog", tone: "finish" },
  { key: "F9", action: "pause", label: "web.counter.action.pause", when: "pausable", dialog: "pause-dialog" },
];

export class CounterActions {
  // host: {counter(), state(), perform(action, body, reply)} — the console.
  constructor(host) {
    this.host = host;
    this.buttons = new Map();
    this.busy = false;
  }

  render(container) {
    container.replaceChildren();
    for (const entry of workflow) {
      const label = el("span", { class: "action-label" });
      const button = el(
        "button",
        {
          type: "button",
          class: `action ${entry.tone ?? ""}`,
          "aria-keyshortcuts": entry.key,
          "data-action": entry.action,
          onclick: () => this.start(entry),
        },
        el("kbd", { "aria-hidden": "true" }, entry.key),
        label,
      );
      this.buttons.set(entry.action, { button, label, entry });
      container.append(button);
    }
    this.refresh();
  }

  // Labels and what is enabled, from the counter's state now.
  refresh() {
    const state = this.host.state();
    for (const { button, label, entry } of this.buttons.values()) {
      let text = t(entry.label);
      let enabled = false;
      if (entry.action === "pause" && state.paused) text = t("web.counter.action.resume");
      if (state.open) {
        if (entry.when === "idle") enabled = !state.serving && !state.paused;
        if (entry.when === "serving") enabled = state.serving;
        if (entry.when === "parked") enabled = !state.serving && !state.paused && state.parked > 0;
        if (entry.when === "pausable") enabled = state.paused || !state.serving;
      }
      label.textContent = text;
      button.setAttribute("aria-label", `${text} (${t("web.counter.shortcut", entry.key)})`);
      button.disabled = !enabled || this.busy;
    }
  }

  // F1…F9 anywhere on the page (not while a dialog is open).
  listen() {
    document.addEventListener("keydown", (event) => {
      const entry = workflow.find((candidate) => candidate.key === event.key);
      if (!entry || event.ctrlKey || event.altKey || event.metaKey) return;
      // The browser's own meaning of F1…F9 (help, find, reload, caret
      // browsing) gives way to the counter's workflow on this page.
      event.preventDefault();
      if (document.querySelector("dialog[open]")) return;
      const { button } = this.buttons.get(entry.action) ?? {};
      if (button && !button.disabled) button.click();
    });
    for (const form of document.querySelectorAll("dialog form[data-action]")) {
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const dialog = form.closest("dialog");
        const body = Object.fromEntries(new FormData(form).entries());
        for (const [name, value] of Object.entries(body)) if (value === "") delete body[name];
        dialog.close();
        this.perform(form.dataset.action === "pause" && this.host.state().paused ? "resume" : form.dataset.action, body);
      });
      // Enter on a list (the outcome, the category) sends the form too, so a
      // dialog is done with the keyboard as fast as with the mouse.
      form.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && event.target.tagName === "SELECT") {
          event.preventDefault();
          form.requestSubmit();
        }
      });
      for (const cancel of form.querySelectorAll('button[value="cancel"]'))
        cancel.addEventListener("click", () => form.closest("dialog").close());
    }
  }

  start(entry) {
    if (entry.action === "pause" && this.host.state().paused) return this.perform("resume", {});
    if (!entry.dialog) return this.perform(entry.action, {});
    const dialog = document.getElementById(entry.dialog);
    this.host.prepareDialog?.(entry.dialog, dialog);
    dialog.showModal();
    dialog.querySelector("input, select, textarea")?.focus();
  }

  async perform(action, body) {
    if (this.busy) return;
    this.busy = true;
    this.refresh();
    try {
      const reply = await post(`/api/v1/counters/${encodeURIComponent(this.host.counter())}/${action}`, body);
      this.host.done(action, reply);
    } catch (error) {
      this.host.failed(error);
    } finally {
      this.busy = false;
      this.refresh();
    }
  }
}
