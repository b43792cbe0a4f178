#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "luot/v1/luot.pb.h"

namespace luot::text {

enum class language { vi, en };

// The message catalogue: every user-facing string, one table per language
// (catalogue_vi.cpp, catalogue_en.cpp). Keys are dotted names such as
// "error.ERROR_CODE_UNKNOWN_CATEGORY"; texts use {0}, {1}, ... for arguments.
// An argument written "@key|a|b" is translated too: the text of `key` with
// arguments a, b (see reason() for building one).
std::string_view lookup(language lang, std::string_view key);
std::string format(language lang, std::string_view key, const std::vector<std::string>& args);

// Every key of a language's table (tests check both tables agree).
std::vector<std::string_view> keys(language lang);

// An argument that is itself a catalogue message, e.g. a refusal's reason:
// reason("reason.other_counter", {"1", "2"}) == "@reason.other_counter|1|2".
std::string reason(std::string_view key, const std::vector<std::string>& args = {});

// The text of an error code with its arguments filled in.
std::string error_message(language lang, v1::ErrorCode code, const std::vector<std::string>& args);

}  // namespace luot::text
