#include "net/view_cache.hpp"

namespace luot::net {

std::shared_ptr<const std::string> with_request_id(std::shared_ptr<const std::string> message,
                                                   encoding format, std::uint64_t request_id) {
  if (request_id == 0) return message;
  if (format == encoding::binary) {
    v1::ServerMessage header;
    header.set_request_id(request_id);
    return std::make_shared<const std::string>(header.SerializeAsString() + *message);
  }
  // Canonical JSON of a message with members: "{" then the first member.
  // uint64 fields are strings in protobuf's JSON mapping.
  std::string json = "{\"requestId\":\"" + std::to_string(request_id) + "\"";
  if (message->size() > 2) json += ",";
  json.append(*message, 1);
  return std::make_shared<const std::string>(std::move(json));
}

std::shared_ptr<const std::string> view_cache::encoded(const published_view& view,
                                                       const view::zone& zone, encoding format) {
  const auto key = std::make_pair(zone.key(), format);
  {
    const std::lock_guard lock(mutex_);
    if (view.revision == revision_) {
      const auto found = entries_.find(key);
      if (found != entries_.end()) return found->second;
    }
  }
  // Encode outside the lock: two sessions racing both encode, and either
  // result is the same bytes.
  v1::ServerMessage message;
  *message.mutable_view() = zone.filter(*view.view);
  auto bytes = encode(message, format);
  const std::lock_guard lock(mutex_);
  if (view.revision > revision_) {
    revision_ = view.revision;
    entries_.clear();
  }
  if (view.revision == revision_) entries_[key] = bytes;
  return bytes;
}

std::shared_ptr<const std::string> view_cache::reply(const published_view& view,
                                                     const view::zone& zone, encoding format,
                                                     std::uint64_t request_id) {
  return with_request_id(encoded(view, zone, format), format, request_id);
}

}  // namespace luot::net
