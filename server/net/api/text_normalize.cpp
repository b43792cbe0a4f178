#include "net/api/text_normalize.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <functional>
#include <string>

#include "net/api/text_limits.hpp"
#include "text/catalogue.hpp"

namespace luot::net::api {

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

bool is_ascii(std::string_view text) {
  for (const char c : text)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

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

bool is_valid_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto length = static_cast<std::int64_t>(text.size());
  std::int64_t at = 0;
  while (at < length) {
    UChar32 code_point = 0;
    // U8_NEXT is strict: ill-formed sequences, overlong forms and
    // surrogates give a negative code point.
    U8_NEXT(bytes, at, length, code_point);
    if (code_point < 0) return false;
  }
  return true;
}

std::optional<std::string> to_nfc(std::string_view text) {
  if (is_ascii(text)) return std::string(text);
  if (!is_valid_utf8(text)) return std::nullopt;
  UErrorCode status = U_ZERO_ERROR;
  const auto* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return std::nullopt;
  const icu::StringPiece source(text.data(), static_cast<std::int32_t>(text.size()));
  if (nfc->isNormalizedUTF8(source, status) && U_SUCCESS(status)) return std::string(text);
  status = U_ZERO_ERROR;
  std::string composed;
  icu::StringByteSink<std::string> sink(&composed, static_cast<std::int32_t>(text.size()));
  nfc->normalizeUTF8(0, source, sink, nullptr, status);
  if (U_FAILURE(status)) return std::nullopt;
  return composed;
}

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
