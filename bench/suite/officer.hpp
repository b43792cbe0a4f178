#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "load/http_connection.hpp"

namespace luot::bench {

// The officer "lan" (password lan-2026, counter 1) and the outcome "done",
// appended to the benchmark's centre so a run can call numbers.
extern const std::string_view officer_toml;

// A JSON POST, with the officer's bearer token when given.
http_request post_request(std::string_view target, std::string_view body,
                          std::string_view token = {});

// Signs the officer in at counter 1 and returns the session token; throws
// when the server refuses.
std::string sign_in_officer(std::uint16_t port);

// The seqs of a CommandResult reply (JSON); the last is the one the
// command's own update carries. Throws when the body is not one.
std::uint64_t last_seq_of_result(const std::string& body);

}  // namespace luot::bench
