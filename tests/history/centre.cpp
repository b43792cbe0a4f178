#include "centre.hpp"

#include "../server/server_process.hpp"
#include "../server/support.hpp"

namespace luot::history {

const std::vector<std::string>& categories() {
  static const std::vector<std::string> codes = {"A", "B", "C"};
  return codes;
}

const std::vector<std::string>& counters() {
  static const std::vector<std::string> ids = {"1", "2", "3", "4"};
  return ids;
}

std::string officer_at(const std::string& counter) {
  return "can-bo-" + counter;
}

std::string kiosk_id(unsigned index) {
  return "kiosk-" + std::to_string(index);
}

std::string kiosk_token(unsigned index) {
  return "kiosk-" + std::to_string(index) + "-history-token";
}

std::string centre_toml() {
  const std::string hash = testing::password_hash();
  std::string toml = R"([centre]
name = "Trung tâm thử nghiệm lịch sử"
time_zone = "Asia/Ho_Chi_Minh"
reset_time = ")" + testing::reset_time_far_from_now() +
                     R"("

[server]
address = "127.0.0.1"
io_threads = 2
take_ticket_per_minute = 100000
subscribe_per_minute = 100000
sign_in_per_minute = 100000

[no_show]
max_calls = 0

[[categories]]
code = "A"
name_vi = "Lao động – Việc làm"
name_en = "Labour"
format = { prefix = "A", width = 5 }
hours = "always"

[[categories]]
code = "B"
name_vi = "Người có công"
name_en = "Merit"
format = { prefix = "B", width = 5 }
hours = "always"

[[categories]]
code = "C"
name_vi = "Bảo trợ xã hội"
name_en = "Social protection"
format = { prefix = "C", width = 5 }
hours = "always"

[[outcomes]]
code = "done"
name_vi = "Đã tiếp nhận"
name_en = "Received"

[[staff]]
username = ")" + std::string(manager_username) +
                     R"("
display_name = "Lê Thị Hoa"
role = "manager"
password_hash = ")" + hash +
                     R"("

[[devices]]
id = "hall"
kind = "display"
token = ")" + std::string(testing::display_token) +
                     "\"\n";
  const std::vector<std::vector<std::string>> served = {
      {"A", "B"}, {"A"}, {"B", "C"}, {"A", "B", "C"}};
  for (std::size_t i = 0; i < counters().size(); ++i) {
    const auto& id = counters()[i];
    std::string list;
    for (const auto& code : served[i]) list += (list.empty() ? "\"" : ", \"") + code + "\"";
    toml += "\n[[counters]]\nid = \"" + id + "\"\nname_vi = \"Quầy " + id +
            "\"\nname_en = \"Counter " + id + "\"\ncategories = [" + list + "]\n";
    toml += "\n[[staff]]\nusername = \"" + officer_at(id) + "\"\ndisplay_name = \"Cán bộ " + id +
            "\"\npassword_hash = \"" + hash + "\"\ncounters = [\"" + id + "\"]\n";
  }
  for (unsigned index = 1; index <= max_kiosks; ++index) {
    toml += "\n[[devices]]\nid = \"" + kiosk_id(index) + "\"\nkind = \"kiosk\"\ntoken = \"" +
            kiosk_token(index) + "\"\n";
  }
  return toml;
}

}  // namespace luot::history
