#include "net/api/text_limits.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <array>
#include <string>
#include <utility>

#include "text/catalogue.hpp"

namespace luot::net::api {

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Field names by kind; a name not listed is `other`.
constexpr std::array<std::pair<std::string_view, text_kind>, 25> field_kinds = {{
    {"category", text_kind::identifier},   {"priority_class", text_kind::identifier},
    {"counter", text_kind::identifier},    {"counters", text_kind::identifier},
    {"ticket", text_kind::identifier},     {"to_category", text_kind::identifier},
    {"to_counter", text_kind::identifier}, {"outcome", text_kind::identifier},
    {"officer", text_kind::identifier},    {"device", text_kind::identifier},
    {"username", text_kind::identifier},   {"role", text_kind::identifier},
    {"client_key", text_kind::client_key}, {"display_name", text_kind::name},
    {"officer_name", text_kind::name},     {"note", text_kind::free_text},
    {"reason", text_kind::free_text},      {"detail", text_kind::free_text},
    {"password", text_kind::secret},       {"password_hash", text_kind::secret},
    {"token", text_kind::secret},          {"ticket_token", text_kind::secret},
    {"csrf_token", text_kind::secret},     {"status_token", text_kind::secret},
    {"client", text_kind::client_name},
}};

// Code points in well-formed UTF-8 (the parsers only hand over valid UTF-8).
std::size_t characters(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  return count;
}

// A C0 control, DEL or C1 control; free text may hold line breaks and tabs.
bool has_control(std::string_view text, text_kind kind) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (kind == text_kind::free_text && (c == '\n' || c == '\t' || c == '\r')) continue;
    if (c < 0x20 || c == 0x7F) return true;
    // U+0080..U+009F are 0xC2 0x80..0x9F in UTF-8.
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9F)
      return true;
  }
  return false;
}

core::error bad(std::string_view reason_key, std::vector<std::string> args) {
  return core::make_error(v1::ERROR_CODE_BAD_REQUEST, {text::reason(reason_key, args)});
}

std::optional<core::error> check_string(const std::string& value, const FieldDescriptor& field,
                                        const std::string& path) {
  const auto kind = kind_of(field);
  const auto limit = character_limit(kind);
  // Bytes first: a string cannot hold more characters than bytes.
  if (value.size() > limit && characters(value) > limit)
    return bad("sec.too_long", {path, std::to_string(limit)});
  if (has_control(value, kind)) return bad("sec.control_character", {path});
  return std::nullopt;
}

std::optional<core::error> check_message(const Message& message, const std::string& prefix) {
  const auto* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const auto* field : fields) {
    const std::string path =
        prefix.empty() ? field->json_name() : prefix + "." + field->json_name();
    if (field->is_repeated()) {
      const int size = reflection->FieldSize(message, field);
      if (static_cast<std::size_t>(size) > repeated_limit)
        return bad("sec.too_many", {path, std::to_string(repeated_limit)});
      for (int i = 0; i < size; ++i) {
        if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
          std::string scratch;
          const auto& value = reflection->GetRepeatedStringReference(message, field, i, &scratch);
          if (auto refused = check_string(value, *field, path)) return refused;
        } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          if (auto refused = check_message(reflection->GetRepeatedMessage(message, field, i), path))
            return refused;
        }
      }
      continue;
    }
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      std::string scratch;
      const auto& value = reflection->GetStringReference(message, field, &scratch);
      if (auto refused = check_string(value, *field, path)) return refused;
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (auto refused = check_message(reflection->GetMessage(message, field), path))
        return refused;
    }
  }
  return std::nullopt;
}

}  // namespace

text_kind kind_of(const FieldDescriptor& field) {
  for (const auto& [name, kind] : field_kinds)
    if (field.name() == name) return kind;
  return text_kind::other;
}

std::size_t character_limit(text_kind kind) {
  switch (kind) {
    case text_kind::identifier:
      return 64;
    case text_kind::client_key:
      return 128;
    case text_kind::name:
      return 100;
    case text_kind::free_text:
      return 500;
    case text_kind::secret:
      return 256;
    case text_kind::client_name:
      return 100;
    case text_kind::other:
      return 256;
  }
  return 256;
}

std::optional<core::error> check_text(const google::protobuf::Message& message) {
  return check_message(message, {});
}

}  // namespace luot::net::api
