#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "luot/v1/luot.pb.h"
#include "text/catalogue.hpp"

namespace luot::kiosk {

// One button press on its way to becoming a printed ticket: the request
// with its idempotency key (written before it is sent), then the ticket the
// server issued for it (written before it is printed).
struct pending_press {
  v1::TakeTicket request;
  std::chrono::system_clock::time_point pressed_at;
  // The language the ticket is printed in (the one on screen at the press).
  text::language language = text::language::vi;
  // Set once the server answered; kept until the ticket is printed.
  std::optional<v1::Ticket> ticket;
};

// A fresh idempotency key: "kiosk-" and 128 random bits in hex. A key is
// made per press, never per attempt, so a retry can only return the same
// ticket.
std::string new_client_key();

// Keeps the one press in progress on disk, so that neither a lost reply nor
// a restart of the kiosk turns one press into two numbers, and a number the
// server issued is printed even if the kiosk died before printing it. Each
// save replaces the file atomically (write, fsync, rename, fsync the
// directory). Used from one thread.
class press_journal {
 public:
  // Creates the directory if needed; throws std::runtime_error naming the
  // directory when it cannot.
  explicit press_journal(std::filesystem::path directory);

  // The press on disk, if any. A file that cannot be read back is moved
  // aside (press.corrupt) and reported through `problem`.
  std::optional<pending_press> load(std::string* problem = nullptr) const;

  // Throws std::runtime_error when the press could not be made durable: the
  // caller must not send a request it could not record.
  void save(const pending_press& press);
  void clear();

  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path directory_;
  std::filesystem::path file_;
};

}  // namespace luot::kiosk
