#include "process_stats.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace luot::bench {

namespace {

double seconds_of(const timeval& value) {
  return static_cast<double>(value.tv_sec) + static_cast<double>(value.tv_usec) / 1e6;
}

double resident_of(const std::string& status_file) {
  std::ifstream status(status_file);
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

}  // namespace

process_sample sample_process(pid_t pid) {
  process_sample sample;
  const std::string directory = "/proc/" + std::to_string(pid);
  std::ifstream stat_file(directory + "/stat");
  std::string text;
  std::getline(stat_file, text);
  // The command name (field 2) may hold spaces: fields are counted after
  // its closing parenthesis. utime and stime are fields 14 and 15.
  const auto name_end = text.rfind(')');
  if (name_end != std::string::npos) {
    std::istringstream fields(text.substr(name_end + 2));
    std::string field;
    double ticks = 0;
    for (int number = 3; number <= 15 && fields >> field; ++number) {
      if (number >= 14) ticks += std::stod(field);
    }
    sample.cpu_seconds = ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  sample.resident_mebibytes = resident_of(directory + "/status");
  return sample;
}

process_sample sample_self() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return {seconds_of(usage.ru_utime) + seconds_of(usage.ru_stime),
          resident_of("/proc/self/status")};
}

double precise_cpu_seconds(pid_t pid) {
  std::error_code failed;
  std::filesystem::directory_iterator threads("/proc/" + std::to_string(pid) + "/task", failed);
  if (failed) return 0;
  double nanoseconds = 0;
  for (const auto& thread : threads) {
    std::ifstream schedstat(thread.path() / "schedstat");
    double on_cpu = 0;
    if (schedstat >> on_cpu) nanoseconds += on_cpu;
  }
  return nanoseconds / 1e9;
}

std::string load_average() {
  std::ifstream file("/proc/loadavg");
  std::string one, five, fifteen;
  file >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

double tcp_buffer_mebibytes() {
  std::ifstream file("/proc/net/sockstat");
  std::string line;
  while (std::getline(file, line)) {
    if (line.rfind("TCP:", 0) != 0) continue;
    const auto at = line.find(" mem ");
    if (at == std::string::npos) return 0;
    return std::stod(line.substr(at + 5)) * static_cast<double>(sysconf(_SC_PAGESIZE)) /
           (1024.0 * 1024.0);
  }
  return 0;
}

std::uint64_t open_files_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  return static_cast<std::uint64_t>(limit.rlim_cur);
}

double cpu_percent(const process_sample& before, const process_sample& after, double wall_seconds) {
  if (wall_seconds <= 0) return 0;
  return 100.0 * (after.cpu_seconds - before.cpu_seconds) / wall_seconds;
}

}  // namespace luot::bench
