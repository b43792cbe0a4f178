// The manager's report: GET /api/v1/reports?from=&to= (computed by the
// server from the event log), shown as summary figures, SVG charts and
// tables whose columns are the CSV's, with a link to the CSV of the same
// figures (GET /api/v1/reports.csv).

import { get } from "./api.js";
import { apiPath } from "./centre.js";
import { bars, pairedBars, palette, stackedShares } from "./charts.js";
import { el, timer } from "./format.js";
import { nameOf, t } from "./i18n.js";

const $ = (id) => document.getElementById(id);

// Seconds as "m:ss" (or "h:mm:ss"), the CSV keeps the seconds.
const clockOf = (seconds) => timer((seconds ?? 0) * 1000);
const percent = (permille) => `${Math.floor((permille ?? 0) / 10)}.${(permille ?? 0) % 10}`;

function ratedOf(row) {
  const ratings = row.ratings ?? {};
  return (ratings.verySatisfied ?? 0) + (ratings.satisfied ?? 0) + (ratings.neutral ?? 0) + (ratings.dissatisfied ?? 0);
}

// The columns of the tables, in the CSV's order (web.csv.* headings), each
// with its value as the CSV holds it.
const columns = [
  ["issued", (row) => row.issued ?? 0],
  ["called", (row) => row.called ?? 0],
  ["served", (row) => row.served ?? 0],
  ["no_show", (row) => row.noShow ?? 0],
  ["not_served", (row) => row.notServed ?? 0],
  ["open", (row) => row.open ?? 0],
  ["transferred_out", (row) => row.transferredOut ?? 0],
  ["wait_mean", (row) => row.wait?.meanSeconds ?? 0],
  ["wait_median", (row) => row.wait?.medianSeconds ?? 0],
  ["wait_p90", (row) => row.wait?.p90Seconds ?? 0],
  ["within_target_percent", (row) => percent(row.withinTargetPermille)],
  ["service_mean", (row) => row.service?.meanSeconds ?? 0],
  ["service_median", (row) => row.service?.medianSeconds ?? 0],
  ["service_p90", (row) => row.service?.p90Seconds ?? 0],
  ["rated", ratedOf],
  ["very_satisfied", (row) => row.ratings?.verySatisfied ?? 0],
  ["satisfied", (row) => row.ratings?.satisfied ?? 0],
  ["neutral", (row) => row.ratings?.neutral ?? 0],
  ["dissatisfied", (row) => row.ratings?.dissatisfied ?? 0],
];

function table(caption, rows, section) {
  return el(
    "section",
    { class: "card" },
    el("h3", {}, caption),
    el(
      "div",
      { class: "table-scroll" },
      el(
        "table",
        { class: "report-table", "data-section": section },
        el(
          "thead",
          {},
          el(
            "tr",
            {},
            el("th", { scope: "col" }, t("web.csv.name")),
            columns.map(([key]) => el("th", { scope: "col", class: "number" }, t(`web.csv.${key}`))),
          ),
        ),
        el(
          "tbody",
          {},
          rows.map((row) =>
            el(
              "tr",
              { "data-key": row.key },
              el("th", { scope: "row" }, section === "officer" || section === "day" ? row.nameVi : nameOf(row)),
              columns.map(([key, value]) => {
                const raw = value(row);
                // The table shows what the CSV holds (seconds, counts); the
                // summary above shows times as m:ss.
                return el("td", { class: "number", "data-column": key, "data-value": String(raw) }, String(raw));
              }),
            ),
          ),
        ),
      ),
    ),
  );
}

function figure(label, value, detail) {
  return el("div", { class: "figure" }, el("span", { class: "figure-label" }, label), el("span", { class: "figure-value" }, value), detail ? el("span", { class: "figure-detail" }, detail) : null);
}

export function renderReport(report) {
  const total = report.total ?? {};
  const rated = ratedOf(total);
  const happy = (total.ratings?.verySatisfied ?? 0) + (total.ratings?.satisfied ?? 0);
  const heading =
    report.fromDay === report.toDay
      ? t("web.manage.report.heading_day", report.fromDay)
      : t("web.manage.report.heading", report.fromDay, report.toDay);
  const target = Math.round((report.targetWaitSeconds ?? 0) / 60);
  const summary = el(
    "div",
    { class: "figures", id: "report-summary" },
    figure(t("web.csv.issued"), String(total.issued ?? 0)),
    figure(t("web.csv.served"), String(total.served ?? 0)),
    figure(t("web.csv.no_show"), String(total.noShow ?? 0)),
    figure(t("web.csv.not_served"), String(total.notServed ?? 0), `${t("web.csv.open")}: ${total.open ?? 0}`),
    figure(t("web.manage.report.within_target", t("web.common.minutes", target)), `${percent(total.withinTargetPermille)}%`, `${total.calledWithinTarget ?? 0}/${total.wait?.count ?? 0}`),
    figure(
      t("web.manage.report.wait"),
      clockOf(total.wait?.meanSeconds),
      t("web.manage.report.mean_median_p90", clockOf(total.wait?.meanSeconds), clockOf(total.wait?.medianSeconds), clockOf(total.wait?.p90Seconds)),
    ),
    figure(
      t("web.manage.report.service"),
      clockOf(total.service?.meanSeconds),
      t("web.manage.report.mean_median_p90", clockOf(total.service?.meanSeconds), clockOf(total.service?.medianSeconds), clockOf(total.service?.p90Seconds)),
    ),
    figure(t("web.manage.report.satisfaction"), rated ? `${Math.round((100 * happy) / rated)}%` : "—", t("web.manage.report.satisfaction_value", rated ? Math.round((100 * happy) / rated) : 0, rated)),
  );
  const hours = (report.issuedByHour ?? []).map((value, hour) => ({ label: String(hour), value }));
  const busy = hours.filter((entry) => entry.value > 0).map((entry) => Number(entry.label));
  const shown = busy.length ? hours.slice(Math.max(0, Math.min(...busy) - 1), Math.min(24, Math.max(...busy) + 2)) : hours.slice(7, 18);
  const categories = (report.categories ?? []).map((row) => ({ label: nameOf(row), values: [row.issued ?? 0, row.served ?? 0] }));
  const officers = (report.officers ?? []).filter((row) => ratedOf(row) > 0);
  const charts = el(
    "div",
    { class: "charts" },
    el("figure", { class: "card" }, el("figcaption", {}, t("web.manage.report.chart_hours")), bars(t("web.manage.report.chart_hours"), shown)),
    el(
      "figure",
      { class: "card" },
      el("figcaption", {}, t("web.manage.report.chart_categories")),
      pairedBars(t("web.manage.report.chart_categories"), categories, [
        { label: t("web.manage.report.legend_issued"), color: palette.issued },
        { label: t("web.manage.report.legend_served"), color: palette.served },
      ]),
    ),
    officers.length
      ? el(
          "figure",
          { class: "card" },
          el("figcaption", {}, t("web.manage.report.chart_ratings")),
          stackedShares(
            t("web.manage.report.chart_ratings"),
            officers.map((row) => ({
              label: row.nameVi,
              parts: [row.ratings?.verySatisfied ?? 0, row.ratings?.satisfied ?? 0, row.ratings?.neutral ?? 0, row.ratings?.dissatisfied ?? 0],
            })),
            [
              { label: t("web.rate.very_satisfied"), color: palette.served },
              { label: t("web.rate.satisfied"), color: palette.good2 },
              { label: t("web.rate.neutral"), color: palette.neutral },
              { label: t("web.rate.dissatisfied"), color: palette.bad },
            ],
          ),
        )
      : null,
  );
  const container = $("report");
  container.replaceChildren(
    el("h2", {}, heading),
    el("p", { class: "muted" }, t("web.manage.report.generated", new Date(report.generatedAt).toLocaleString(document.documentElement.lang === "en" ? "en-GB" : "vi-VN"), report.eventsRead ?? 0)),
    summary,
    total.issued ? charts : el("p", { class: "notice" }, t("web.manage.report.no_data")),
    table(t("web.manage.report.by_category"), [...(report.categories ?? []), { ...total, nameVi: t("web.csv.section.total"), nameEn: t("web.csv.section.total") }], "category"),
    table(t("web.manage.report.by_officer"), report.officers ?? [], "officer"),
    table(t("web.manage.report.by_day"), report.days ?? [], "day"),
  );
  container.hidden = false;
}

export async function runReport(from, to) {
  $("report-error").hidden = true;
  $("report-working").hidden = false;
  try {
    const query = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const report = await get(`/api/v1/reports?${query}`);
    renderReport(report);
    const csv = $("csv");
    csv.href = apiPath(`/api/v1/reports.csv?${query}`);
    csv.hidden = false;
    return report;
  } catch (error) {
    $("report-error").textContent = error.message;
    $("report-error").hidden = false;
    throw error;
  } finally {
    $("report-working").hidden = true;
  }
}
