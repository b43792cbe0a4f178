#include "net/api/text_normalize.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <cstdint>
#include <functional>
#include <string>

#include "net/api/text_limits.hpp"
#include "text/catalogue.hpp"
#include "text/unicode.hpp"

namespace luot::net::api {

using text::is_ascii;

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Calls `visit(message, field, index, path)` for every set text field of
// `message` and of the messages inside it, index -1 for a singular field.
// Bytes fields are not text and are skipped; so are secrets. Stops at, and
// returns, the first refusal.
using text_visitor = std::function<std::optional<core::error>(
    Message& message, const FieldDescriptor& field, int index, const std::string& path)>;

std::optional<core::error> visit_text(Message& message, const std::string& prefix,
                                      const text_visitor& visit) {
  const auto* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const auto* field : fields) {
    const std::string path =
        prefix.empty() ? field->json_name() : prefix + "." + field->json_name();
    const bool text =
        field->type() == FieldDescriptor::TYPE_STRING && kind_of(*field) != text_kind::secret;
    const bool nested = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    if (!text && !nested) continue;
    if (field->is_repeated()) {
      const int size = reflection->FieldSize(message, field);
      for (int i = 0; i < size; ++i) {
        auto refused =
            text ? visit(message, *field, i, path)
                 : visit_text(*reflection->MutableRepeatedMessage(&message, field, i), path, visit);
        if (refused) return refused;
      }
    } else {
      auto refused = text ? visit(message, *field, -1, path)
                          : visit_text(*reflection->MutableMessage(&message, field), path, visit);
      if (refused) return refused;
    }
  }
  return std::nullopt;
}

std::string value_of(const Message& message, const FieldDescriptor& field, int index) {
  const auto* reflection = message.GetReflection();
  return index < 0 ? reflection->GetString(message, &field)
                   : reflection->GetRepeatedString(message, &field, index);
}

}  // namespace

std::optional<core::error> normalize_text(Message& message) {
  // Check everything first, so a refused message is left as it came.
  auto refused = visit_text(
      message, {},
      [](Message& holder, const FieldDescriptor& field, int index, const std::string& path) {
        if (is_valid_utf8(value_of(holder, field, index))) return std::optional<core::error>();
        return std::optional<core::error>(core::make_error(
            v1::ERROR_CODE_BAD_REQUEST, {text::reason("sec.invalid_utf8", {path})}));
      });
  if (refused) return refused;
  return visit_text(
      message, {},
      [](Message& holder, const FieldDescriptor& field, int index, const std::string&) {
        const auto value = value_of(holder, field, index);
        if (is_ascii(value)) return std::optional<core::error>();
        auto composed = to_nfc(value);
        if (composed && *composed != value) {
          const auto* reflection = holder.GetReflection();
          if (index < 0)
            reflection->SetString(&holder, &field, std::move(*composed));
          else
            reflection->SetRepeatedString(&holder, &field, index, std::move(*composed));
        }
        return std::optional<core::error>();
      });
}

std::optional<core::error> prepare_text(Message& message) {
  if (auto refused = normalize_text(message)) return refused;
  return check_text(message);
}

}  // namespace luot::net::api
