#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "core/result.hpp"

namespace google::protobuf {
class FieldDescriptor;
class Message;
}  // namespace google::protobuf

namespace luot::net::api {

// The caps on text from outside, by what a field holds. Every string a
// client sends lands in memory, in events kept for resuming subscribers
// and in every snapshot, so each is capped where it enters: one check,
// run on every HTTP body (parse_body) and every command (submit_command,
// which WebSocket commands pass through too).
enum class text_kind {
  // Codes and ids: category, counter, ticket, outcome, username, role.
  identifier,
  // A take-ticket request's idempotency key.
  client_key,
  // A person's name.
  name,
  // What an officer or device writes: notes, pause reasons, status details.
  free_text,
  // Passwords, tokens, password hashes.
  secret,
  // What a device calls itself in its hello.
  client_name,
  // Any string field not named above.
  other,
};

// The kind of a string field, by its name.
text_kind kind_of(const google::protobuf::FieldDescriptor& field);

// The most characters (Unicode code points) a field of `kind` may hold.
std::size_t character_limit(text_kind kind);

// Items a repeated field may hold.
inline constexpr std::size_t repeated_limit = 100;

// Whether every string in `message` (and the messages inside it) is within
// its cap, holds no control characters (free text may hold line breaks and
// tabs), and every repeated field within repeated_limit. The refusal is
// BAD_REQUEST naming the field ("takeTicket.clientKey") and the cap.
std::optional<core::error> check_text(const google::protobuf::Message& message);

}  // namespace luot::net::api
