// Reads a deployment: a one-centre file as before, or a directory of
// deployment.toml ([server], staff and devices bound to centres) and
// centres/*.toml (one centre each, the same sections as a one-centre
// file). The sections are read by the same code as a one-centre file
// (loader.cpp); this file adds the directory, the centre ids and the
// bindings. Every error names file:line:column and what is wrong.
#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "config/reader.hpp"
#include "config/settings.hpp"

namespace luot::config {

namespace {

constexpr std::string_view deployment_file = "deployment.toml";
constexpr std::string_view centres_folder = "centres";

std::string read_text(const std::filesystem::path& path, std::string_view what) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw config_error(path.string() + ": cannot open the " + std::string(what));
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

// The id a centre file gets when its [centre] has none: the file's name
// without .toml ("centres/hanoi-1.toml" is "hanoi-1").
std::string id_from_source(std::string_view source) {
  const std::filesystem::path path{std::string(source)};
  return path.stem().string();
}

// Keys that belong in deployment.toml, not in a centre file.
void refuse_deployment_keys(const detail::reader& in, const toml::table& root) {
  for (const std::string_view key : {"server", "staff", "devices"}) {
    if (const toml::node* node = root.get(key))
      in.fail(*node, "\"" + std::string(key) +
                         "\" belongs in deployment.toml, not in a centre file (staff and devices "
                         "are bound to centres there)");
  }
}

centre_entry read_centre_file(std::string_view text, std::string_view source) {
  const detail::reader in{std::string(source)};
  const toml::table root = detail::parse_toml(in, text, source);
  refuse_deployment_keys(in, root);
  in.only_keys(root, "",
               {"centre", "priority", "no_show", "hours", "categories", "counters",
                "priority_classes", "outcomes"});
  settings one;
  one.centre_id.clear();
  detail::read_centre_sections(in, root, one);
  centre_entry entry;
  entry.id = one.centre_id;
  if (entry.id.empty()) {
    entry.id = id_from_source(source);
    if (!detail::valid_code(entry.id))
      in.fail(root.source(),
              "the centre needs an id: add id = \"...\" to [centre] (1-32 letters, "
              "digits, - or _), or name the file so");
  }
  entry.centre = std::move(one.centre);
  entry.source = std::string(source);
  return entry;
}

// Where an id was set, for the duplicate-id error.
std::string where_id(std::string_view text, std::string_view source) {
  const detail::reader in{std::string(source)};
  const toml::table root = detail::parse_toml(in, text, source);
  const toml::node* node = root.at_path("centre.id").node();
  if (node == nullptr) return std::string(source);
  std::ostringstream out;
  out << source << ':' << node->source().begin.line << ':' << node->source().begin.column;
  return out.str();
}

}  // namespace

deployment parse_deployment(std::string_view deployment_text, std::string_view deployment_source,
                            const std::vector<std::pair<std::string, std::string>>& centre_files) {
  deployment out;
  out.directory = true;
  std::map<std::string, std::size_t> by_id;
  for (std::size_t i = 0; i < centre_files.size(); ++i) {
    const auto& [source, text] = centre_files[i];
    auto entry = read_centre_file(text, source);
    if (const auto taken = by_id.find(entry.id); taken != by_id.end()) {
      const auto& [first_source, first_text] = centre_files[taken->second];
      const std::string here = where_id(text, source);
      throw config_error(here + ": centre id \"" + entry.id + "\" is used twice (also by " +
                         where_id(first_text, first_source) + ")");
    }
    by_id.emplace(entry.id, i);
    out.centres.push_back(std::move(entry));
  }
  std::sort(out.centres.begin(), out.centres.end(),
            [](const auto& left, const auto& right) { return left.id < right.id; });

  const detail::reader in{std::string(deployment_source)};
  const toml::table root = detail::parse_toml(in, deployment_text, deployment_source);
  for (const std::string_view key : {"centre", "categories", "counters", "hours", "priority",
                                     "no_show", "priority_classes", "outcomes"}) {
    if (const toml::node* node = root.get(key))
      in.fail(*node, "\"" + std::string(key) +
                         "\" belongs in a centre file (centres/<id>.toml), not in "
                         "deployment.toml");
  }
  in.only_keys(root, "", {"server", "staff", "devices"});
  if (out.centres.empty())
    in.fail(root.source(), "the deployment has no centre: add centres/<id>.toml files");
  detail::binding_scope scope;
  for (const auto& centre : out.centres) {
    auto& counters = scope.counters_by_centre[centre.id];
    for (const auto& counter : centre.centre.counters) counters.insert(counter.id);
  }
  settings shared;
  detail::read_server(in, root, shared);
  detail::read_people_and_devices(in, root, shared, &scope);
  out.server = std::move(shared.server);
  out.staff = std::move(shared.staff);
  out.devices = std::move(shared.devices);
  return out;
}

deployment load_deployment(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec)) return single_centre(load_file(path));
  const auto deployment_path = path / deployment_file;
  const std::string deployment_text = read_text(deployment_path, "deployment file");
  const auto folder = path / centres_folder;
  if (!std::filesystem::is_directory(folder, ec))
    throw config_error(folder.string() +
                       ": missing; a deployment directory keeps one file per "
                       "centre there (centres/<id>.toml)");
  std::vector<std::filesystem::path> files;
  for (const auto& item : std::filesystem::directory_iterator(folder)) {
    if (item.path().extension() == ".toml" && !item.is_directory()) files.push_back(item.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty())
    throw config_error(folder.string() +
                       ": no centre files (<id>.toml); a deployment needs at "
                       "least one centre");
  std::vector<std::pair<std::string, std::string>> centre_files;
  for (const auto& file : files)
    centre_files.emplace_back(file.string(), read_text(file, "centre file"));
  auto loaded = parse_deployment(deployment_text, deployment_path.string(), centre_files);
  detail::resolve_relative_paths(loaded.server, path);
  return loaded;
}

deployment single_centre(settings one) {
  deployment out;
  centre_entry entry;
  entry.id = one.centre_id;
  entry.centre = std::move(one.centre);
  out.centres.push_back(std::move(entry));
  out.server = std::move(one.server);
  out.staff = std::move(one.staff);
  out.devices = std::move(one.devices);
  return out;
}

}  // namespace luot::config
