#include "sample_view.hpp"

#include <google/protobuf/util/time_util.h>

namespace luot::display::testing {

std::chrono::system_clock::time_point sample_now() {
  // 2025-05-12 02:41:30 UTC = 09:41:30 in Asia/Ho_Chi_Minh.
  return std::chrono::system_clock::time_point(std::chrono::seconds(1747017690));
}

v1::Call make_call(std::uint64_t seq, const std::string& number, const std::string& counter,
                   std::chrono::system_clock::time_point at, std::uint32_t call_count) {
  v1::Call call;
  call.set_ticket_id("t-" + number);
  call.set_number(number);
  call.set_counter(counter);
  call.set_call_count(call_count);
  call.set_seq(seq);
  *call.mutable_at() = google::protobuf::util::TimeUtil::SecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count());
  return call;
}

v1::View sample_view() {
  v1::View view;
  view.set_seq(240);
  view.set_service_day("2025-05-12");
  view.set_centre_name("Bộ phận Một cửa – Sở Lao động – Thương binh và Xã hội");
  view.set_time_zone("Asia/Ho_Chi_Minh");
  view.set_recent_calls_limit(8);
  struct category_row {
    const char* code;
    const char* vi;
    const char* en;
    v1::CategoryStatus status;
    std::uint32_t regular;
    std::uint32_t priority;
    std::uint32_t wait;
  };
  const category_row categories[] = {
      {"LDVL", "Lao động – Việc làm", "Labour and employment", v1::CATEGORY_STATUS_OPEN, 12, 2,
       1500},
      {"NCC", "Người có công", "People with meritorious service", v1::CATEGORY_STATUS_OPEN, 4, 0,
       2880},
      {"BTXH", "Bảo trợ xã hội", "Social protection", v1::CATEGORY_STATUS_OPEN, 7, 1, 4300},
      {"GDNN", "Giáo dục nghề nghiệp", "Vocational education", v1::CATEGORY_STATUS_OPEN, 0, 0, 0},
      {"TE", "Trẻ em", "Children", v1::CATEGORY_STATUS_CLOSED_MANUALLY, 0, 0, 0},
      {"TKQ", "Trả kết quả", "Collect results", v1::CATEGORY_STATUS_OPEN, 23, 0, 540},
  };
  for (const auto& row : categories) {
    auto* category = view.add_categories();
    category->set_code(row.code);
    category->set_name_vi(row.vi);
    category->set_name_en(row.en);
    category->set_status(row.status);
    category->set_waiting_regular(row.regular);
    category->set_waiting_priority(row.priority);
    category->set_estimated_wait_seconds(row.wait);
  }
  struct counter_row {
    const char* id;
    const char* vi;
    const char* en;
    v1::CounterState state;
    const char* number;
    const char* officer;
    const char* reason;
  };
  const counter_row counters[] = {
      {"1", "Quầy 1", "Counter 1", v1::COUNTER_STATE_OPEN, "A012", "Nguyễn Thị Lan", ""},
      {"2", "Quầy 2", "Counter 2", v1::COUNTER_STATE_OPEN, "A011", "Trần Văn Minh", ""},
      {"3", "Quầy 3", "Counter 3", v1::COUNTER_STATE_PAUSED, "", "Lê Thị Hoà", "Họp giao ban"},
      {"4", "Quầy 4", "Counter 4", v1::COUNTER_STATE_CLOSED, "", "", ""},
      {"5", "Quầy 5 – Trả kết quả", "Counter 5 – Results", v1::COUNTER_STATE_OPEN, "1021",
       "Đỗ Minh Thư", ""},
  };
  for (const auto& row : counters) {
    auto* counter = view.add_counters();
    counter->set_id(row.id);
    counter->set_name_vi(row.vi);
    counter->set_name_en(row.en);
    counter->set_state(row.state);
    counter->set_current_number(row.number);
    counter->set_officer_name(row.officer);
    counter->set_pause_reason(row.reason);
  }
  const auto now = sample_now();
  using std::chrono::seconds;
  const struct {
    const char* number;
    const char* counter;
    int ago;
  } calls[] = {{"1021", "5", 20},  {"A012", "1", 95},  {"A011", "2", 260}, {"1020", "5", 300},
               {"B007", "3", 610}, {"C004", "4", 700}, {"A010", "1", 820}, {"1019", "5", 900}};
  std::uint64_t seq = 240;
  for (const auto& call : calls) {
    *view.add_recent_calls() = make_call(seq, call.number, call.counter, now - seconds(call.ago));
    seq -= 7;
  }
  return view;
}

}  // namespace luot::display::testing
