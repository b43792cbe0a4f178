#include "net/metrics.hpp"

#include <fmt/format.h>

namespace luot::net {

namespace {

// Label values escape backslash, double quote and newline.
std::string escape_label(std::string_view value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void render_by_label(std::string& out, std::string_view name, std::string_view help,
                     std::string_view label,
                     const std::map<std::string, std::uint64_t, std::less<>>& values) {
  out += fmt::format("# HELP {} {}\n# TYPE {} counter\n", name, help, name);
  for (const auto& [value, count] : values) {
    out += fmt::format("{}{{{}=\"{}\"}} {}\n", name, label, escape_label(value), count);
  }
}

void count(std::map<std::string, std::uint64_t, std::less<>>& counts, std::string_view key) {
  auto found = counts.find(key);
  if (found == counts.end()) found = counts.emplace(std::string(key), 0).first;
  ++found->second;
}

}  // namespace

void metrics::ticket_issued(std::string_view category) {
  const std::lock_guard lock(mutex_);
  count(issued_, category);
}

void metrics::ticket_called(std::string_view category) {
  const std::lock_guard lock(mutex_);
  count(called_, category);
}

void metrics::rejected(std::string_view code) {
  const std::lock_guard lock(mutex_);
  count(rejected_, code);
}

void metrics::connection_opened(connection_kind kind) {
  (kind == connection_kind::http ? http_connections_ : websocket_connections_)
      .fetch_add(1, std::memory_order_relaxed);
}

void metrics::connection_closed(connection_kind kind) {
  (kind == connection_kind::http ? http_connections_ : websocket_connections_)
      .fetch_sub(1, std::memory_order_relaxed);
}

void metrics::commit_observed(std::chrono::nanoseconds latency) {
  const double seconds = std::chrono::duration<double>(latency).count();
  const std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < commit_buckets.size(); ++i) {
    if (seconds <= commit_buckets[i]) ++commit_counts_[i];
  }
  ++commit_count_;
  commit_sum_ += seconds;
}

void metrics::events_committed(std::size_t count) {
  events_committed_.fetch_add(count, std::memory_order_relaxed);
}

void metrics::slow_client_cut_off() {
  slow_clients_cut_off_.fetch_add(1, std::memory_order_relaxed);
}

std::string metrics::render() const {
  std::string out;
  const std::lock_guard lock(mutex_);
  render_by_label(out, "luot_tickets_issued_total", "Tickets issued, by category.", "category",
                  issued_);
  render_by_label(out, "luot_tickets_called_total", "Tickets called to a counter, by category.",
                  "category", called_);
  render_by_label(out, "luot_rejections_total",
                  "Requests and commands refused, by error code (HTTP and WebSocket).", "code",
                  rejected_);
  out +=
      "# HELP luot_connections Open client connections, by kind.\n"
      "# TYPE luot_connections gauge\n";
  out += fmt::format("luot_connections{{kind=\"http\"}} {}\n",
                     http_connections_.load(std::memory_order_relaxed));
  out += fmt::format("luot_connections{{kind=\"websocket\"}} {}\n",
                     websocket_connections_.load(std::memory_order_relaxed));
  out +=
      "# HELP luot_commit_seconds Duration of one group-commit transaction.\n"
      "# TYPE luot_commit_seconds histogram\n";
  for (std::size_t i = 0; i < commit_buckets.size(); ++i) {
    out += fmt::format("luot_commit_seconds_bucket{{le=\"{}\"}} {}\n", commit_buckets[i],
                       commit_counts_[i]);
  }
  out += fmt::format("luot_commit_seconds_bucket{{le=\"+Inf\"}} {}\n", commit_count_);
  out += fmt::format("luot_commit_seconds_sum {}\n", commit_sum_);
  out += fmt::format("luot_commit_seconds_count {}\n", commit_count_);
  out +=
      "# HELP luot_events_committed_total Events made durable in the log.\n"
      "# TYPE luot_events_committed_total counter\n";
  out += fmt::format("luot_events_committed_total {}\n",
                     events_committed_.load(std::memory_order_relaxed));
  out +=
      "# HELP luot_websocket_cutoffs_total WebSocket clients cut off for not draining their "
      "queue.\n"
      "# TYPE luot_websocket_cutoffs_total counter\n";
  out += fmt::format("luot_websocket_cutoffs_total {}\n",
                     slow_clients_cut_off_.load(std::memory_order_relaxed));
  return out;
}

}  // namespace luot::net
