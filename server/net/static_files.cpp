#include "net/static_files.hpp"

#include <array>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

namespace luot::net {

namespace {

// Nothing under web_root is this large; a bigger file is not ours to send.
constexpr std::uintmax_t file_size_limit = 4 * 1024 * 1024;
constexpr std::size_t path_depth_limit = 6;
constexpr std::size_t segment_length_limit = 100;

// What a browser may do with our pages: scripts, styles and data from this
// server only, WebSockets back to it, no framing by other sites.
constexpr std::string_view page_policy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' ws: wss:; media-src 'self' data: blob:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

struct page_route {
  std::string_view path;
  std::string_view file;
};
constexpr std::array<page_route, 4> exact_pages = {{
    {"/", "index.html"},
    {"/counter", "counter.html"},
    {"/board", "board.html"},
    {"/manage", "manage.html"},
}};

bool is_name_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

// A plain file or directory name: letters, digits, '-', '_' and '.', not
// starting with a dot (so no "..", no hidden files), no escapes.
bool is_plain_name(std::string_view segment) {
  if (segment.empty() || segment.size() > segment_length_limit || segment.front() == '.')
    return false;
  for (const char c : segment)
    if (!is_name_character(c)) return false;
  return true;
}

// A status token or counter id in a page path: letters, digits, '-', '_'.
bool is_identifier(std::string_view segment, std::size_t longest) {
  if (segment.empty() || segment.size() > longest) return false;
  for (const char c : segment)
    if (!is_name_character(c) || c == '.') return false;
  return true;
}

std::string hex(std::uintmax_t value) {
  std::ostringstream text;
  text << std::hex << value;
  return text.str();
}

std::string etag_of(std::uintmax_t size, std::filesystem::file_time_type modified) {
  const auto ticks = static_cast<std::uintmax_t>(modified.time_since_epoch().count());
  return "\"" + hex(size) + "-" + hex(ticks) + "\"";
}

bool etag_matches(std::string_view header, std::string_view etag) {
  // "If-None-Match: a, b" or "*"; a weak prefix compares equal too.
  while (!header.empty()) {
    const auto comma = header.find(',');
    auto item = header.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item == etag || item == "*") return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

std::string content_type_for(std::string_view file_name) {
  struct known {
    std::string_view extension;
    std::string_view type;
  };
  static constexpr std::array<known, 12> types = {{
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".wav", "audio/wav"},
      {".ogg", "audio/ogg"},
      {".txt", "text/plain; charset=utf-8"},
  }};
  for (const auto& entry : types)
    if (file_name.ends_with(entry.extension)) return std::string(entry.type);
  return {};
}

static_files::static_files(std::filesystem::path root) : root_(std::move(root)) {
  std::error_code ec;
  if (!root_.empty()) canonical_root_ = std::filesystem::canonical(root_, ec);
  if (ec) canonical_root_.clear();
}

std::optional<std::string> static_files::file_for(std::string_view path) {
  for (const auto& page : exact_pages)
    if (path == page.path) return std::string(page.file);
  constexpr std::string_view ticket_prefix = "/t/";
  constexpr std::string_view rate_prefix = "/rate/";
  constexpr std::string_view assets_prefix = "/assets/";
  if (path.starts_with(ticket_prefix))
    return is_identifier(path.substr(ticket_prefix.size()), 128)
               ? std::optional<std::string>("ticket.html")
               : std::nullopt;
  if (path.starts_with(rate_prefix))
    return is_identifier(path.substr(rate_prefix.size()), 32)
               ? std::optional<std::string>("rate.html")
               : std::nullopt;
  if (!path.starts_with(assets_prefix)) return std::nullopt;
  std::string relative = "assets";
  auto rest = path.substr(assets_prefix.size());
  std::size_t depth = 0;
  while (true) {
    const auto slash = rest.find('/');
    const auto segment = rest.substr(0, slash);
    if (!is_plain_name(segment) || ++depth > path_depth_limit) return std::nullopt;
    relative += "/";
    relative += segment;
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  if (content_type_for(relative).empty()) return std::nullopt;
  return relative;
}

std::optional<static_files::cached_file> static_files::load(const std::string& relative) const {
  if (canonical_root_.empty()) return std::nullopt;
  std::error_code ec;
  const auto candidate = root_ / relative;
  const auto status = std::filesystem::status(candidate, ec);
  if (ec || !std::filesystem::is_regular_file(status)) return std::nullopt;
  const auto size = std::filesystem::file_size(candidate, ec);
  if (ec || size > file_size_limit) return std::nullopt;
  const auto modified = std::filesystem::last_write_time(candidate, ec);
  if (ec) return std::nullopt;
  {
    const std::lock_guard lock(mutex_);
    const auto found = cache_.find(relative);
    if (found != cache_.end() && found->second.size == size && found->second.modified == modified)
      return found->second;
  }
  // A symbolic link may point anywhere: the file must really be inside.
  const auto real = std::filesystem::canonical(candidate, ec);
  if (ec) return std::nullopt;
  const auto inside = real.lexically_relative(canonical_root_);
  if (inside.empty() || *inside.begin() == "..") return std::nullopt;
  std::ifstream file(real, std::ios::binary);
  if (!file) return std::nullopt;
  std::ostringstream contents;
  contents << file.rdbuf();
  cached_file loaded{size, modified, etag_of(size, modified),
                     std::make_shared<const std::string>(contents.str())};
  const std::lock_guard lock(mutex_);
  cache_[relative] = loaded;
  return loaded;
}

std::optional<api::http_response> static_files::serve(std::string_view path,
                                                      std::string_view if_none_match) const {
  const auto relative = file_for(path);
  if (!relative) return std::nullopt;
  const auto file = load(*relative);
  if (!file) return std::nullopt;
  api::http_response response;
  response.content_type = content_type_for(*relative);
  // Revalidate every time (cheap with the ETag): an updated page reaches
  // every counter PC and TV at its next load, with no build step to rename
  // files.
  response.cache_control = "no-cache";
  response.headers.emplace_back("ETag", file->etag);
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (relative->ends_with(".html")) {
    response.headers.emplace_back("Content-Security-Policy", std::string(page_policy));
    // A citizen's /t/<token> must never leak through a Referer header.
    response.headers.emplace_back("Referrer-Policy", "no-referrer");
    response.headers.emplace_back("X-Frame-Options", "DENY");
  }
  if (!if_none_match.empty() && etag_matches(if_none_match, file->etag)) {
    response.status = 304;
    return response;
  }
  response.body = *file->body;
  return response;
}

}  // namespace luot::net
