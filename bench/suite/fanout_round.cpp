#include "fanout_round.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <stdexcept>
#include <thread>

#include "load/latency.hpp"
#include "load/process_stats.hpp"
#include "load/raw_subscribers.hpp"
#include "load/report.hpp"
#include "waiting.hpp"

namespace luot::bench {

namespace {

using namespace std::chrono_literals;

// Waits until `pid` has been idle for a moment (under 5 % of a core over
// 5 ms), at most two seconds: the work of a fan-out goes on after its last
// byte is written (completions, freeing), and belongs to that call.
void wait_until_idle(pid_t pid) {
  const auto give_up = bench_clock::now() + 2s;
  double before = precise_cpu_seconds(pid);
  while (bench_clock::now() < give_up) {
    std::this_thread::sleep_for(5ms);
    const double now = precise_cpu_seconds(pid);
    if (now - before < 0.00025) return;
    before = now;
  }
}

// The seqs the subscribers must have before a call (the prepared state).
void wait_all(raw_subscribers& receivers, std::uint64_t seq, const std::string& what) {
  if (seq == 0) return;
  if (!wait_for([&] { return receivers.lowest_seq() >= seq || receivers.failed() > 0; }, 120s) ||
      receivers.failed() > 0) {
    throw std::runtime_error("subscribers did not all receive " + what + " (seq " +
                             std::to_string(seq) + "): " + receivers.first_failure());
  }
}

}  // namespace

round_result run_round(broadcaster& target, std::size_t subscribers, unsigned calls,
                       unsigned repetition) {
  round_result row;
  row.program = target.name();
  row.subscribers = subscribers;
  row.repetition = repetition;
  row.load = load_now();
  target.start();
  std::this_thread::sleep_for(300ms);
  row.rss_before_mib = sample_process(target.pid()).resident_mebibytes;

  raw_subscriber_options options;
  options.subscribe = target.needs_subscribe();
  options.keep_first_payloads = true;
  raw_subscribers receivers(target.port(), subscribers, options);
  const auto connecting = bench_clock::now();
  receivers.start();
  if (!wait_for([&] { return receivers.live() + receivers.failed() >= subscribers; }, 600s)) {
    throw std::runtime_error(target.name() + ": only " + std::to_string(receivers.live()) + " of " +
                             std::to_string(subscribers) + " subscribers live after 600 s");
  }
  if (receivers.failed() > 0) {
    throw std::runtime_error(target.name() + ": a subscriber failed: " + receivers.first_failure());
  }
  row.connect_seconds = to_microseconds(bench_clock::now() - connecting) / 1e6;
  // Let the program settle (its replies written, buffers returned).
  std::this_thread::sleep_for(1s);
  row.rss_idle_mib = sample_process(target.pid()).resident_mebibytes;
  row.idle_kib_per_subscriber =
      (row.rss_idle_mib - row.rss_before_mib) * 1024.0 / static_cast<double>(subscribers);

  // A warm-up call, untimed.
  wait_all(receivers, target.prepare_call(), "the state before the warm-up call");
  wait_all(receivers, target.call(), "the warm-up call");

  std::vector<std::uint64_t> seqs;
  std::vector<bench_clock::time_point> sent;
  std::vector<double> cpu_ms, receiver_ms;
  for (unsigned call = 0; call < calls; ++call) {
    wait_all(receivers, target.prepare_call(), "the state before a call");
    wait_until_idle(target.pid());
    const double cpu_before = precise_cpu_seconds(target.pid());
    const double receiver_before = receivers.cpu_seconds();
    sent.push_back(bench_clock::now());
    seqs.push_back(target.call());
    wait_all(receivers, seqs.back(), "a call");
    wait_until_idle(target.pid());
    cpu_ms.push_back((precise_cpu_seconds(target.pid()) - cpu_before) * 1000.0);
    receiver_ms.push_back((receivers.cpu_seconds() - receiver_before) * 1000.0);
  }
  receivers.stop();
  const auto& payloads = receivers.first_payloads();
  if (const auto found = payloads.find(seqs.back()); found != payloads.end()) {
    row.message_bytes = found->second.size();
  }
  target.stop();

  // Each call's arrivals by the kernel's receive timestamps.
  std::map<std::uint64_t, std::size_t> call_of;
  for (std::size_t index = 0; index < seqs.size(); ++index) call_of[seqs[index]] = index;
  std::vector<std::vector<double>> delays(seqs.size());
  for (auto& each : delays) each.reserve(subscribers);
  for (const auto& each : receivers.arrivals()) {
    for (const auto& got : each) {
      const auto found = call_of.find(got.seq);
      if (found == call_of.end()) continue;
      delays[found->second].push_back(to_microseconds(got.at - sent[found->second]) / 1000.0);
    }
  }
  std::vector<double> lasts, medians;
  for (auto& each : delays) {
    row.missing += subscribers - std::min(subscribers, each.size());
    if (each.empty()) continue;
    lasts.push_back(*std::max_element(each.begin(), each.end()));
    medians.push_back(median(each));
  }
  row.last_ms = median(lasts);
  row.worst_last_ms = lasts.empty() ? 0 : *std::max_element(lasts.begin(), lasts.end());
  row.median_ms = median(medians);
  row.cpu_ms_per_call = median(cpu_ms);
  row.receiver_cpu_ms_per_call = median(receiver_ms);
  return row;
}

std::string capture_call_message(const suite_settings& run) {
  auto luot = make_luot_broadcaster(run.server_program, run.work_directory / "fanout-probe", 4);
  luot->start();
  raw_subscriber_options options;
  options.keep_first_payloads = true;
  raw_subscribers receivers(luot->port(), 1, options);
  receivers.start();
  if (!wait_for([&] { return receivers.live() + receivers.failed() >= 1; }, 60s)) {
    throw std::runtime_error("the probe subscriber did not get live");
  }
  // The second call, after a finish, as every timed call is.
  wait_all(receivers, luot->prepare_call(), "the probe's first finish");
  wait_all(receivers, luot->call(), "the probe's first call");
  wait_all(receivers, luot->prepare_call(), "the probe's finish");
  const auto seq = luot->call();
  wait_all(receivers, seq, "the probe call");
  receivers.stop();
  luot->stop();
  const auto found = receivers.first_payloads().find(seq);
  if (found == receivers.first_payloads().end()) {
    throw std::runtime_error("the probe call's update was not kept");
  }
  return found->second;
}

}  // namespace luot::bench
