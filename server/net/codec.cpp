#include "net/codec.hpp"

#include <google/protobuf/util/json_util.h>

#include <limits>

#include "text/catalogue.hpp"

namespace luot::net {

std::string to_json(const google::protobuf::Message& message, json_style style) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = style == json_style::every_field;
  std::string out;
  // Printing a valid message cannot fail; a failure would be a protobuf bug.
  const auto status = google::protobuf::util::MessageToJsonString(message, &out, options);
  if (!status.ok()) return "{}";
  return out;
}

std::optional<std::string> from_json(std::string_view text, google::protobuf::Message& message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(text.data(), text.size()), &message, options);
  if (status.ok()) return std::nullopt;
  return std::string(status.message());
}

std::shared_ptr<const std::string> encode(const v1::ServerMessage& message, encoding format) {
  if (format == encoding::json) {
    return std::make_shared<const std::string>(to_json(message, json_style::canonical));
  }
  return std::make_shared<const std::string>(message.SerializeAsString());
}

std::optional<std::string> decode(std::string_view frame, encoding format,
                                  v1::ClientMessage& message) {
  if (format == encoding::json) return from_json(frame, message);
  if (frame.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
      !message.ParseFromArray(frame.data(), static_cast<int>(frame.size()))) {
    return "not a valid luot.v1.ClientMessage";
  }
  return std::nullopt;
}

v1::Error to_wire(const core::error& failure) {
  v1::Error wire;
  wire.set_code(failure.code);
  std::optional<text::message> because;
  if (failure.because) because = text::message{failure.because->key, failure.because->args};
  wire.set_message(text::error_message(text::language::vi, failure.code, failure.args, because));
  wire.set_message_en(text::error_message(text::language::en, failure.code, failure.args, because));
  return wire;
}

}  // namespace luot::net
