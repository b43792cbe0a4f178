#include "program/announced_seq_file.hpp"

#include <spdlog/spdlog.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <system_error>

namespace luot::display {

announced_seq_file::announced_seq_file(std::filesystem::path directory)
    : directory_(std::move(directory)), file_(directory_ / "last-announced-seq") {}

std::optional<std::uint64_t> announced_seq_file::load() const {
  std::ifstream in(file_);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  std::string content = text.str();
  while (!content.empty() && (content.back() == '\n' || content.back() == ' ')) content.pop_back();
  std::uint64_t seq = 0;
  const auto [end, error] = std::from_chars(content.data(), content.data() + content.size(), seq);
  if (error != std::errc() || end != content.data() + content.size() || content.empty()) {
    spdlog::warn("ignoring {}: \"{}\" is not a seq", file_.string(), content);
    return std::nullopt;
  }
  return seq;
}

void announced_seq_file::store(std::uint64_t seq) {
  std::error_code error;
  std::filesystem::create_directories(directory_, error);
  const auto temporary = directory_ / "last-announced-seq.new";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << seq << '\n';
    out.flush();
    if (!out) {
      spdlog::error("cannot write {}; a restart may repeat a call", temporary.string());
      return;
    }
  }
  std::filesystem::rename(temporary, file_, error);
  if (error) {
    spdlog::error("cannot replace {}: {}; a restart may repeat a call", file_.string(),
                  error.message());
  }
}

}  // namespace luot::display
