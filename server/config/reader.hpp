#pragma once

// The TOML reader the configuration files share (loader.cpp, deployment.cpp):
// every error located at a node as "file:line:column: what". Internal to
// server/config.

#include <toml++/toml.h>

#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.hpp"
#include "text/unicode.hpp"

namespace luot::config::detail {

// Raises errors located at a node of the file being read.
class reader {
 public:
  explicit reader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const toml::source_region& where, const std::string& what) const {
    std::ostringstream message;
    message << source_ << ':' << where.begin.line << ':' << where.begin.column << ": " << what;
    throw config_error(message.str());
  }
  [[noreturn]] void fail(const toml::node& where, const std::string& what) const {
    fail(where.source(), what);
  }

  // Refuses keys this table may not have: they are almost always typos.
  void only_keys(const toml::table& table, const std::string& path,
                 std::initializer_list<std::string_view> allowed) const {
    for (const auto& [key, value] : table) {
      bool known = false;
      for (const auto name : allowed) known = known || key.str() == name;
      if (!known) {
        std::string names;
        for (const auto name : allowed) names += (names.empty() ? "" : ", ") + std::string(name);
        fail(value,
             "unknown key \"" + qualified(path, key.str()) + "\" (expected one of: " + names + ")");
      }
    }
  }

  std::string text(const toml::table& table, const std::string& path, std::string_view key,
                   std::optional<std::string> fallback = std::nullopt) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      if (fallback) return *fallback;
      fail(table, "missing key \"" + qualified(path, key) + "\"");
    }
    const auto value = node->value<std::string>();
    if (!value) fail(*node, "\"" + qualified(path, key) + "\" must be a string");
    // Names typed with a decomposed accent ("a" + U+0300) are the same as
    // precomposed ones, as in every request (text/unicode.hpp).
    auto composed = text::to_nfc(*value);
    if (!composed) fail(*node, "\"" + qualified(path, key) + "\" is not valid UTF-8");
    return *composed;
  }

  std::int64_t integer(const toml::table& table, const std::string& path, std::string_view key,
                       std::int64_t fallback, std::int64_t minimum, std::int64_t maximum) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return fallback;
    const auto value = node->value_exact<std::int64_t>();
    if (!value) fail(*node, "\"" + qualified(path, key) + "\" must be an integer");
    if (*value < minimum || *value > maximum) {
      fail(*node, "\"" + qualified(path, key) + "\" must be between " + std::to_string(minimum) +
                      " and " + std::to_string(maximum) + ", not " + std::to_string(*value));
    }
    return *value;
  }

  double real(const toml::table& table, const std::string& path, std::string_view key,
              double fallback, double minimum, double maximum) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return fallback;
    const auto value = node->value<double>();
    if (!value) fail(*node, "\"" + qualified(path, key) + "\" must be a number");
    if (*value < minimum || *value > maximum) {
      fail(*node, "\"" + qualified(path, key) + "\" must be between " + std::to_string(minimum) +
                      " and " + std::to_string(maximum));
    }
    return *value;
  }

  std::vector<std::string> strings(const toml::table& table, const std::string& path,
                                   std::string_view key) const {
    std::vector<std::string> result;
    const toml::node* node = table.get(key);
    if (node == nullptr) return result;
    const toml::array* array = node->as_array();
    if (array == nullptr) fail(*node, "\"" + qualified(path, key) + "\" must be a list of strings");
    for (const auto& element : *array) {
      const auto value = element.value<std::string>();
      if (!value) fail(element, "\"" + qualified(path, key) + "\" must contain only strings");
      result.push_back(*value);
    }
    return result;
  }

  const toml::table* table_at(const toml::table& parent, const std::string& path,
                              std::string_view key) const {
    const toml::node* node = parent.get(key);
    if (node == nullptr) return nullptr;
    if (!node->is_table()) fail(*node, "\"" + qualified(path, key) + "\" must be a table");
    return node->as_table();
  }

  // Elements of an array of tables such as [[categories]].
  std::vector<const toml::table*> tables(const toml::table& parent, std::string_view key) const {
    std::vector<const toml::table*> result;
    const toml::node* node = parent.get(key);
    if (node == nullptr) return result;
    const toml::array* array = node->as_array();
    if (array == nullptr)
      fail(*node,
           "\"" + std::string(key) + "\" must be written as [[" + std::string(key) + "]] tables");
    for (const auto& element : *array) {
      if (!element.is_table()) fail(element, "each \"" + std::string(key) + "\" must be a table");
      result.push_back(element.as_table());
    }
    return result;
  }

  static std::string qualified(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }

 private:
  std::string source_;
};

// Reads an identifier (category code, counter id, username, ...): 1-32
// letters, digits, - or _, unique among its kind (`seen`).
bool valid_code(std::string_view code);
std::string read_identifier(const reader& in, const toml::table& table, const std::string& path,
                            std::string_view key, std::set<std::string>& seen,
                            std::string_view what);

// Parses `text` as TOML; a syntax error is raised through `in`.
toml::table parse_toml(const reader& in, std::string_view text, std::string_view source_name);

// The sections of one centre: [centre] (with its optional id), [priority],
// [no_show], [hours], [[categories]], [[counters]], [[priority_classes]]
// and [[outcomes]].
void read_centre_sections(const reader& in, const toml::table& root, settings& out);
void read_server(const reader& in, const toml::table& root, settings& out);

// Where the counters that staff and devices name are, in a deployment
// directory: each centre's counter ids. Staff then need `centres` and
// devices a `centre`, each a known one.
struct binding_scope {
  std::map<std::string, std::set<std::string>> counters_by_centre;
};
// [[staff]] and [[devices]]: of the one centre in `out` when `scope` is
// null, else bound to the centres of `scope`.
void read_people_and_devices(const reader& in, const toml::table& root, settings& out,
                             const binding_scope* scope);

// Relative web_root and TLS files are taken from `directory`.
void resolve_relative_paths(server_settings& server, const std::filesystem::path& directory);

}  // namespace luot::config::detail
