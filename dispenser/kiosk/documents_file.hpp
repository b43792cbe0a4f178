#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "kiosk/kiosk_options.hpp"

namespace luot::kiosk {

// The documents file read, or why it could not be (with the line).
struct documents_result {
  document_lists lists;
  std::string error;
};

// Reads the documents to bring per category from TOML text:
//
//   [documents]
//   LDVL = ["Căn cước công dân", "Sổ bảo hiểm xã hội"]
//
// Every value must be a list of non-empty strings; text is kept as written
// (UTF-8). Unknown tables are refused so a typo does not go unnoticed.
documents_result parse_documents(std::string_view toml_text, std::string_view source_name);
documents_result load_documents_file(const std::filesystem::path& file);

}  // namespace luot::kiosk
