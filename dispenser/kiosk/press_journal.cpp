#include "kiosk/press_journal.hpp"

#include <fcntl.h>
#include <google/protobuf/util/json_util.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace luot::kiosk {

namespace {

constexpr std::string_view header = "luot-kiosk-press 1";

std::string to_json(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = false;
  const auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) throw std::runtime_error("cannot encode a press: " + status.ToString());
  return json;
}

bool from_json(std::string_view json, google::protobuf::Message& message) {
  return google::protobuf::util::JsonStringToMessage(std::string(json), &message).ok();
}

std::runtime_error system_failure(const std::string& what, const std::filesystem::path& path) {
  return std::runtime_error(what + " " + path.string() + ": " + std::strerror(errno));
}

void write_all(int descriptor, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(descriptor, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      throw system_failure("cannot write", path);
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

void sync_directory(const std::filesystem::path& directory) {
  const int descriptor = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (descriptor < 0) throw system_failure("cannot open", directory);
  const int synced = ::fsync(descriptor);
  ::close(descriptor);
  if (synced != 0) throw system_failure("cannot sync", directory);
}

std::string encode(const pending_press& press) {
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(press.pressed_at.time_since_epoch())
          .count();
  std::string text(header);
  text += "\npressed_at " + std::to_string(millis);
  text += press.language == text::language::en ? "\nlanguage en" : "\nlanguage vi";
  text += "\nrequest " + to_json(press.request) + "\n";
  if (press.ticket) text += "ticket " + to_json(*press.ticket) + "\n";
  return text;
}

std::optional<pending_press> decode(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  if (!std::getline(lines, line) || line != header) return std::nullopt;
  pending_press press;
  bool has_time = false;
  bool has_request = false;
  while (std::getline(lines, line)) {
    const auto space = line.find(' ');
    if (space == std::string::npos) return std::nullopt;
    const std::string_view name(line.data(), space);
    const std::string_view value = std::string_view(line).substr(space + 1);
    if (name == "pressed_at") {
      try {
        press.pressed_at = std::chrono::system_clock::time_point(
            std::chrono::milliseconds(std::stoll(std::string(value))));
      } catch (const std::exception&) {
        return std::nullopt;
      }
      has_time = true;
    } else if (name == "language") {
      if (value != "vi" && value != "en") return std::nullopt;
      press.language = value == "en" ? text::language::en : text::language::vi;
    } else if (name == "request") {
      if (!from_json(value, press.request)) return std::nullopt;
      has_request = true;
    } else if (name == "ticket") {
      v1::Ticket ticket;
      if (!from_json(value, ticket)) return std::nullopt;
      press.ticket = std::move(ticket);
    } else {
      return std::nullopt;
    }
  }
  if (!has_time || !has_request || press.request.client_key().empty()) return std::nullopt;
  return press;
}

}  // namespace

std::string new_client_key() {
  std::random_device entropy;
  static constexpr char digits[] = "0123456789abcdef";
  std::string key = "kiosk-";
  for (int word = 0; word < 4; ++word) {
    auto bits = static_cast<std::uint32_t>(entropy());
    for (int nibble = 0; nibble < 8; ++nibble) {
      key += digits[bits & 0xF];
      bits >>= 4;
    }
  }
  return key;
}

press_journal::press_journal(std::filesystem::path directory)
    : directory_(std::move(directory)), file_(directory_ / "press") {
  std::error_code failed;
  std::filesystem::create_directories(directory_, failed);
  if (failed) {
    throw std::runtime_error("cannot create the state directory " + directory_.string() + ": " +
                             failed.message());
  }
}

std::optional<pending_press> press_journal::load(std::string* problem) const {
  std::ifstream in(file_, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  auto press = decode(text.str());
  if (!press) {
    // Keep it for a technician rather than deleting what may be a number.
    std::error_code ignored;
    std::filesystem::rename(file_, directory_ / "press.corrupt", ignored);
    if (problem)
      *problem = "unreadable press file moved to " + (directory_ / "press.corrupt").string();
  }
  return press;
}

void press_journal::save(const pending_press& press) {
  const auto temporary = directory_ / "press.new";
  const int descriptor = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (descriptor < 0) throw system_failure("cannot create", temporary);
  try {
    write_all(descriptor, encode(press), temporary);
    if (::fsync(descriptor) != 0) throw system_failure("cannot sync", temporary);
  } catch (...) {
    ::close(descriptor);
    throw;
  }
  ::close(descriptor);
  if (::rename(temporary.c_str(), file_.c_str()) != 0)
    throw system_failure("cannot replace", file_);
  sync_directory(directory_);
}

void press_journal::clear() {
  if (::unlink(file_.c_str()) != 0 && errno != ENOENT) throw system_failure("cannot remove", file_);
  sync_directory(directory_);
}

}  // namespace luot::kiosk
