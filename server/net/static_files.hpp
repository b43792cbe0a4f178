#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "net/api/http_message.hpp"

namespace luot::net {

// The web pages under [server] web_root, served by luot-server itself. Page
// routes map to their HTML file (/counter → counter.html, /t/<token> →
// ticket.html, /rate/<counter> → rate.html, /board, /manage, /); files
// under /assets/ are served by extension from web_root/assets. Nothing else
// is reachable: path segments are plain names (no "..", no hidden files, no
// escapes), symbolic links may not leave the root, and only known file types
// are sent. Files are read once and kept until they change on disk.
// Thread-safe.
class static_files {
 public:
  // An empty root serves nothing.
  explicit static_files(std::filesystem::path root);

  // The answer to a GET of `path` (without query), or nullopt when `path`
  // names no page or asset (the router answers 404). `if_none_match` is
  // the request's If-None-Match header: a match answers 304.
  std::optional<api::http_response> serve(std::string_view path,
                                          std::string_view if_none_match) const;

  const std::filesystem::path& root() const { return root_; }

  // The file a request path maps to, relative to the root: "counter.html",
  // "assets/js/board.js"; nullopt for anything else. Exposed for tests.
  static std::optional<std::string> file_for(std::string_view path);

 private:
  struct cached_file {
    std::uintmax_t size = 0;
    std::filesystem::file_time_type modified;
    std::string etag;
    std::shared_ptr<const std::string> body;
  };

  std::optional<cached_file> load(const std::string& relative) const;

  std::filesystem::path root_;
  std::filesystem::path canonical_root_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, cached_file> cache_;
};

// The Content-Type of a file name by its extension; empty for types the
// server does not send.
std::string content_type_for(std::string_view file_name);

}  // namespace luot::net
