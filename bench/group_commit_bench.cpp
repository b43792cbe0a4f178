// Group commit under load: C clients each submit one event at a time and
// wait for it to be durable (as a command waits before its reply). Prints
// throughput, events per transaction and acknowledgement latency per C.
//
// Usage: bench_group_commit [seconds-per-row] [directory]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/group_committer.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

luot::v1::Event make_event(std::uint64_t seq) {
  luot::v1::Event event;
  event.set_seq(seq);
  event.set_service_day("2026-11-23");
  event.mutable_at()->set_seconds(1'795'000'000 + static_cast<std::int64_t>(seq));
  event.set_actor("bench");
  auto* ticket = event.mutable_ticket_issued()->mutable_ticket();
  ticket->set_id("t" + std::to_string(seq));
  ticket->set_number("A" + std::to_string(seq % 1000));
  ticket->set_category("LDVL");
  ticket->set_status_token("0123456789abcdef0123456789abcdef");
  return event;
}

struct row {
  unsigned clients = 0;
  std::uint64_t events = 0;
  std::uint64_t transactions = 0;
  double seconds = 0;
  double p50_us = 0;
  double p99_us = 0;
};

row run(unsigned clients, double seconds, const std::filesystem::path& directory) {
  const auto path = directory / ("bench-" + std::to_string(clients) + ".db");
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
  auto store = luot::store::open_sqlite_store(path);
  luot::store::group_committer committer(*store);

  std::mutex sequencing;  // Plays the engine strand: seqs in submission order.
  std::uint64_t next_seq = 1;
  std::vector<std::vector<double>> latencies(clients);
  const auto deadline = clock_type::now() + std::chrono::duration<double>(seconds);
  const auto started = clock_type::now();

  std::vector<std::thread> threads;
  for (unsigned client = 0; client < clients; ++client) {
    threads.emplace_back([&, client] {
      while (clock_type::now() < deadline) {
        std::promise<bool> durable;
        const auto submitted = clock_type::now();
        {
          const std::lock_guard lock(sequencing);
          committer.submit({make_event(next_seq++)},
                           [&durable](bool ok) { durable.set_value(ok); });
        }
        if (!durable.get_future().get()) return;
        latencies[client].push_back(
            std::chrono::duration<double, std::micro>(clock_type::now() - submitted).count());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  committer.stop();

  row result;
  result.clients = clients;
  result.seconds = std::chrono::duration<double>(clock_type::now() - started).count();
  result.events = committer.events();
  result.transactions = committer.transactions();
  std::vector<double> all;
  for (const auto& each : latencies) all.insert(all.end(), each.begin(), each.end());
  std::sort(all.begin(), all.end());
  if (!all.empty()) {
    result.p50_us = all[all.size() / 2];
    result.p99_us = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  }
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::stod(argv[1]) : 3.0;
  const std::filesystem::path directory =
      argc > 2 ? std::filesystem::path(argv[2]) : std::filesystem::temp_directory_path();
  std::printf("| clients | events/s | events per transaction | ack p50 (µs) | ack p99 (µs) |\n");
  std::printf("| ---: | ---: | ---: | ---: | ---: |\n");
  for (const unsigned clients : {1u, 2u, 4u, 8u, 16u, 32u, 64u}) {
    const row r = run(clients, seconds, directory);
    std::printf(
        "| %u | %.0f | %.1f | %.0f | %.0f |\n", r.clients,
        static_cast<double>(r.events) / r.seconds,
        r.transactions ? static_cast<double>(r.events) / static_cast<double>(r.transactions) : 0.0,
        r.p50_us, r.p99_us);
    std::fflush(stdout);
  }
}
