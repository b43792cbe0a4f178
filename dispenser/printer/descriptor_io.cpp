#include "printer/descriptor_io.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace luot::printer::descriptor_io {

namespace {

// Waits until the descriptor is ready for `events`; false on timeout or error.
bool wait_for(int descriptor, short events, std::chrono::milliseconds timeout) {
  pollfd entry{descriptor, events, 0};
  while (true) {
    const int ready = ::poll(&entry, 1, static_cast<int>(timeout.count()));
    if (ready < 0 && errno == EINTR) continue;
    return ready > 0;
  }
}

std::string hex(std::uint8_t byte) {
  char text[4];
  std::snprintf(text, sizeof text, "%02X", byte);
  return text;
}

}  // namespace

std::string system_error_text(int error_number) {
  return std::strerror(error_number);
}

io_result write_all(int descriptor, descriptor_kind kind, std::span<const std::uint8_t> bytes,
                    std::chrono::milliseconds timeout) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const auto* at = bytes.data() + sent;
    const std::size_t left = bytes.size() - sent;
    // A socket whose peer is gone must give EPIPE, not kill the kiosk with SIGPIPE.
    const ssize_t written = kind == descriptor_kind::socket
                                ? ::send(descriptor, at, left, MSG_NOSIGNAL)
                                : ::write(descriptor, at, left);
    if (written > 0) {
      sent += static_cast<std::size_t>(written);
      continue;
    }
    if (written < 0 && errno == EINTR) continue;
    if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!wait_for(descriptor, POLLOUT, timeout)) {
        return {io_outcome::failed, "the printer accepted no data for " +
                                        std::to_string(timeout.count()) + " ms after " +
                                        std::to_string(sent) + " of " +
                                        std::to_string(bytes.size()) + " bytes"};
      }
      continue;
    }
    const int error_number = written < 0 ? errno : EIO;
    return {io_outcome::failed, "write failed after " + std::to_string(sent) + " of " +
                                    std::to_string(bytes.size()) +
                                    " bytes: " + system_error_text(error_number)};
  }
  return {};
}

std::optional<std::uint8_t> read_byte(int descriptor, std::chrono::milliseconds timeout) {
  if (!wait_for(descriptor, POLLIN, timeout)) return std::nullopt;
  std::uint8_t byte = 0;
  while (true) {
    const ssize_t got = ::read(descriptor, &byte, 1);
    if (got == 1) return byte;
    if (got < 0 && errno == EINTR) continue;
    return std::nullopt;
  }
}

void discard_pending(int descriptor) {
  std::uint8_t buffer[256];
  while (wait_for(descriptor, POLLIN, std::chrono::milliseconds(0))) {
    const ssize_t got = ::read(descriptor, buffer, sizeof buffer);
    if (got <= 0) return;
  }
}

std::optional<status_flags> ask_status(int descriptor, descriptor_kind kind,
                                       std::chrono::milliseconds timeout, std::string& detail) {
  discard_pending(descriptor);
  status_flags flags;
  detail = "DLE EOT answers:";
  bool any_answer = false;
  for (const auto query : all_status_queries) {
    const auto bytes = status_query_bytes(query);
    if (!write_all(descriptor, kind, bytes, timeout).ok()) {
      detail += " (query not sent)";
      break;
    }
    const auto answer = read_byte(descriptor, timeout);
    if (!answer) {
      detail += " (no answer to n=" + std::to_string(static_cast<int>(query)) + ")";
      break;
    }
    detail += " " + hex(*answer);
    if (!apply_status_answer(query, *answer, flags)) {
      detail += " (not a status byte)";
      break;
    }
    any_answer = true;
  }
  if (!any_answer) return std::nullopt;
  return flags;
}

}  // namespace luot::printer::descriptor_io
