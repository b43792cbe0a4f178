#include "kiosk/documents_file.hpp"

#include <toml++/toml.h>

#include <fstream>
#include <sstream>

namespace luot::kiosk {

namespace {

documents_result refused(std::string error) {
  return {{}, std::move(error)};
}

}  // namespace

documents_result parse_documents(std::string_view toml_text, std::string_view source_name) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& error) {
    std::ostringstream where;
    where << error.description() << " (line " << error.source().begin.line << ")";
    return refused(where.str());
  }
  documents_result result;
  for (const auto& [key, node] : root) {
    if (key.str() != "documents") return refused("unknown table [" + std::string(key.str()) + "]");
    const auto* table = node.as_table();
    if (table == nullptr) return refused("\"documents\" must be a table");
    for (const auto& [code, value] : *table) {
      const auto* list = value.as_array();
      if (list == nullptr) {
        return refused("documents." + std::string(code.str()) + " must be a list of strings");
      }
      auto& documents = result.lists[std::string(code.str())];
      for (const auto& item : *list) {
        const auto text = item.value<std::string>();
        if (!text || text->empty()) {
          return refused("documents." + std::string(code.str()) +
                         " must hold non-empty strings only");
        }
        documents.push_back(*text);
      }
    }
  }
  return result;
}

documents_result load_documents_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return refused("cannot open the file");
  std::stringstream text;
  text << in.rdbuf();
  return parse_documents(text.str(), file.string());
}

}  // namespace luot::kiosk
