#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "luot/v1/luot.pb.h"
#include "store/event_store.hpp"

namespace luot::store::testing {

// A fresh directory per test, removed with everything in it afterwards.
class temporary_directory {
 public:
  temporary_directory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "luot-store-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("cannot create a temporary directory");
    }
    path_ = pattern;
  }
  ~temporary_directory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  temporary_directory(const temporary_directory&) = delete;
  temporary_directory& operator=(const temporary_directory&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path file(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// 2026-03-05 09:00 in Hanoi (UTC+7), in milliseconds since the epoch.
inline constexpr std::int64_t morning_ms = 1'772'676'000'000;

// A hand-built TicketIssued event, as the engine would produce it.
inline v1::Event issued(std::uint64_t seq, const std::string& category = "A",
                        const std::string& number = "") {
  v1::Event event;
  event.set_seq(seq);
  event.set_service_day("2026-03-05");
  const std::int64_t at_ms = morning_ms + static_cast<std::int64_t>(seq) * 1000;
  event.mutable_at()->set_seconds(at_ms / 1000);
  event.mutable_at()->set_nanos(static_cast<std::int32_t>(at_ms % 1000) * 1'000'000);
  event.set_actor("kiosk-1");
  auto& ticket = *event.mutable_ticket_issued()->mutable_ticket();
  ticket.set_id("t" + std::to_string(seq));
  ticket.set_number(number.empty() ? category + std::to_string(seq) : number);
  ticket.set_category(category);
  ticket.set_state(v1::TICKET_STATE_WAITING);
  ticket.set_service_day("2026-03-05");
  ticket.set_ordinal(static_cast<std::uint32_t>(seq));
  ticket.set_status_token("token-" + std::to_string(seq));
  return event;
}

inline std::vector<v1::Event> issued_range(std::uint64_t first, std::uint64_t last) {
  std::vector<v1::Event> events;
  for (std::uint64_t seq = first; seq <= last; ++seq) {
    events.push_back(issued(seq));
  }
  return events;
}

inline std::vector<v1::Event> read_all(event_store& store, std::uint64_t after_seq = 0) {
  std::vector<v1::Event> events;
  store.read_after(after_seq, [&](const v1::Event& event) { events.push_back(event); });
  return events;
}

inline std::vector<std::uint64_t> seqs_of(const std::vector<v1::Event>& events) {
  std::vector<std::uint64_t> seqs;
  for (const auto& event : events) {
    seqs.push_back(event.seq());
  }
  return seqs;
}

inline std::vector<std::uint64_t> iota_seqs(std::uint64_t first, std::uint64_t last) {
  std::vector<std::uint64_t> seqs;
  for (std::uint64_t seq = first; seq <= last; ++seq) {
    seqs.push_back(seq);
  }
  return seqs;
}

}  // namespace luot::store::testing
