// Staff management on the manager's page: add a member, change a name,
// role or counters, reset a password, disable an account. Each save is a
// StaffSet event (POST /api/v1/staff), effective at once; the TOML file's
// [[staff]] is only the starting list.

import { get, post } from "./api.js";
import { el } from "./format.js";
import { nameOf, t } from "./i18n.js";

const $ = (id) => document.getElementById(id);
let members = [];
let counters = [];

export function setCounters(list) {
  counters = list;
}

export async function loadStaff() {
  members = (await get("/api/v1/staff")).staff ?? [];
  renderStaff();
}

export function renderStaff() {
  const counterName = (id) => nameOf(counters.find((counter) => counter.id === id)) || id;
  $("staff-list").replaceChildren(
    ...members.map((member) =>
      el(
        "tr",
        { "data-username": member.username, class: member.disabled ? "disabled-row" : "" },
        el("th", { scope: "row" }, member.username),
        el("td", {}, member.displayName),
        el("td", {}, t(`web.manage.staff.role.${member.role}`)),
        el("td", {}, member.counters?.length ? member.counters.map(counterName).join(", ") : t("web.manage.staff.any_counter")),
        el("td", {}, el("span", { class: `state-pill ${member.disabled ? "closed" : "open"}` }, t(member.disabled ? "web.manage.staff.disabled" : "web.manage.staff.active"))),
        el(
          "td",
          {},
          el("button", {
            type: "button",
            class: "secondary small",
            "aria-label": t("web.manage.staff.edit", member.displayName),
            onclick: () => openDialog(member),
            text: t("web.manage.staff.edit_short"),
          }),
        ),
      ),
    ),
  );
}

function openDialog(member) {
  const form = $("staff-form");
  form.reset();
  $("staff-error").hidden = true;
  $("staff-title").textContent = t(member ? "web.manage.staff.dialog_edit" : "web.manage.staff.dialog_add");
  $("staff-username").value = member?.username ?? "";
  $("staff-username").readOnly = Boolean(member);
  $("staff-name").value = member?.displayName ?? "";
  $("staff-role").value = member?.role ?? "officer";
  $("staff-password").required = !member;
  $("staff-password-keep").hidden = !member;
  $("staff-disabled").checked = Boolean(member?.disabled);
  $("staff-counters").replaceChildren(
    ...counters.map((counter) =>
      el(
        "label",
        { class: "choice" },
        el("input", { type: "checkbox", name: "counters", value: counter.id, checked: member?.counters?.includes(counter.id) }),
        nameOf(counter),
      ),
    ),
  );
  $("staff-dialog").showModal();
  (member ? $("staff-name") : $("staff-username")).focus();
}

async function save(event) {
  event.preventDefault();
  const data = new FormData($("staff-form"));
  const body = {
    username: String(data.get("username")).trim(),
    displayName: String(data.get("displayName")).trim(),
    role: data.get("role"),
    counters: data.getAll("counters"),
    password: String(data.get("password") ?? ""),
    disabled: data.get("disabled") === "on",
  };
  try {
    const saved = await post("/api/v1/staff", body);
    $("staff-dialog").close();
    const message = $("staff-message");
    message.className = "notice success";
    message.setAttribute("role", "status");
    message.textContent = t("web.manage.staff.saved", saved.displayName);
    message.hidden = false;
    await loadStaff();
  } catch (error) {
    $("staff-error").textContent = error.message;
    $("staff-error").hidden = false;
  }
}

export function wireStaff() {
  $("staff-add").addEventListener("click", () => openDialog(null));
  $("staff-form").addEventListener("submit", save);
  $("staff-cancel").addEventListener("click", () => $("staff-dialog").close());
}
