#include "device/codec.hpp"

#include <google/protobuf/util/json_util.h>

#include <limits>

namespace luot::device {

std::string_view subprotocol(encoding format) {
  return format == encoding::json ? "luot.v1.json" : "luot.v1.proto";
}

std::string encode(const v1::ClientMessage& message, encoding format) {
  if (format == encoding::binary) return message.SerializeAsString();
  std::string text;
  // Printing a valid message cannot fail; a failure would be a protobuf bug.
  (void)google::protobuf::util::MessageToJsonString(message, &text);
  return text;
}

std::optional<std::string> decode(std::string_view frame, encoding format,
                                  v1::ServerMessage& message) {
  if (format == encoding::json) {
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    const auto status = google::protobuf::util::JsonStringToMessage(
        google::protobuf::StringPiece(frame.data(), frame.size()), &message, options);
    if (status.ok()) return std::nullopt;
    return "not a luot.v1.ServerMessage in JSON: " + std::string(status.message());
  }
  if (frame.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
      !message.ParseFromArray(frame.data(), static_cast<int>(frame.size()))) {
    return "not a valid luot.v1.ServerMessage";
  }
  return std::nullopt;
}

}  // namespace luot::device
