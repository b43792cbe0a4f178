#include "text/catalogue.hpp"

#include <algorithm>
#include <map>

#include "text/catalogue_tables.hpp"

namespace luot::text {

namespace {

const std::map<std::string_view, std::string_view>& table(language lang) {
  static const std::map<std::string_view, std::string_view> vi(detail::vietnamese().begin(),
                                                               detail::vietnamese().end());
  static const std::map<std::string_view, std::string_view> en(detail::english().begin(),
                                                               detail::english().end());
  return lang == language::vi ? vi : en;
}

}  // namespace

std::string_view lookup(language lang, std::string_view key) {
  const auto& entries = table(lang);
  const auto found = entries.find(key);
  return found == entries.end() ? key : found->second;
}

std::string format(language lang, std::string_view key, const std::vector<std::string>& args) {
  const std::string_view pattern = lookup(lang, key);
  std::string out;
  out.reserve(pattern.size() + 16);
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    // "{N}" with a single digit N is replaced by args[N]; anything else is literal.
    if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' &&
        pattern[i + 1] >= '0' && pattern[i + 1] <= '9') {
      const auto index = static_cast<std::size_t>(pattern[i + 1] - '0');
      if (index < args.size()) out += args[index];
      i += 2;
      continue;
    }
    out += pattern[i];
  }
  return out;
}

std::vector<std::string_view> keys(language lang) {
  std::vector<std::string_view> result;
  for (const auto& [key, value] : table(lang)) result.push_back(key);
  return result;
}

std::string format(language lang, const message& text) {
  return format(lang, text.key, text.args);
}

message reason(std::string_view key, const std::vector<std::string>& args) {
  return message{std::string(key), args};
}

std::string error_message(language lang, v1::ErrorCode code, const std::vector<std::string>& args,
                          const std::optional<message>& because) {
  const std::string key = "error." + v1::ErrorCode_Name(code);
  if (!because) return format(lang, key, args);
  std::vector<std::string> filled;
  filled.reserve(args.size() + 1);
  filled.push_back(format(lang, *because));
  filled.insert(filled.end(), args.begin(), args.end());
  return format(lang, key, filled);
}

}  // namespace luot::text
