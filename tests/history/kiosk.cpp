#include "kiosk.hpp"

#include <google/protobuf/util/json_util.h>

#include "centre.hpp"
#include "http_client.hpp"

namespace luot::history {

namespace {

using namespace std::chrono_literals;

// Generous: a reply only takes this long when the machine is overloaded.
constexpr auto reply_timeout = 30s;
// Between two tickets of one kiosk, at most this long: officers keep up.
constexpr auto between_tickets = 12ms;
constexpr auto between_retries = 15ms;

}  // namespace

device::options workload_options(std::uint16_t port, device::encoding format, std::string token,
                                 std::uint64_t seed) {
  device::options settings;
  settings.server_url = "http://127.0.0.1:" + std::to_string(port);
  settings.token = std::move(token);
  settings.format = format;
  settings.client_name = "luot-history";
  settings.ping_interval = 500ms;
  settings.ping_timeout = 5s;
  settings.backoff_initial = 20ms;
  settings.backoff_max = 250ms;
  settings.connect_timeout = 5s;
  settings.jitter_seed = seed == 0 ? 1 : seed;
  return settings;
}

kiosk::kiosk(unsigned index, channel via, std::uint16_t port, recorder& history, std::uint64_t seed)
    : index_(index),
      via_(via),
      port_(port),
      history_(history),
      random_(seed),
      name_(kiosk_id(index) + (via == channel::http ? " (http)" : " (websocket)")) {
  if (via_ == channel::websocket) {
    const auto format = index % 4 == 0 ? device::encoding::json : device::encoding::binary;
    client_ = std::make_unique<device::device_client>(
        workload_options(port, format, kiosk_token(index), seed));
  }
}

kiosk::~kiosk() {
  abandon();
  stop();
}

void kiosk::start() {
  if (client_) client_->start();
  thread_ = std::thread([this] { run(); });
}

void kiosk::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  if (client_) client_->stop();
}

void kiosk::abandon() {
  abandoned_ = true;
}

void kiosk::run() {
  std::uniform_int_distribution<std::size_t> category(0, categories().size() - 1);
  for (std::uint64_t n = 1; !stopping_ && !abandoned_; ++n) {
    settle(kiosk_id(index_) + "-" + std::to_string(n), categories()[category(random_)]);
    pause(between_tickets);
  }
}

void kiosk::settle(const std::string& key, const std::string& category) {
  while (!abandoned_) {
    if (client_) {
      // Not live: a command would be refused locally, which tells nothing.
      while (!abandoned_ && !client_->wait_for(device::connection_state::live, 100ms)) {
      }
      if (abandoned_) return;
    }
    operation op;
    op.client = name_;
    op.what = action::take_ticket;
    op.category = category;
    op.client_key = key;
    const auto id = history_.invoke(op);
    const auto end = client_ ? over_websocket(id, key, category) : over_http(id, key, category);
    if (end == attempt_end::settled) return;
    pause(between_retries);
  }
}

kiosk::attempt_end kiosk::over_http(std::uint64_t op, const std::string& key,
                                    const std::string& category) {
  const auto answer = http_exchange(
      port_, "POST", "/api/v1/tickets",
      R"({"category":")" + category + R"(","clientKey":")" + key + "\"}", kiosk_token(index_));
  switch (answer.how) {
    case delivery::refused:
      // Nothing was sent: it did not happen, and the citizen still wants it.
      history_.not_delivered(op, answer.error);
      return attempt_end::retry;
    case delivery::lost:
      history_.lose(op, answer.error);
      return attempt_end::retry;
    case delivery::answered:
      break;
  }
  if (answer.status != 200 && answer.status != 201) {
    history_.fail(op, "HTTP " + std::to_string(answer.status) + ": " + answer.body);
    return attempt_end::settled;
  }
  v1::Ticket ticket;
  if (!google::protobuf::util::JsonStringToMessage(answer.body, &ticket).ok()) {
    // Answered, but not with a ticket: count it as unknown, and ask again.
    history_.lose(op, "not a ticket: " + answer.body);
    return attempt_end::retry;
  }
  history_.succeed(op, ticket.id(), ticket.number(), answer.status == 201, {});
  return attempt_end::settled;
}

kiosk::attempt_end kiosk::over_websocket(std::uint64_t op, const std::string& key,
                                         const std::string& category) {
  v1::Command command;
  auto& take = *command.mutable_take_ticket();
  take.set_category(category);
  take.set_client_key(key);
  const auto reply = client_->call(std::move(command), reply_timeout);
  if (!reply) {
    history_.lose(op, "no reply within " + std::to_string(reply_timeout.count()) + " s");
    return attempt_end::retry;
  }
  if (reply->has_error()) {
    const auto& error = reply->error();
    if (error.code() == v1::ERROR_CODE_UNAVAILABLE) {
      // The link dropped (or was not up) before the reply: may have happened.
      history_.lose(op, "UNAVAILABLE: " + error.message_en());
      return attempt_end::retry;
    }
    history_.fail(op, v1::ErrorCode_Name(error.code()) + ": " + error.message_en());
    return attempt_end::settled;
  }
  if (!reply->has_result()) {
    history_.lose(op, "not a result: " + reply->ShortDebugString());
    return attempt_end::retry;
  }
  const auto& result = reply->result();
  std::vector<std::uint64_t> seqs(result.seqs().begin(), result.seqs().end());
  history_.succeed(op, result.ticket().id(), result.ticket().number(), !seqs.empty(),
                   std::move(seqs));
  return attempt_end::settled;
}

void kiosk::pause(std::chrono::milliseconds longest) {
  std::uniform_int_distribution<long> pick(0, longest.count());
  std::this_thread::sleep_for(std::chrono::milliseconds(pick(random_)));
}

}  // namespace luot::history
