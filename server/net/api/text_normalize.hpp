#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "text/unicode.hpp"

namespace google::protobuf {
class Message;
}  // namespace google::protobuf

namespace luot::net::api {

// Text from outside is compared, stored and shown in one form: Unicode NFC.
// A Vietnamese keyboard may send "à" as one code point (U+00E0) or as "a"
// followed by a combining grave accent (U+0061 U+0300); both are the same
// name to a person, so both become U+00E0 before anything looks at them.

// is_valid_utf8 and to_nfc live in text/unicode.hpp (the config loader uses
// them too); these names keep the net layer's callers unchanged.
using text::is_valid_utf8;
using text::to_nfc;

// Puts every text field of `message` (and of the messages inside it) into
// NFC in place. Secrets (passwords, tokens) are left byte for byte: a stored
// password hash was made from the bytes the user typed. The refusal is
// BAD_REQUEST naming the field ("setStaff.displayName") when a field is not
// well-formed UTF-8; nothing is changed then.
std::optional<core::error> normalize_text(google::protobuf::Message& message);

// What every entry point runs on a message from outside: normalize_text,
// then check_text (text_limits.hpp), so the caps count composed characters.
std::optional<core::error> prepare_text(google::protobuf::Message& message);

}  // namespace luot::net::api
