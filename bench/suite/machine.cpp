#include "machine.hpp"

#include <sys/utsname.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "load/process_stats.hpp"

namespace luot::bench {

namespace {

std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown";
}

std::string memory_total() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  double kibibytes = 0;
  meminfo >> key >> kibibytes;
  char text[32];
  std::snprintf(text, sizeof text, "%.1f GiB", kibibytes / 1024.0 / 1024.0);
  return text;
}

// "ext4 (/dev/vda on /)": the mount holding `path`, the longest prefix.
std::string filesystem_of(const std::filesystem::path& path) {
  std::error_code ignored;
  const std::string where = std::filesystem::weakly_canonical(path, ignored).string();
  std::ifstream mounts("/proc/mounts");
  std::string best_point, best_text;
  for (std::string line; std::getline(mounts, line);) {
    std::istringstream fields(line);
    std::string device, point, type;
    fields >> device >> point >> type;
    const bool inside =
        where.rfind(point, 0) == 0 &&
        (point == "/" || where.size() == point.size() || where[point.size()] == '/');
    if (inside && point.size() >= best_point.size()) {
      best_point = point;
      best_text = type + " (" + device + " on " + point + ")";
    }
  }
  return best_text.empty() ? "unknown" : best_text;
}

std::string ws_version(const std::string& peer_script) {
  const auto package =
      std::filesystem::path(peer_script).parent_path() / "node_modules" / "ws" / "package.json";
  std::ifstream in(package);
  std::stringstream text;
  text << in.rdbuf();
  std::smatch match;
  const std::string body = text.str();
  static const std::regex version("\"version\"\\s*:\\s*\"([^\"]+)\"");
  return std::regex_search(body, match, version) ? match[1].str() : "not installed";
}

}  // namespace

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &parts);
  return text;
}

std::string first_line_of(const std::string& command) {
  FILE* pipe = ::popen((command + " 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return "";
  char line[256] = {};
  const bool got = std::fgets(line, sizeof line, pipe) != nullptr;
  ::pclose(pipe);
  if (!got) return "";
  std::string text = line;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

std::string describe_machine(const std::filesystem::path& work_directory,
                             const std::string& node_program, const std::string& peer_script) {
  utsname name{};
  uname(&name);
  std::string out;
  out += "- **Date**: " + utc_now() + "\n";
  out += "- **CPU**: " + cpu_model() + ", " + std::to_string(std::thread::hardware_concurrency()) +
         " cores online\n";
  out += "- **Memory**: " + memory_total() + "\n";
  out += "- **Kernel**: Linux " + std::string(name.release) + " (" + name.machine + ")\n";
  out += "- **Databases and the fdatasync probe on**: " + filesystem_of(work_directory) + "\n";
  out += "- **Open-files limit**: " + std::to_string(open_files_limit()) + "\n";
#ifdef LUOT_BUILD_TYPE
  out += "- **Build**: " + std::string(LUOT_BUILD_TYPE) + "\n";
#endif
  if (!peer_script.empty()) {
    out += "- **Node.js**: " + first_line_of(node_program + " --version") + ", ws " +
           ws_version(peer_script) + "\n";
  }
  out += "- **Load average at the start** (1, 5, 15 min): " + load_average() + "\n";
  return out;
}

}  // namespace luot::bench
