// Reads [[staff]] and [[devices]]: of the one centre of a one-centre file,
// or of a deployment directory's deployment.toml, bound to its centres.
// Split from loader.cpp by role.
#include <set>

#include "config/reader.hpp"
#include "config/settings.hpp"

namespace luot::config::detail {

namespace {

// The centres a binding names (`key` of `table`), each a known one.
std::vector<std::string> read_centres(const reader& in, const toml::table& table,
                                      const std::string& path, std::string_view key,
                                      const binding_scope& scope) {
  std::vector<std::string> names;
  if (key == "centre") {
    names.push_back(in.text(table, path, key));
  } else {
    names = in.strings(table, path, key);
    if (names.empty())
      in.fail(table.get(key) ? static_cast<const toml::node&>(*table.get(key))
                             : static_cast<const toml::node&>(table),
              "\"" + path + "." + std::string(key) +
                  "\" must list the centres this member works at (e.g. centres = [\"" +
                  (scope.counters_by_centre.empty() ? std::string("hanoi")
                                                    : scope.counters_by_centre.begin()->first) +
                  "\"])");
  }
  std::string known;
  for (const auto& [id, counters] : scope.counters_by_centre)
    known += (known.empty() ? "" : ", ") + id;
  for (const auto& name : names) {
    if (!scope.counters_by_centre.contains(name))
      in.fail(*table.get(key), "\"" + path + "." + std::string(key) + "\" names unknown centre \"" +
                                   name + "\" (centres: " + known + ")");
  }
  return names;
}

// Each counter `names` must be a counter of one of `centres`.
void check_bound_counters(const reader& in, const toml::table& table, const std::string& path,
                          const std::vector<std::string>& names,
                          const std::vector<std::string>& centres, const binding_scope& scope) {
  for (const auto& name : names) {
    bool known = false;
    for (const auto& centre : centres)
      known = known || scope.counters_by_centre.at(centre).contains(name);
    if (known) continue;
    std::string which;
    for (const auto& centre : centres) which += (which.empty() ? "\"" : ", \"") + centre + "\"";
    in.fail(*table.get("counters"), "\"" + path + ".counters\" names counter \"" + name +
                                        "\", which centre " + which + " does not have");
  }
}

void check_counters_exist(const reader& in, const toml::table& table, const std::string& path,
                          const std::vector<std::string>& names, const settings& out) {
  for (const auto& name : names) {
    bool known = false;
    for (const auto& counter : out.centre.counters) known = known || counter.id == name;
    if (!known) {
      in.fail(*table.get("counters"),
              "\"" + path + ".counters\" names unknown counter \"" + name + "\"");
    }
  }
}

}  // namespace

void read_people_and_devices(const reader& in, const toml::table& root, settings& out,
                             const binding_scope* scope) {
  std::set<std::string> usernames;
  std::size_t index = 0;
  for (const toml::table* table : in.tables(root, "staff")) {
    const std::string path = "staff[" + std::to_string(index++) + "]";
    if (scope == nullptr)
      in.only_keys(*table, path, {"username", "display_name", "password_hash", "role", "counters"});
    else
      in.only_keys(*table, path,
                   {"username", "display_name", "password_hash", "role", "counters", "centres"});
    staff_member member;
    member.username = read_identifier(in, *table, path, "username", usernames, "username");
    member.display_name = in.text(*table, path, "display_name");
    member.password_hash = in.text(*table, path, "password_hash");
    if (!member.password_hash.starts_with("$argon2id$")) {
      in.fail(*table->get("password_hash"),
              "\"" + path +
                  ".password_hash\" must be an argon2id hash from "
                  "`luot-server hash-password`, not a plain password");
    }
    const std::string staff_role = in.text(*table, path, "role", "officer");
    if (staff_role == "officer") {
      member.staff_role = role::officer;
    } else if (staff_role == "manager") {
      member.staff_role = role::manager;
    } else {
      in.fail(
          *table->get("role"),
          "\"" + path + ".role\" must be \"officer\" or \"manager\", not \"" + staff_role + "\"");
    }
    member.counters = in.strings(*table, path, "counters");
    if (scope == nullptr) {
      check_counters_exist(in, *table, path, member.counters, out);
    } else {
      member.centres = read_centres(in, *table, path, "centres", *scope);
      check_bound_counters(in, *table, path, member.counters, member.centres, *scope);
    }
    out.staff.push_back(std::move(member));
  }

  std::set<std::string> ids;
  std::set<std::string> tokens;
  index = 0;
  for (const toml::table* table : in.tables(root, "devices")) {
    const std::string path = "devices[" + std::to_string(index++) + "]";
    if (scope == nullptr)
      in.only_keys(*table, path, {"id", "kind", "token", "counters"});
    else
      in.only_keys(*table, path, {"id", "kind", "token", "counters", "centre"});
    device entry;
    entry.id = read_identifier(in, *table, path, "id", ids, "device id");
    const std::string kind = in.text(*table, path, "kind");
    if (kind == "display") {
      entry.kind = device_kind::display;
    } else if (kind == "kiosk") {
      entry.kind = device_kind::kiosk;
    } else if (kind == "rating") {
      entry.kind = device_kind::rating;
    } else {
      in.fail(*table->get("kind"), "\"" + path + ".kind\" must be \"display\", \"kiosk\" or " +
                                       "\"rating\", not \"" + kind + "\"");
    }
    entry.token = in.text(*table, path, "token");
    if (entry.token.size() < 16) {
      in.fail(*table->get("token"), "\"" + path + ".token\" must be at least 16 characters");
    }
    if (!tokens.insert(entry.token).second) {
      in.fail(*table->get("token"), "\"" + path + ".token\" is the same as another device's");
    }
    entry.counters = in.strings(*table, path, "counters");
    if (scope == nullptr) {
      check_counters_exist(in, *table, path, entry.counters, out);
    } else {
      entry.centre = read_centres(in, *table, path, "centre", *scope).front();
      check_bound_counters(in, *table, path, entry.counters, {entry.centre}, *scope);
    }
    out.devices.push_back(std::move(entry));
  }
}

}  // namespace luot::config::detail
