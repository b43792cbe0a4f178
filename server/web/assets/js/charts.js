// Small SVG charts for the reports: no library, no build step. Each chart
// is an <svg role="img"> with a title and a text description, so a screen
// reader gets the figures the bars show; the same figures are in the
// report's tables and its CSV.

const svgNamespace = "http://www.w3.org/2000/svg";
export const palette = { issued: "#1452b8", served: "#17663a", neutral: "#f2a900", bad: "#b3261e", good2: "#7cb342" };

function svg(tag, attributes = {}, text) {
  const element = document.createElementNS(svgNamespace, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

function frame(title, description, width, height) {
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "chart", "aria-label": title });
  root.append(svg("title", {}, title), svg("desc", {}, description));
  return root;
}

function niceMax(value) {
  if (value <= 5) return 5;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return Math.ceil(value / magnitude) * magnitude;
}

// Vertical bars, one per entry: [{label, value}].
export function bars(title, entries, { color = palette.issued } = {}) {
  const width = 720;
  const height = 260;
  const left = 40;
  const bottom = 30;
  const top = 16;
  const max = niceMax(Math.max(0, ...entries.map((entry) => entry.value)));
  const description = entries.map((entry) => `${entry.label}: ${entry.value}`).join("; ");
  const root = frame(title, description, width, height);
  const plot = height - bottom - top;
  for (const fraction of [0, 0.5, 1]) {
    const y = top + plot * (1 - fraction);
    root.append(svg("line", { x1: left, x2: width, y1: y, y2: y, class: "grid" }));
    root.append(svg("text", { x: left - 6, y: y + 4, class: "axis", "text-anchor": "end" }, String(Math.round(max * fraction))));
  }
  const step = (width - left) / Math.max(1, entries.length);
  entries.forEach((entry, index) => {
    const barHeight = (plot * entry.value) / max;
    const x = left + index * step + step * 0.15;
    root.append(svg("rect", { x, y: top + plot - barHeight, width: step * 0.7, height: barHeight, fill: color, rx: 2 }));
    if (entry.value > 0)
      root.append(svg("text", { x: x + step * 0.35, y: top + plot - barHeight - 4, class: "value", "text-anchor": "middle" }, String(entry.value)));
    root.append(svg("text", { x: x + step * 0.35, y: height - 10, class: "axis", "text-anchor": "middle" }, entry.label));
  });
  return root;
}

// Horizontal pairs of bars per entry: [{label, values: [a, b]}], with a legend.
export function pairedBars(title, entries, legend) {
  const rowHeight = 44;
  const width = 720;
  const labelWidth = 220;
  const height = 36 + entries.length * rowHeight;
  const max = niceMax(Math.max(0, ...entries.flatMap((entry) => entry.values)));
  const description = entries.map((entry) => `${entry.label}: ${legend.map((item, index) => `${item.label} ${entry.values[index]}`).join(", ")}`).join("; ");
  const root = frame(title, description, width, height);
  legend.forEach((item, index) => {
    const x = labelWidth + index * 160;
    root.append(svg("rect", { x, y: 6, width: 14, height: 14, fill: item.color }));
    root.append(svg("text", { x: x + 20, y: 18, class: "axis" }, item.label));
  });
  entries.forEach((entry, row) => {
    const y = 32 + row * rowHeight;
    root.append(svg("text", { x: labelWidth - 8, y: y + 22, class: "label", "text-anchor": "end" }, entry.label));
    entry.values.forEach((value, index) => {
      const length = ((width - labelWidth - 40) * value) / max;
      root.append(svg("rect", { x: labelWidth, y: y + index * 17, width: Math.max(0, length), height: 15, fill: legend[index].color, rx: 2 }));
      root.append(svg("text", { x: labelWidth + length + 4, y: y + index * 17 + 12, class: "value" }, String(value)));
    });
  });
  return root;
}

// One stacked bar per entry, as shares: [{label, parts: [n1, n2, ...]}].
export function stackedShares(title, entries, legend) {
  const rowHeight = 34;
  const width = 720;
  const labelWidth = 220;
  const height = 36 + entries.length * rowHeight;
  const description = entries
    .map((entry) => `${entry.label}: ${legend.map((item, index) => `${item.label} ${entry.parts[index]}`).join(", ")}`)
    .join("; ");
  const root = frame(title, description, width, height);
  legend.forEach((item, index) => {
    const x = 10 + index * 175;
    root.append(svg("rect", { x, y: 6, width: 14, height: 14, fill: item.color }));
    root.append(svg("text", { x: x + 20, y: 18, class: "axis" }, item.label));
  });
  entries.forEach((entry, row) => {
    const y = 34 + row * rowHeight;
    const total = entry.parts.reduce((sum, part) => sum + part, 0);
    root.append(svg("text", { x: labelWidth - 8, y: y + 17, class: "label", "text-anchor": "end" }, entry.label));
    let x = labelWidth;
    entry.parts.forEach((part, index) => {
      if (!total || !part) return;
      const length = ((width - labelWidth - 10) * part) / total;
      root.append(svg("rect", { x, y, width: length, height: 24, fill: legend[index].color }));
      if (length > 24) root.append(svg("text", { x: x + length / 2, y: y + 17, class: "inside", "text-anchor": "middle" }, String(part)));
      x += length;
    });
  });
  return root;
}
