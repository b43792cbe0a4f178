// Reads a centre's TOML file into config::settings. Every problem is
// reported as "file:line:column: what is wrong", including unknown keys, so
// a typo in a hand-edited file never silently changes behaviour.
#include <charconv>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "config/reader.hpp"
#include "config/settings.hpp"

namespace luot::config {

namespace detail {
namespace {

using namespace std::chrono_literals;

// "HH:MM" as minutes after midnight; 24:00 is allowed as an end of day.
std::optional<std::chrono::minutes> parse_clock(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  int hours = 0;
  int minutes = 0;
  if (std::from_chars(text.data(), text.data() + 2, hours).ptr != text.data() + 2) {
    return std::nullopt;
  }
  if (std::from_chars(text.data() + 3, text.data() + 5, minutes).ptr != text.data() + 5) {
    return std::nullopt;
  }
  if (hours < 0 || minutes < 0 || minutes > 59 || hours > 24 || (hours == 24 && minutes != 0)) {
    return std::nullopt;
  }
  return std::chrono::minutes{hours * 60 + minutes};
}

}  // namespace

bool valid_code(std::string_view code) {
  if (code.empty() || code.size() > 32) return false;
  for (const char c : code) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

// Reads an identifier (category code, counter id, username, ...): 1-32
// letters, digits, - or _, unique among its kind.
std::string read_identifier(const reader& in, const toml::table& table, const std::string& path,
                            std::string_view key, std::set<std::string>& seen,
                            std::string_view what) {
  std::string value = in.text(table, path, key);
  if (!valid_code(value)) {
    in.fail(*table.get(key),
            "\"" + path + "." + std::string(key) + "\" must be 1-32 letters, digits, - or _");
  }
  if (!seen.insert(value).second) {
    in.fail(*table.get(key), std::string(what) + " \"" + value + "\" is used twice");
  }
  return value;
}

namespace {

constexpr std::array<std::string_view, 7> weekday_keys = {"sun", "mon", "tue", "wed",
                                                          "thu", "fri", "sat"};

core::weekly_hours read_hours(const reader& in, const toml::table& table, const std::string& path) {
  in.only_keys(table, path, {"sun", "mon", "tue", "wed", "thu", "fri", "sat"});
  std::array<std::vector<core::time_range>, 7> week;
  for (std::size_t day = 0; day < weekday_keys.size(); ++day) {
    const toml::node* node = table.get(weekday_keys[day]);
    if (node == nullptr) continue;  // Closed all day.
    const std::string where = reader::qualified(path, weekday_keys[day]);
    for (const std::string& range : in.strings(table, path, weekday_keys[day])) {
      const auto dash = range.find('-');
      const auto begin = dash == std::string::npos
                             ? std::nullopt
                             : parse_clock(std::string_view(range).substr(0, dash));
      const auto end = dash == std::string::npos
                           ? std::nullopt
                           : parse_clock(std::string_view(range).substr(dash + 1));
      if (!begin || !end) {
        in.fail(*node, "\"" + where + "\": \"" + range + "\" is not a range like \"07:30-11:30\"");
      }
      if (*begin >= *end) {
        in.fail(*node, "\"" + where + "\": \"" + range + "\" ends before it begins");
      }
      if (!week[day].empty() && week[day].back().end > *begin) {
        in.fail(*node, "\"" + where + "\": ranges must be in order and must not overlap");
      }
      week[day].push_back(core::time_range{*begin, *end});
    }
  }
  return week;
}

core::number_format read_format(const reader& in, const toml::table& category,
                                const std::string& path) {
  const toml::table* table = in.table_at(category, path, "format");
  if (table == nullptr) in.fail(category, "missing key \"" + path + ".format\"");
  const std::string where = path + ".format";
  in.only_keys(*table, where, {"prefix", "width", "first", "last"});
  core::number_format format;
  const bool has_prefix = table->contains("prefix") || table->contains("width");
  const bool has_block = table->contains("first") || table->contains("last");
  if (has_prefix == has_block) {
    in.fail(*table,
            "\"" + where +
                "\" needs either prefix and width (e.g. { prefix = \"A\", width = 3 }) or a "
                "numeric block (e.g. { first = 1001, last = 1999 })");
  }
  if (has_prefix) {
    format.style = core::number_format::kind::prefix;
    format.prefix = in.text(*table, where, "prefix", std::string{});
    format.width = static_cast<unsigned>(in.integer(*table, where, "width", 3, 1, 6));
  } else {
    format.style = core::number_format::kind::block;
    if (!table->contains("first") || !table->contains("last")) {
      in.fail(*table, "\"" + where + "\": a numeric block needs both first and last");
    }
    format.first = static_cast<std::uint32_t>(in.integer(*table, where, "first", 1, 0, 99'999'999));
    format.last = static_cast<std::uint32_t>(in.integer(*table, where, "last", 1, 0, 99'999'999));
    if (format.first > format.last) {
      in.fail(*table->get("last"), "\"" + where + ".last\" must not be below first");
    }
  }
  return format;
}

void read_centre(const reader& in, const toml::table& root, settings& out) {
  const toml::table* centre = in.table_at(root, "", "centre");
  if (centre == nullptr) in.fail(root.source(), "missing table [centre]");
  in.only_keys(*centre, "centre",
               {"id", "name", "time_zone", "reset_time", "recent_calls", "service_time_smoothing",
                "target_wait_minutes", "alert_wait_minutes", "rating_minutes"});
  if (const toml::node* id = centre->get("id")) {
    out.centre_id = in.text(*centre, "centre", "id");
    if (!valid_code(out.centre_id))
      in.fail(*id, "\"centre.id\" must be 1-32 letters, digits, - or _");
  }
  out.centre.name = in.text(*centre, "centre", "name");
  out.centre.time_zone = in.text(*centre, "centre", "time_zone", "Asia/Ho_Chi_Minh");
  const std::string reset = in.text(*centre, "centre", "reset_time", "00:00");
  const auto reset_time = parse_clock(reset);
  if (!reset_time || *reset_time >= std::chrono::hours{24}) {
    in.fail(*centre->get("reset_time"), "\"centre.reset_time\" must be a time like \"05:00\"");
  }
  out.centre.reset_time = *reset_time;
  try {
    core::centre_calendar check(out.centre.time_zone, out.centre.reset_time);
  } catch (const std::exception& problem) {
    in.fail(*centre->get("time_zone"), std::string("\"centre.time_zone\": ") + problem.what());
  }
  out.centre.recent_calls_kept =
      static_cast<std::uint32_t>(in.integer(*centre, "centre", "recent_calls", 10, 1, 100));
  out.centre.service_time_smoothing =
      in.real(*centre, "centre", "service_time_smoothing", 0.2, 0.01, 1.0);
  out.centre.target_wait = std::chrono::minutes{in.integer(
      *centre, "centre", "target_wait_minutes", out.centre.target_wait.count(), 1, 24 * 60)};
  out.centre.alert_wait = std::chrono::minutes{in.integer(
      *centre, "centre", "alert_wait_minutes", out.centre.alert_wait.count(), 1, 24 * 60)};
  out.centre.rating_window = std::chrono::minutes{
      in.integer(*centre, "centre", "rating_minutes", out.centre.rating_window.count(), 1, 240)};
}

void read_policies(const reader& in, const toml::table& root, settings& out) {
  if (const toml::table* priority = in.table_at(root, "", "priority")) {
    in.only_keys(*priority, "priority", {"policy", "regular_per_priority", "aging_bound_minutes"});
    const std::string policy = in.text(*priority, "priority", "policy", "aging");
    if (policy == "strict") {
      out.centre.priority.style = core::priority_policy::kind::strict;
    } else if (policy == "ratio") {
      out.centre.priority.style = core::priority_policy::kind::ratio;
    } else if (policy == "aging") {
      out.centre.priority.style = core::priority_policy::kind::aging;
    } else {
      in.fail(*priority->get("policy"),
              "\"priority.policy\" must be \"strict\", \"ratio\" or "
              "\"aging\", not \"" +
                  policy + "\"");
    }
    out.centre.priority.regular_per_priority =
        static_cast<std::uint32_t>(in.integer(*priority, "priority", "regular_per_priority",
                                              out.centre.priority.regular_per_priority, 0, 100));
    out.centre.priority.aging_bound =
        std::chrono::minutes{in.integer(*priority, "priority", "aging_bound_minutes",
                                        out.centre.priority.aging_bound.count(), 0, 24 * 60)};
  }
  if (const toml::table* no_show = in.table_at(root, "", "no_show")) {
    in.only_keys(*no_show, "no_show",
                 {"max_calls", "return_within_calls", "return_within_minutes", "return_position"});
    auto& policy = out.centre.no_show;
    policy.max_calls = static_cast<std::uint32_t>(
        in.integer(*no_show, "no_show", "max_calls", policy.max_calls, 0, 20));
    policy.return_within_calls = static_cast<std::uint32_t>(in.integer(
        *no_show, "no_show", "return_within_calls", policy.return_within_calls, 0, 10000));
    policy.return_within_time =
        std::chrono::minutes{in.integer(*no_show, "no_show", "return_within_minutes",
                                        policy.return_within_time.count(), 0, 24 * 60)};
    policy.return_position = static_cast<std::uint32_t>(
        in.integer(*no_show, "no_show", "return_position", policy.return_position, 0, 1000));
  }
}

void read_categories(const reader& in, const toml::table& root, settings& out) {
  core::weekly_hours default_hours;
  if (const toml::table* hours = in.table_at(root, "", "hours")) {
    default_hours = read_hours(in, *hours, "hours");
  }
  std::set<std::string> codes;
  const auto tables = in.tables(root, "categories");
  if (tables.empty()) in.fail(root.source(), "at least one [[categories]] table is required");
  std::size_t index = 0;
  for (const toml::table* table : tables) {
    const std::string path = "categories[" + std::to_string(index++) + "]";
    in.only_keys(
        *table, path,
        {"code", "name_vi", "name_en", "format", "daily_limit", "service_minutes", "hours"});
    core::category_config category;
    category.code = read_identifier(in, *table, path, "code", codes, "category code");
    category.name_vi = in.text(*table, path, "name_vi");
    category.name_en = in.text(*table, path, "name_en", category.name_vi);
    category.format = read_format(in, *table, path);
    category.daily_limit =
        static_cast<std::uint32_t>(in.integer(*table, path, "daily_limit", 0, 0, 1'000'000));
    category.default_service_time =
        std::chrono::minutes{in.integer(*table, path, "service_minutes", 5, 1, 480)};
    category.hours = default_hours;
    if (const toml::node* hours = table->get("hours")) {
      if (const auto always = hours->value<std::string>(); always && *always == "always") {
        category.hours.reset();
      } else if (hours->is_table()) {
        category.hours = read_hours(in, *hours->as_table(), path + ".hours");
      } else {
        in.fail(*hours, "\"" + path + ".hours\" must be \"always\" or a table of weekdays");
      }
    }
    out.centre.categories.push_back(std::move(category));
  }
}

void read_counters(const reader& in, const toml::table& root, settings& out) {
  std::set<std::string> ids;
  std::set<std::string> categories;
  for (const auto& category : out.centre.categories) categories.insert(category.code);
  const auto tables = in.tables(root, "counters");
  if (tables.empty()) in.fail(root.source(), "at least one [[counters]] table is required");
  std::size_t index = 0;
  for (const toml::table* table : tables) {
    const std::string path = "counters[" + std::to_string(index++) + "]";
    in.only_keys(*table, path, {"id", "name_vi", "name_en", "categories", "selection", "weights"});
    core::counter_config counter;
    counter.id = read_identifier(in, *table, path, "id", ids, "counter id");
    counter.name_vi = in.text(*table, path, "name_vi", "Quầy " + counter.id);
    counter.name_en = in.text(*table, path, "name_en", "Counter " + counter.id);
    counter.categories = in.strings(*table, path, "categories");
    if (counter.categories.empty()) {
      in.fail(*table, "\"" + path + ".categories\" must list at least one category");
    }
    for (const auto& code : counter.categories) {
      if (!categories.contains(code)) {
        in.fail(*table->get("categories"),
                "\"" + path + ".categories\" names unknown category \"" + code + "\"");
      }
    }
    const std::string selection = in.text(*table, path, "selection", "oldest_first");
    if (selection == "oldest_first") {
      counter.selection = core::selection_mode::oldest_first;
    } else if (selection == "in_order") {
      counter.selection = core::selection_mode::in_order;
    } else if (selection == "weighted") {
      counter.selection = core::selection_mode::weighted;
    } else {
      in.fail(*table->get("selection"), "\"" + path +
                                            ".selection\" must be \"oldest_first\", "
                                            "\"in_order\" or \"weighted\", not \"" +
                                            selection + "\"");
    }
    if (const toml::node* weights = table->get("weights")) {
      const toml::array* array = weights->as_array();
      if (array == nullptr)
        in.fail(*weights, "\"" + path + ".weights\" must be a list of integers");
      for (const auto& element : *array) {
        const auto weight = element.value_exact<std::int64_t>();
        if (!weight || *weight < 1 || *weight > 100) {
          in.fail(element, "\"" + path + ".weights\" must contain integers from 1 to 100");
        }
        counter.weights.push_back(static_cast<std::uint32_t>(*weight));
      }
    }
    if (counter.selection == core::selection_mode::weighted &&
        counter.weights.size() != counter.categories.size()) {
      in.fail(*table, "\"" + path + ".weights\" must give one weight per category (" +
                          std::to_string(counter.categories.size()) + ")");
    }
    out.centre.counters.push_back(std::move(counter));
  }
}

template <typename Entry>
void read_named_list(const reader& in, const toml::table& root, std::string_view key,
                     std::vector<Entry>& out) {
  std::set<std::string> codes;
  std::size_t index = 0;
  for (const toml::table* table : in.tables(root, key)) {
    const std::string path = std::string(key) + "[" + std::to_string(index++) + "]";
    in.only_keys(*table, path, {"code", "name_vi", "name_en"});
    Entry entry;
    entry.code = read_identifier(in, *table, path, "code", codes, "code");
    entry.name_vi = in.text(*table, path, "name_vi");
    entry.name_en = in.text(*table, path, "name_en", entry.name_vi);
    out.push_back(std::move(entry));
  }
}

}  // namespace

toml::table parse_toml(const reader& in, std::string_view text, std::string_view source_name) {
  try {
    return toml::parse(text, source_name);
  } catch (const toml::parse_error& problem) {
    in.fail(problem.source(), std::string(problem.description()));
  }
}

void read_centre_sections(const reader& in, const toml::table& root, settings& out) {
  read_centre(in, root, out);
  read_policies(in, root, out);
  read_categories(in, root, out);
  read_counters(in, root, out);
  read_named_list(in, root, "priority_classes", out.centre.priority_classes);
  read_named_list(in, root, "outcomes", out.centre.outcomes);
}

void resolve_relative_paths(server_settings& server, const std::filesystem::path& directory) {
  // The pages live next to the config, not wherever the server was started.
  auto& web_root = server.web_root;
  if (!web_root.empty() && web_root.is_relative()) web_root = directory / web_root;
  for (auto* tls_file : {&server.tls_certificate, &server.tls_private_key}) {
    if (!tls_file->empty() && tls_file->is_relative()) *tls_file = directory / *tls_file;
  }
}

}  // namespace detail

settings parse(std::string_view text, std::string_view source_name) {
  const detail::reader in{std::string(source_name)};
  const toml::table root = detail::parse_toml(in, text, source_name);
  in.only_keys(root, "",
               {"centre", "server", "priority", "no_show", "hours", "categories", "counters",
                "priority_classes", "outcomes", "staff", "devices"});
  settings out;
  detail::read_centre_sections(in, root, out);
  detail::read_server(in, root, out);
  detail::read_people_and_devices(in, root, out, nullptr);
  return out;
}

settings load_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw config_error(path.string() + ": cannot open the configuration file");
  std::ostringstream contents;
  contents << file.rdbuf();
  auto loaded = parse(contents.str(), path.string());
  detail::resolve_relative_paths(loaded.server, path.parent_path());
  return loaded;
}

}  // namespace luot::config
