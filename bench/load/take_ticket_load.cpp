#include "take_ticket_load.hpp"

#include <algorithm>
#include <atomic>
#include <latch>
#include <stdexcept>
#include <thread>
#include <vector>

#include "http_connection.hpp"

namespace luot::bench {

namespace {

std::string_view category_for(std::size_t index) {
  return bench_categories[index % std::size(bench_categories)];
}

}  // namespace

closed_loop_row take_tickets_closed_loop(const server_child& server, unsigned clients,
                                         double seconds, closed_loop_progress* progress) {
  closed_loop_row row;
  row.clients = clients;
  std::vector<std::vector<double>> latencies(clients);
  std::vector<std::uint64_t> failures(clients, 0);
  std::latch connected(clients + 1);
  std::latch go(1);
  bench_clock::time_point deadline;
  std::atomic<bool> broken{false};
  std::string failure;
  std::vector<std::thread> threads;
  for (unsigned client = 0; client < clients; ++client) {
    threads.emplace_back([&, client] {
      bool counted = false;
      try {
        const auto request = take_ticket_request(category_for(client));
        http_connection connection(server.port(), kiosk_addresses + client);
        latencies[client].reserve(1 << 16);
        connected.count_down();
        counted = true;
        go.wait();
        while (bench_clock::now() < deadline) {
          const auto sent = bench_clock::now();
          const unsigned status = connection.exchange(request);
          latencies[client].push_back(to_microseconds(bench_clock::now() - sent));
          if (status != 201) ++failures[client];
          if (progress != nullptr) progress->answered.fetch_add(1, std::memory_order_relaxed);
        }
      } catch (const std::exception& error) {
        if (!broken.exchange(true)) failure = error.what();
        if (!counted) connected.count_down();
      }
    });
  }
  connected.arrive_and_wait();
  row.server_before = server.sample();
  const auto self_before = sample_self();
  const auto started = bench_clock::now();
  deadline = started + std::chrono::duration_cast<bench_clock::duration>(
                           std::chrono::duration<double>(seconds));
  if (progress != nullptr) {
    progress->started_at = started;
    progress->started.store(true, std::memory_order_release);
  }
  go.count_down();
  for (auto& thread : threads) thread.join();
  if (broken) throw std::runtime_error("take-ticket client failed: " + failure);
  row.seconds = to_microseconds(bench_clock::now() - started) / 1e6;
  row.server_after = server.sample();
  row.server_cpu_percent = cpu_percent(row.server_before, row.server_after, row.seconds);
  row.bench_cpu_percent = cpu_percent(self_before, sample_self(), row.seconds);
  std::vector<double> all;
  for (unsigned client = 0; client < clients; ++client) {
    all.insert(all.end(), latencies[client].begin(), latencies[client].end());
    row.not_created += failures[client];
  }
  row.latency = summarize(std::move(all));
  return row;
}

open_loop_result take_tickets_open_loop(std::uint16_t port, double per_second, double seconds,
                                        unsigned takers, const std::atomic<bool>* stop) {
  const auto total = static_cast<std::size_t>(per_second * seconds);
  const auto period = std::chrono::duration_cast<bench_clock::duration>(
      std::chrono::duration<double>(1.0 / per_second));
  std::vector<double> latencies(total, 0);
  // 1: created, 0: refused, -1: never sent (stopped first).
  std::vector<signed char> created(total, -1);
  std::latch connected(takers + 1);
  std::latch go(1);
  bench_clock::time_point started;
  std::vector<std::thread> threads;
  std::atomic<bool> broken{false};
  std::string failure;
  for (unsigned taker = 0; taker < takers; ++taker) {
    threads.emplace_back([&, taker] {
      bool counted = false;
      try {
        const auto request = take_ticket_request(category_for(taker));
        http_connection connection(port, kiosk_addresses + 1000 + taker);
        // One untimed ticket first: the row measures a served connection, not
        // the first use of a fresh server's code and caches.
        connection.exchange(request);
        connected.count_down();
        counted = true;
        go.wait();
        // Ticket i is due at started + i * period; this taker sends every
        // takers-th one.
        for (std::size_t index = taker; index < total; index += takers) {
          const auto due = started + period * static_cast<long>(index);
          std::this_thread::sleep_until(due);
          if (stop != nullptr && stop->load(std::memory_order_acquire)) break;
          const unsigned status = connection.exchange(request);
          latencies[index] = to_microseconds(bench_clock::now() - due);
          created[index] = status == 201 ? 1 : 0;
        }
      } catch (const std::exception& error) {
        if (!broken.exchange(true)) failure = error.what();
        if (!counted) connected.count_down();
      }
    });
  }
  connected.arrive_and_wait();
  started = bench_clock::now() + std::chrono::milliseconds(10);
  go.count_down();
  for (auto& thread : threads) thread.join();
  if (broken) throw std::runtime_error("open-loop taker failed: " + failure);
  const double elapsed = to_microseconds(bench_clock::now() - started) / 1e6;
  open_loop_result result;
  const auto per_half_second = std::max<std::size_t>(1, static_cast<std::size_t>(per_second / 2));
  std::vector<double> sent;
  sent.reserve(total);
  for (std::size_t index = 0; index < total; ++index) {
    if (created[index] < 0) continue;
    if (created[index] == 0) ++result.not_created;
    sent.push_back(latencies[index]);
    if (latencies[index] > result.worst_half_second_max_us) {
      result.worst_half_second_max_us = latencies[index];
      result.worst_half_second_from = static_cast<double>(index / per_half_second) * 0.5;
    }
  }
  result.achieved_per_second = static_cast<double>(sent.size()) / elapsed;
  result.latencies_us = sent;
  result.latency = summarize(std::move(sent));
  return result;
}

void take_tickets(std::uint16_t port, std::uint64_t count, unsigned clients) {
  std::atomic<std::uint64_t> next{0};
  std::atomic<std::uint64_t> refused{0};
  std::atomic<bool> broken{false};
  std::string failure;
  std::vector<std::thread> threads;
  for (unsigned client = 0; client < clients; ++client) {
    threads.emplace_back([&, client] {
      try {
        const auto request = take_ticket_request(category_for(client));
        http_connection connection(port, kiosk_addresses + 2000 + client);
        while (next.fetch_add(1) < count) {
          if (connection.exchange(request) != 201) refused.fetch_add(1);
        }
      } catch (const std::exception& error) {
        if (!broken.exchange(true)) failure = error.what();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  if (broken) throw std::runtime_error("filling the day failed: " + failure);
  if (refused > 0) {
    throw std::runtime_error(std::to_string(refused.load()) + " tickets refused while filling");
  }
}

}  // namespace luot::bench
