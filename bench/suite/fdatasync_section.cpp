#include "fdatasync_section.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "load/report.hpp"

namespace luot::bench {

namespace {

struct fdatasync_block {
  latency_summary latency;
  std::string load;
};

}  // namespace

latency_summary measure_fdatasync(const std::filesystem::path& file, unsigned samples,
                                  std::chrono::nanoseconds interval) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot create " + file.string());
  std::vector<char> page(4096, 'x');
  std::vector<double> latencies;
  latencies.reserve(samples);
  const auto first = bench_clock::now();
  for (unsigned index = 0; index < samples; ++index) {
    if (interval.count() > 0) std::this_thread::sleep_until(first + interval * index);
    const auto offset = static_cast<off_t>(index) * static_cast<off_t>(page.size());
    const auto started = bench_clock::now();
    if (::pwrite(fd, page.data(), page.size(), offset) != static_cast<ssize_t>(page.size()) ||
        ::fdatasync(fd) != 0) {
      ::close(fd);
      throw std::runtime_error("write or fdatasync failed on " + file.string());
    }
    latencies.push_back(to_microseconds(bench_clock::now() - started));
  }
  ::close(fd);
  std::filesystem::remove(file);
  return summarize(std::move(latencies));
}

void run_fdatasync_section(const suite_settings& run, results_document& results) {
  std::vector<fdatasync_block> blocks;
  const unsigned per_block = std::max(1u, run.fdatasync_samples / std::max(1u, run.repetitions));
  for (unsigned repetition = 1; repetition <= run.repetitions; ++repetition) {
    fdatasync_block block;
    block.load = load_now();
    block.latency = measure_fdatasync(run.work_directory / "fdatasync-probe", per_block);
    blocks.push_back(std::move(block));
  }
  std::vector<double> p50, p99;
  markdown_table table(
      {{"block"}, {"samples"}, {"p50 (µs)"}, {"p99 (µs)"}, {"max (µs)"}, {"load"}});
  for (std::size_t index = 0; index < blocks.size(); ++index) {
    const auto& each = blocks[index];
    p50.push_back(each.latency.p50_us);
    p99.push_back(each.latency.p99_us);
    table.add_row({std::to_string(index + 1), std::to_string(each.latency.count),
                   fixed(each.latency.p50_us), fixed(each.latency.p99_us),
                   fixed(each.latency.max_us), each.load});
  }
  results.add_section(
      "## The machine's fdatasync\n\nA 4 KiB page appended to a file in the databases' "
      "directory, then `fdatasync`, " +
      std::to_string(per_block) +
      " times per block: back to back: the least a durable commit costs here (SQLite's WAL commit "
      "with `synchronous=FULL` is one such write and sync). The open loop measures the same "
      "probe again at each row's own pace, just before the row.\n\n" +
      table.render());
  figure headline;
  headline.name = "the machine's fdatasync (4 KiB append)";
  headline.measured = "p50 " + fixed(median(p50)) + " µs, p99 " + fixed(median(p99)) + " µs";
  headline.goal = "none: the floor under every durable reply";
  results.add_figure(headline);
}

}  // namespace luot::bench
