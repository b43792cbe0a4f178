#pragma once

// What a history run records: every operation a client invoked and how it
// ended, what each subscribed mirror applied, and the server's state at the
// end. The checker judges these; the drivers and the run fill them in.

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "luot/v1/luot.pb.h"

namespace luot::history {

// How an operation ended, as the client that invoked it knows it.
enum class outcome {
  // Sent, no answer yet (still in flight when the history was read).
  invoked,
  // The server answered that it was done.
  ok,
  // The server refused it, or it never reached the server (connection
  // refused): it did not happen.
  failed,
  // The connection was lost after the request went out: it may or may not
  // have happened.
  unknown,
};

// What a client asked for.
enum class action { take_ticket, sign_in, call_next, recall, transfer, finish, no_show };

std::string_view to_string(outcome value);
std::string_view to_string(action value);

// One operation as its client saw it.
struct operation {
  // Order of invocation across all clients, from 1.
  std::uint64_t id = 0;
  // Who invoked it, e.g. "kiosk-2 (websocket)" or "counter 3".
  std::string client;
  action what = action::take_ticket;
  // How many kills came before it was invoked.
  unsigned round = 0;
  // The counter acted on (officer actions and sign-in).
  std::string counter;
  // take_ticket: the category asked for and the idempotency key. Retries of
  // one request are separate operations with the same key.
  std::string category;
  std::string client_key;
  outcome result = outcome::invoked;
  // ok: the ticket the answer named (and its number), and the seqs of the
  // events it caused (empty for an HTTP take-ticket, which answers with the
  // ticket alone).
  std::string ticket_id;
  std::string number;
  // take_ticket ok: a fresh ticket (201, or a result with events) rather
  // than the earlier ticket of the same key (200, or no events).
  bool issued_now = false;
  std::vector<std::uint64_t> seqs;
  // failed: whether the request reached the server at all (a refused
  // connection while it was down did not).
  bool delivered = true;
  // failed / unknown: why, for the report.
  std::string detail;
};

// The operations of a run, recorded from many client threads.
class recorder {
 public:
  // Records `op` as invoked in the current round and returns its id.
  std::uint64_t invoke(operation op);
  void succeed(std::uint64_t id, std::string ticket_id, std::string number, bool issued_now,
               std::vector<std::uint64_t> seqs);
  void fail(std::uint64_t id, std::string detail);
  // Failed without reaching the server (nothing listened).
  void not_delivered(std::uint64_t id, std::string detail);
  void lose(std::uint64_t id, std::string detail);

  // Operations invoked from now on belong to `round`.
  void set_round(unsigned round);
  // How many operations have ended ok so far.
  std::size_t acknowledged() const;
  // A copy of everything recorded, in invocation order.
  std::vector<operation> operations() const;

 private:
  mutable std::mutex mutex_;
  std::vector<operation> operations_;
  std::size_t acknowledged_ = 0;
  unsigned round_ = 0;
};

// What one mirror (a subscribed device client) applied: its seq after each
// View or ViewUpdate, in order.
struct mirror_step {
  std::uint64_t seq = 0;
  // A whole View replaced the mirror (the first one, or a resync).
  bool replaced = false;
  // Something visible changed (a clock update repeats the seq and changes
  // the categories; a repeated event changes nothing).
  bool changed = false;
  unsigned round = 0;
};

struct mirror_trace {
  std::string subscriber;
  std::vector<mirror_step> steps;
  // The mirror when the run ended.
  std::optional<v1::View> final_view;
  // How many times its link went live (1 + reconnects).
  std::size_t connections = 0;
};

// The server as the run found it at the end, everything quiet.
struct server_state {
  // The whole event log, read from the SQLite file.
  std::vector<v1::Event> log;
  // GET /api/v1/snapshot (a manager): every ticket of the day.
  v1::Snapshot snapshot;
  // GET /api/v1/view: what every mirror must equal.
  v1::View view;
};

// Counts by outcome and by action, for reports.
struct tally {
  std::size_t operations = 0;
  // Failed operations that never reached the server.
  std::size_t not_delivered = 0;
  std::map<outcome, std::size_t> by_outcome;
  std::map<action, std::map<outcome, std::size_t>> by_action;
};

tally count(const std::vector<operation>& operations);

}  // namespace luot::history
