#include "markdown.hpp"

#include <cmath>
#include <cstdio>

namespace luot::bench {

markdown_table::markdown_table(std::vector<column> columns) : columns_(std::move(columns)) {}

void markdown_table::add_row(std::vector<std::string> cells) {
  cells.resize(columns_.size(), "–");
  for (auto& cell : cells) {
    if (cell.empty()) cell = "–";
  }
  rows_.push_back(std::move(cells));
}

std::string markdown_table::render() const {
  std::string out = "|";
  for (const auto& each : columns_) out += " " + each.name + " |";
  out += "\n|";
  for (const auto& each : columns_) out += each.text ? " --- |" : " ---: |";
  out += "\n";
  for (const auto& row : rows_) {
    out += "|";
    for (const auto& cell : row) out += " " + cell + " |";
    out += "\n";
  }
  return out;
}

std::string fixed(double value, int decimals) {
  if (!std::isfinite(value)) return "–";
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string grouped(double value) {
  if (!std::isfinite(value)) return "–";
  const bool negative = value < 0;
  std::string digits = fixed(std::fabs(value), 0);
  for (auto at = static_cast<long>(digits.size()) - 3; at > 0; at -= 3) {
    digits.insert(static_cast<std::size_t>(at), ",");
  }
  return negative ? "-" + digits : digits;
}

std::string times(double ratio) {
  if (!std::isfinite(ratio)) return "–";
  return fixed(ratio, 2) + "×";
}

std::string results_document::render(const std::string& header) const {
  std::string out = header;
  out += "## Figures against issue 11's goals\n\n";
  markdown_table summary({{"figure", true}, {"measured", true}, {"goal", true}, {"met", true}});
  for (const auto& each : figures_) {
    std::string verdict = "–";
    if (each.met) verdict = *each.met ? "yes" : "**no**";
    summary.add_row({each.name, each.measured, each.goal.empty() ? "–" : each.goal, verdict});
  }
  out += summary.render();
  out += "\n";
  if (!problems_.empty()) {
    out += "**Correctness problems in this run** (the run failed):\n\n";
    for (const auto& each : problems_) out += "- " + each + "\n";
    out += "\n";
  }
  for (const auto& each : sections_) out += each + "\n";
  return out;
}

}  // namespace luot::bench
