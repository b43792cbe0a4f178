#include "net/report_csv.hpp"

#include <string_view>
#include <vector>

namespace luot::net {

namespace {

std::string quoted(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (const char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// A share per thousand as a percentage with one decimal ("87.5").
std::string percent(std::uint32_t permille) {
  return std::to_string(permille / 10) + "." + std::to_string(permille % 10);
}

void add_row(std::string& out, std::string_view section, const v1::ReportRow& row,
             text::language language) {
  const auto& ratings = row.ratings();
  const auto rated =
      ratings.very_satisfied() + ratings.satisfied() + ratings.neutral() + ratings.dissatisfied();
  const std::vector<std::string> fields = {
      std::string(section),
      row.key(),
      language == text::language::vi ? row.name_vi() : row.name_en(),
      std::to_string(row.issued()),
      std::to_string(row.called()),
      std::to_string(row.served()),
      std::to_string(row.no_show()),
      std::to_string(row.not_served()),
      std::to_string(row.open()),
      std::to_string(row.transferred_out()),
      std::to_string(row.wait().count()),
      std::to_string(row.wait().mean_seconds()),
      std::to_string(row.wait().median_seconds()),
      std::to_string(row.wait().p90_seconds()),
      std::to_string(row.called_within_target()),
      percent(row.within_target_permille()),
      std::to_string(row.service().count()),
      std::to_string(row.service().mean_seconds()),
      std::to_string(row.service().median_seconds()),
      std::to_string(row.service().p90_seconds()),
      std::to_string(rated),
      std::to_string(ratings.very_satisfied()),
      std::to_string(ratings.satisfied()),
      std::to_string(ratings.neutral()),
      std::to_string(ratings.dissatisfied()),
  };
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    out += quoted(fields[i]);
  }
  out += "\r\n";
}

}  // namespace

std::string report_csv(const v1::Report& report, text::language language) {
  static constexpr std::string_view columns[] = {
      "section",        "key",
      "name",           "issued",
      "called",         "served",
      "no_show",        "not_served",
      "open",           "transferred_out",
      "wait_count",     "wait_mean",
      "wait_median",    "wait_p90",
      "within_target",  "within_target_percent",
      "service_count",  "service_mean",
      "service_median", "service_p90",
      "rated",          "very_satisfied",
      "satisfied",      "neutral",
      "dissatisfied",
  };
  std::string out = "\xEF\xBB\xBF";
  for (std::size_t i = 0; i < std::size(columns); ++i) {
    if (i > 0) out += ',';
    out += quoted(text::lookup(language, "web.csv." + std::string(columns[i])));
  }
  out += "\r\n";
  const auto section = [&](std::string_view key) {
    return std::string(text::lookup(language, "web.csv.section." + std::string(key)));
  };
  add_row(out, section("total"), report.total(), language);
  for (const auto& row : report.categories()) add_row(out, section("category"), row, language);
  for (const auto& row : report.officers()) add_row(out, section("officer"), row, language);
  for (const auto& row : report.days()) add_row(out, section("day"), row, language);
  return out;
}

}  // namespace luot::net
