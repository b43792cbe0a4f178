#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "net/codec.hpp"
#include "net/hub.hpp"
#include "view/zone.hpp"

namespace luot::net {

// Encoded views, shared by every session: a view is cut for a zone and
// encoded once per revision, zone and encoding, however many subscribers
// ask, and on the asking session's thread, never the hub's. Thread-safe.
class view_cache {
 public:
  // ServerMessage{view} for `zone` in `format`, answering `request_id`.
  std::shared_ptr<const std::string> reply(const published_view& view, const view::zone& zone,
                                           encoding format, std::uint64_t request_id);

 private:
  std::shared_ptr<const std::string> encoded(const published_view& view, const view::zone& zone,
                                             encoding format);

  std::mutex mutex_;
  std::uint64_t revision_ = 0;
  std::map<std::pair<std::string, encoding>, std::shared_ptr<const std::string>> entries_;
};

// Adds `request_id` to an encoded ServerMessage that has none. Protobuf
// merges concatenated messages, and canonical JSON gets one more member, so
// the cached bytes are never re-encoded.
std::shared_ptr<const std::string> with_request_id(std::shared_ptr<const std::string> message,
                                                   encoding format, std::uint64_t request_id);

}  // namespace luot::net
