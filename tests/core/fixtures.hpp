#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/engine.hpp"

namespace luot::core::testing {

using namespace std::chrono_literals;

// A moment given as wall-clock time in Asia/Ho_Chi_Minh (UTC+7, no DST).
inline timestamp vietnam_time(int year, unsigned month, unsigned day, int hour, int minute,
                              int second = 0) {
  const auto date = std::chrono::sys_days{std::chrono::year{year} / month / day};
  return timestamp{date + std::chrono::hours{hour} + std::chrono::minutes{minute} +
                   std::chrono::seconds{second} - std::chrono::hours{7}};
}

// Monday 3 June 2024, 08:00 in the centre.
inline timestamp morning() {
  return vietnam_time(2024, 6, 3, 8, 0);
}

inline category_config prefix_category(std::string code, std::string prefix, unsigned width = 3) {
  category_config category;
  category.code = code;
  category.name_vi = "Lĩnh vực " + code;
  category.name_en = "Category " + code;
  category.format.style = number_format::kind::prefix;
  category.format.prefix = std::move(prefix);
  category.format.width = width;
  return category;
}

inline category_config block_category(std::string code, std::uint32_t first, std::uint32_t last) {
  category_config category = prefix_category(std::move(code), "");
  category.format.style = number_format::kind::block;
  category.format.first = first;
  category.format.last = last;
  return category;
}

inline counter_config counter_serving(std::string id, std::vector<std::string> categories,
                                      selection_mode mode = selection_mode::oldest_first,
                                      std::vector<std::uint32_t> weights = {}) {
  counter_config counter;
  counter.id = id;
  counter.name_vi = "Quầy " + id;
  counter.name_en = "Counter " + id;
  counter.categories = std::move(categories);
  counter.selection = mode;
  counter.weights = std::move(weights);
  return counter;
}

// Two categories (A: prefix "A", width 3; B: block 1001..1999), three
// counters, one priority class, two outcomes, reset at 05:00 local.
inline centre_config small_centre() {
  centre_config config;
  config.name = "Trung tâm Phục vụ hành chính công";
  config.time_zone = "Asia/Ho_Chi_Minh";
  config.reset_time = 5h;
  config.categories = {prefix_category("A", "A"), block_category("B", 1001, 1999)};
  config.counters = {counter_serving("1", {"A"}), counter_serving("2", {"B"}),
                     counter_serving("3", {"A", "B"})};
  config.priority_classes = {{"elderly", "Người cao tuổi", "Elderly"},
                             {"disabled", "Người khuyết tật", "Disabled"}};
  config.outcomes = {{"received", "Đã tiếp nhận hồ sơ", "Dossier received"},
                     {"returned", "Trả kết quả", "Result returned"}};
  config.priority.style = priority_policy::kind::strict;
  return config;
}

// Tokens "token-1", "token-2", ... so tests are reproducible.
inline token_source counting_tokens() {
  auto next = std::make_shared<int>(0);
  return [next] { return "token-" + std::to_string(++*next); };
}

// Protobuf map order is unspecified; compare states byte for byte with
// deterministic serialization.
std::string stable_bytes(const google::protobuf::Message& message);

// Commands, built tersely.
v1::Command take(const std::string& category, const std::string& priority = {},
                 const std::string& client_key = {});
v1::Command call_next(const std::string& counter);
v1::Command call_ticket(const std::string& counter, const std::string& ticket,
                        const std::string& category = {});
v1::Command finish(const std::string& counter, const std::string& outcome = {},
                   const std::string& note = {});
v1::Command recall(const std::string& counter);
v1::Command mark_no_show(const std::string& counter);
v1::Command return_no_show(const std::string& ticket, const std::string& category = {});
v1::Command park(const std::string& counter);
v1::Command resume_parked(const std::string& counter, const std::string& ticket);
v1::Command transfer(const std::string& counter, const std::string& to_category,
                     const std::string& to_counter, v1::Placement placement,
                     const std::string& note = {});
v1::Command pause_counter(const std::string& counter, const std::string& reason = "nghỉ");
v1::Command resume_counter(const std::string& counter);
v1::Command open_counter(const std::string& counter, const std::string& officer,
                         const std::string& officer_name = "Cán bộ");
v1::Command close_counter(const std::string& counter);
v1::Command close_category(const std::string& category, const std::string& note = {});
v1::Command reopen_category(const std::string& category);

// An engine plus the log of everything it emitted, for replay checks.
class recorded_engine {
 public:
  explicit recorded_engine(centre_config config);

  // Executes and records; fails the test when the command is refused.
  decision must(const v1::Command& command, timestamp now, const std::string& who = "officer");
  result<decision> run(const v1::Command& command, timestamp now,
                       const std::string& who = "officer");
  decision must(const v1::Command& command, timestamp now, const actor& who);
  result<decision> run(const v1::Command& command, timestamp now, const actor& who);
  // The id of a new ticket (fails the test when refused).
  std::string take_ticket(const std::string& category, timestamp now,
                          const std::string& priority = {});
  // Display number of the ticket a counter calls next.
  std::string call(const std::string& counter, timestamp now);
  v1::Ticket ticket(const std::string& id, timestamp now) const;
  v1::Counter counter(const std::string& id) const;
  v1::Category category(const std::string& code, timestamp now) const;

  engine& live() { return engine_; }
  const engine& live() const { return engine_; }
  const std::vector<v1::Event>& log() const { return log_; }
  // A fresh engine that folded the whole log.
  engine replayed() const;

 private:
  centre_config config_;
  engine engine_;
  std::vector<v1::Event> log_;
};

}  // namespace luot::core::testing
