#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "luot/v1/luot.pb.h"

namespace luot::text {

enum class language { vi, en };

// The message catalogue: every user-facing string, one table per language
// (catalogue_vi.cpp, catalogue_en.cpp). Keys are dotted names such as
// "error.ERROR_CODE_UNKNOWN_CATEGORY"; texts use {0}, {1}, ... for arguments.
// Arguments are printed as they are, whatever they look like: a message that
// is itself translated (a refusal's reason) is a typed `message`, never a
// string that resembles a key.
std::string_view lookup(language lang, std::string_view key);
std::string format(language lang, std::string_view key, const std::vector<std::string>& args);

// A catalogue message with its arguments, e.g. the reason inside an error.
struct message {
  std::string key;
  std::vector<std::string> args;
};
std::string format(language lang, const message& text);

// Every key of a language's table (tests check both tables agree).
std::vector<std::string_view> keys(language lang);

// A refusal's reason, e.g. reason("reason.other_counter", {"1", "2"}).
message reason(std::string_view key, const std::vector<std::string>& args = {});

// The text of an error code with its arguments filled in. With `because`,
// the reason (translated into `lang`) is {0} and `args` follow from {1}.
std::string error_message(language lang, v1::ErrorCode code, const std::vector<std::string>& args,
                          const std::optional<message>& because = std::nullopt);

}  // namespace luot::text
