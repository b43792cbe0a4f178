#include "server_child.hpp"

#include <ctime>
#include <fstream>

namespace luot::bench {

namespace {

// Local "HH:MM" twelve hours from now in Asia/Ho_Chi_Minh (UTC+7, no
// daylight saving time).
std::string reset_time_far_from_now() {
  const auto seconds = static_cast<long long>(std::time(nullptr));
  const long long local = (seconds + 7 * 3600 + 12 * 3600) % 86400;
  char text[8];
  std::snprintf(text, sizeof text, "%02lld:%02lld", local / 3600, local % 3600 / 60);
  return text;
}

}  // namespace

std::string bench_centre_toml(std::optional<std::uint32_t> subscribe_per_minute) {
  std::string toml = R"([centre]
name = "Trung tâm đo tải"
time_zone = "Asia/Ho_Chi_Minh"
reset_time = ")" + reset_time_far_from_now() +
                     R"("

[server]
address = "127.0.0.1"
io_threads = 2
take_ticket_per_minute = 100000
)";
  if (subscribe_per_minute) {
    toml += "subscribe_per_minute = " + std::to_string(*subscribe_per_minute) + "\n";
  }
  const struct {
    std::string_view code, name_vi, name_en, prefix;
  } fields[] = {{"LDVL", "Lao động – Việc làm", "Labour and employment", "A"},
                {"NCC", "Người có công", "People with meritorious service", "B"},
                {"BTXH", "Bảo trợ xã hội", "Social protection", "C"},
                {"TE", "Trẻ em", "Children", "D"}};
  for (const auto& field : fields) {
    toml += "\n[[categories]]\ncode = \"" + std::string(field.code) + "\"\nname_vi = \"" +
            std::string(field.name_vi) + "\"\nname_en = \"" + std::string(field.name_en) +
            "\"\nformat = { prefix = \"" + std::string(field.prefix) +
            "\", width = 4 }\nhours = \"always\"\n";
  }
  for (int number = 1; number <= 4; ++number) {
    const auto id = std::to_string(number);
    toml += "\n[[counters]]\nid = \"" + id + "\"\nname_vi = \"Quầy " + id +
            "\"\nname_en = \"Counter " + id +
            "\"\ncategories = [\"LDVL\", \"NCC\", \"BTXH\", \"TE\"]\n";
  }
  toml += "\n[[devices]]\nid = \"hall\"\nkind = \"display\"\ntoken = \"" +
          std::string(display_token) + "\"\n";
  return toml;
}

server_child::server_child(std::filesystem::path program, std::filesystem::path directory,
                           const std::string& centre_toml)
    : program_(std::move(program)), directory_(std::move(directory)) {
  std::filesystem::create_directories(directory_);
  std::ofstream(directory_ / "centre.toml") << centre_toml;
}

void server_child::start(const std::filesystem::path& database) {
  child_.start({program_.string(), "--config", (directory_ / "centre.toml").string(), "--database",
                database.string(), "--port", "0"},
               directory_ / ("server-" + std::to_string(++starts_) + ".log"));
}

void server_child::stop() {
  child_.stop();
}

}  // namespace luot::bench
