#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "printer/backend.hpp"
#include "printer/printer_status.hpp"

// Blocking reads and writes with deadlines on a non-blocking file descriptor,
// shared by the device and TCP backends.
namespace luot::printer::descriptor_io {

enum class descriptor_kind { socket, device };

// Writes every byte or fails once the descriptor refuses data for `timeout`.
io_result write_all(int descriptor, descriptor_kind kind, std::span<const std::uint8_t> bytes,
                    std::chrono::milliseconds timeout);

// One byte, or nullopt after `timeout` (or at end of stream / on error).
std::optional<std::uint8_t> read_byte(int descriptor, std::chrono::milliseconds timeout);

// Throws away bytes already waiting to be read: stray answers to DLE EOT
// sequences that happened to occur inside raster data of an earlier job.
void discard_pending(int descriptor);

// The answers to DLE EOT 1..4, or nullopt when the first query got no
// answer that looks like a status byte. `detail` receives the bytes seen.
std::optional<status_flags> ask_status(int descriptor, descriptor_kind kind,
                                       std::chrono::milliseconds timeout, std::string& detail);

std::string system_error_text(int error_number);

}  // namespace luot::printer::descriptor_io
