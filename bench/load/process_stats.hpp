#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace luot::bench {

// CPU time (user + system, all threads) and resident memory of a process.
struct process_sample {
  double cpu_seconds = 0;
  double resident_mebibytes = 0;
};

// Of another process, from /proc/<pid>/stat and /proc/<pid>/status.
process_sample sample_process(pid_t pid);
// Of this process (the benchmark: its clients and receivers).
process_sample sample_self();
// CPU time of a process to the nanosecond: the sum over its live threads of
// the scheduler's run time (/proc/<pid>/task/*/schedstat). sample_process
// counts in clock ticks (10 ms), too coarse for one call's fan-out; threads
// that have exited are not counted here.
double precise_cpu_seconds(pid_t pid);

// The 1-, 5- and 15-minute load averages, as /proc/loadavg gives them.
std::string load_average();
// Memory the kernel holds in TCP socket buffers, all sockets (sockstat).
double tcp_buffer_mebibytes();
std::uint64_t open_files_limit();

// Percent of one core used between two samples `wall_seconds` apart.
double cpu_percent(const process_sample& before, const process_sample& after, double wall_seconds);

}  // namespace luot::bench
