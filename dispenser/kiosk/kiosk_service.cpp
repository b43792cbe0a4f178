#include "kiosk/kiosk_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "kiosk/device_health.hpp"
#include "kiosk/press_journal.hpp"
#include "kiosk/ticket_details.hpp"

namespace luot::kiosk {

namespace {

using steady = std::chrono::steady_clock;

// Errors after which the same key may still yield a ticket: the request
// may not have reached the engine (the limiter and availability checks run
// before the engine's key lookup), so the press is kept and retried.
bool may_succeed_later(v1::ErrorCode code) {
  switch (code) {
    case v1::ERROR_CODE_UNAVAILABLE:
    case v1::ERROR_CODE_RATE_LIMITED:
    case v1::ERROR_CODE_INTERNAL:
    case v1::ERROR_CODE_UNSPECIFIED:
      return true;
    default:
      return false;
  }
}

localized printer_text(printer::printer_status status) {
  return {printer::status_text(text::language::vi, status),
          printer::status_text(text::language::en, status)};
}

device::options client_options(const kiosk_options& options) {
  device::options settings;
  settings.server_url = options.server_url;
  settings.ca_file = options.ca_file;
  settings.token = options.token;
  settings.client_name = "luot-dispenser 0.1";
  return settings;
}

// A link that is live, or welcomed and catching up (live a moment later),
// takes a press; one that is down or still connecting does not.
bool usable(const device::link_status& link) {
  return link.state == device::connection_state::live ||
         link.state == device::connection_state::syncing;
}

std::string health_detail(const printer::printer_spec& spec, std::string_view what) {
  std::string detail = spec.to_string() + ": " + std::string(what);
  // The server refuses details over 200 bytes.
  if (detail.size() > 200) detail.resize(200);
  return detail;
}

}  // namespace

localized from_catalogue(std::string_view key, const std::vector<std::string>& args) {
  return {text::format(text::language::vi, key, args), text::format(text::language::en, key, args)};
}

std::string_view to_string(service_phase phase) {
  switch (phase) {
    case service_phase::idle:
      return "idle";
    case service_phase::working:
      return "working";
    case service_phase::waiting_for_server:
      return "waiting_for_server";
    case service_phase::waiting_for_printer:
      return "waiting_for_printer";
  }
  return "idle";
}

std::string_view to_string(press_outcome outcome) {
  switch (outcome) {
    case press_outcome::printed:
      return "printed";
    case press_outcome::refused:
      return "refused";
    case press_outcome::server_silent:
      return "server_silent";
    case press_outcome::print_failed:
      return "print_failed";
  }
  return "refused";
}

class kiosk_service::worker {
 public:
  worker(const kiosk_options& options, std::unique_ptr<printer::ticket_printer> printer)
      : timing_(options.timing),
        extras_{options.public_url, options.hotline, options.documents},
        printer_(std::move(printer)),
        journal_(options.state_directory),
        reporter_(options.timing.status_report),
        client_(client_options(options)) {}

  ~worker() { stop(); }

  void on_report(report_handler handler) { on_report_ = std::move(handler); }
  void on_change(change_handler handler) { on_change_ = std::move(handler); }

  void start() {
    client_.on_state([this](const device::link_status& status) {
      {
        std::lock_guard lock(mutex_);
        if (status.state == device::connection_state::live) link_came_back_ = true;
        ++version_;
      }
      wake_.notify_all();
      changed();
    });
    client_.on_change([this](const view::mirror&, const view::change&) {
      {
        std::lock_guard lock(mutex_);
        ++version_;
      }
      changed();
    });
    client_.start();
    thread_ = std::thread([this] { run(); });
  }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    client_.stop();
  }

  press_receipt press(const std::string& category, const std::string& priority_class,
                      text::language lang) {
    // The client's locks are taken before ours, never inside them.
    const auto link = client_.status();
    const auto view = client_.view();
    std::lock_guard lock(mutex_);
    if (phase_ == service_phase::waiting_for_printer) return refuse(printer_message_);
    if (phase_ != service_phase::idle || queued_) {
      return refuse(from_catalogue("kiosk.refused.busy"));
    }
    if (!usable(link)) {
      spdlog::info("press for {} refused: the link is {} ({})", category,
                   device::to_string(link.state), link.reason);
      return refuse(from_catalogue("kiosk.refused.offline"));
    }
    if (!printer::can_print(printer_status_)) return refuse(printer_message_);
    const auto& categories = view.categories();
    const auto found =
        std::find_if(categories.begin(), categories.end(),
                     [&](const v1::Category& known) { return known.code() == category; });
    if (found == categories.end()) {
      return refuse(from_catalogue("kiosk.refused.unknown_category", {category}));
    }
    if (found->status() != v1::CATEGORY_STATUS_OPEN) {
      auto why = from_catalogue("category.status." + v1::CategoryStatus_Name(found->status()));
      if (!found->status_note().empty()) {
        why.vi += ": " + found->status_note();
        why.en += ": " + found->status_note();
      }
      return refuse(std::move(why));
    }
    if (!priority_class.empty()) {
      const auto& classes = view.priority_classes();
      if (std::none_of(classes.begin(), classes.end(), [&](const v1::PriorityClass& known) {
            return known.code() == priority_class;
          })) {
        return refuse(from_catalogue("kiosk.refused.unknown_priority_class", {priority_class}));
      }
    }
    queued request;
    request.id = next_id_++;
    request.take.set_category(category);
    request.take.set_priority_class(priority_class);
    request.language = lang;
    queued_ = request;
    ++version_;
    wake_.notify_all();
    return {request.id, {}};
  }

  service_state state() const {
    service_state result;
    result.link = client_.status();
    std::lock_guard lock(mutex_);
    result.phase = phase_;
    result.printer = printer_status_;
    result.printer_message = printer_message_;
    result.printer_checks = printer_checks_;
    if (pending_) {
      result.press = pending_->request;
      result.ticket = pending_->ticket;
    }
    result.version = version_;
    return result;
  }

  device::device_client& client() { return client_; }

 private:
  struct queued {
    std::uint64_t id = 0;
    v1::TakeTicket take;
    text::language language = text::language::vi;
  };

  static press_receipt refuse(localized why) { return {0, std::move(why)}; }

  void changed() {
    if (on_change_) on_change_();
  }

  void report(press_report what) {
    spdlog::info("press {} {} {}{}: {}", what.press_id, to_string(what.outcome), what.category,
                 what.ticket ? " " + what.ticket->number() : std::string(), what.reason.en);
    if (on_report_) on_report_(what);
  }

  void set_phase(service_phase phase) {
    {
      std::lock_guard lock(mutex_);
      if (phase_ == phase) return;
      phase_ = phase;
      ++version_;
    }
    changed();
  }

  void set_printer(printer::printer_status status, localized message) {
    bool moved = false;
    {
      std::lock_guard lock(mutex_);
      ++printer_checks_;
      moved = status != printer_status_ || message.vi != printer_message_.vi;
      printer_status_ = status;
      printer_message_ = std::move(message);
      if (moved) ++version_;
    }
    if (moved) {
      spdlog::info("printer {}: {}", printer_->spec().to_string(), printer::status_name(status));
      changed();
    }
  }

  void set_pending(std::optional<pending_press> press) {
    {
      std::lock_guard lock(mutex_);
      pending_ = std::move(press);
      ++version_;
    }
    changed();
  }

  void run() {
    resume_from_disk();
    check_printer();
    while (true) {
      std::optional<queued> next;
      {
        std::unique_lock lock(mutex_);
        const auto tick = steady::now() + std::chrono::seconds(1);
        auto deadline = std::min(tick, next_check_);
        if (pending_) deadline = std::min(deadline, next_retry_);
        wake_.wait_until(lock, deadline,
                         [&] { return stopping_ || queued_.has_value() || link_came_back_; });
        if (stopping_) return;
        next = std::exchange(queued_, std::nullopt);
        if (std::exchange(link_came_back_, false)) {
          reporter_.resend_soon();
          next_retry_ = steady::now();
        }
      }
      if (resend_status_.exchange(false)) reporter_.resend_soon();
      const auto now = steady::now();
      if (pending_) {
        if (next) refuse_queued(*next);
        if (now >= next_retry_) advance();
      } else if (next) {
        handle(*next);
      } else if (now >= next_check_) {
        check_printer();
      }
      send_health();
    }
  }

  // A press that slipped in while a resumed press was being retried.
  void refuse_queued(const queued& request) {
    report({request.id,
            press_outcome::refused,
            request.take.category(),
            request.take.priority_class(),
            std::nullopt,
            {},
            from_catalogue("kiosk.refused.busy")});
  }

  void resume_from_disk() {
    std::string problem;
    auto press = journal_.load(&problem);
    if (!problem.empty()) spdlog::error("press journal: {}", problem);
    if (!press) return;
    const auto age = std::chrono::system_clock::now() - press->pressed_at;
    if (age > timing_.resume_within || age < -std::chrono::hours(1)) {
      spdlog::warn("dropping a press left from {} s ago (key {}, category {}{})",
                   std::chrono::duration_cast<std::chrono::seconds>(age).count(),
                   press->request.client_key(), press->request.category(),
                   press->ticket ? ", ticket " + press->ticket->number() + " never printed" : "");
      clear_journal();
      return;
    }
    spdlog::info("resuming a press from before the restart (key {}, category {}{})",
                 press->request.client_key(), press->request.category(),
                 press->ticket ? ", ticket " + press->ticket->number() : "");
    pending_id_ = 0;
    started_at_ = steady::now();
    told_silent_ = false;
    print_attempts_ = 0;
    next_retry_ = steady::now();
    const bool issued = press->ticket.has_value();
    set_pending(std::move(press));
    set_phase(issued ? service_phase::waiting_for_printer : service_phase::waiting_for_server);
  }

  void handle(const queued& request) {
    set_phase(service_phase::working);
    auto refused = [&](localized why) {
      set_phase(service_phase::idle);
      report({request.id,
              press_outcome::refused,
              request.take.category(),
              request.take.priority_class(),
              std::nullopt,
              {},
              std::move(why)});
    };
    if (!usable(client_.status())) return refused(from_catalogue("kiosk.refused.offline"));
    // Issue no number the printer cannot print: ask it first.
    check_printer();
    if (!printer::can_print(printer_status_now())) return refused(printer_message_now());

    pending_press press;
    press.request = request.take;
    press.request.set_client_key(new_client_key());
    press.pressed_at = std::chrono::system_clock::now();
    press.language = request.language;
    try {
      journal_.save(press);
    } catch (const std::exception& failure) {
      spdlog::error("cannot record the press, no number taken: {}", failure.what());
      return refused(from_catalogue("kiosk.refused.cannot_record"));
    }
    pending_id_ = request.id;
    started_at_ = steady::now();
    told_silent_ = false;
    print_attempts_ = 0;
    set_pending(std::move(press));
    advance();
  }

  void advance() {
    if (pending_->ticket) {
      print();
    } else {
      take();
    }
  }

  void take() {
    v1::Command command;
    *command.mutable_take_ticket() = pending_->request;
    const auto reply = client_.call(command, timing_.request_timeout);
    if (reply && reply->has_result() && reply->result().has_ticket()) {
      auto press = *pending_;
      press.ticket = reply->result().ticket();
      try {
        journal_.save(press);
      } catch (const std::exception& failure) {
        // The ticket is in memory and printed next; only a crash now loses it.
        spdlog::error("cannot record ticket {}: {}", press.ticket->number(), failure.what());
      }
      set_pending(std::move(press));
      print();
      return;
    }
    if (reply && reply->has_error() && !may_succeed_later(reply->error().code())) {
      const auto& error = reply->error();
      const press_report refused{pending_id_,
                                 press_outcome::refused,
                                 pending_->request.category(),
                                 pending_->request.priority_class(),
                                 std::nullopt,
                                 {},
                                 {error.message(), error.message_en()}};
      finish_press();
      report(refused);
      return;
    }
    const std::string why = !reply               ? "no answer"
                            : reply->has_error() ? v1::ErrorCode_Name(reply->error().code())
                                                 : "a reply without a ticket";
    spdlog::warn("take-ticket {} for {}: {}; retrying with the same key",
                 pending_->request.client_key(), pending_->request.category(), why);
    set_phase(service_phase::waiting_for_server);
    next_retry_ = steady::now() + timing_.retry;
    if (!told_silent_ && steady::now() - started_at_ >= timing_.give_up) {
      told_silent_ = true;
      report({pending_id_,
              press_outcome::server_silent,
              pending_->request.category(),
              pending_->request.priority_class(),
              std::nullopt,
              {},
              from_catalogue("kiosk.notice.server_silent")});
    }
  }

  void print() {
    const auto& ticket = *pending_->ticket;
    // Names come from the view; after a restart with the server away, wait
    // for it a while, then print with the codes rather than not at all.
    if (!client_.has_view() && steady::now() - started_at_ < timing_.give_up) {
      set_phase(service_phase::waiting_for_printer);
      next_retry_ = steady::now() + timing_.retry;
      return;
    }
    const auto content = make_ticket_content(ticket, client_.view(), extras_, pending_->language);
    const auto printed = printer_->print(content);
    note_health(health_of(printed), printed.printed()
                                        ? std::string(printer::status_name(printed.status))
                                        : std::string(printer::outcome_name(printed.outcome)));
    if (printed.printed()) {
      set_printer(printed.status, printer_text(printed.status));
      const press_report done{pending_id_,
                              press_outcome::printed,
                              ticket.category(),
                              ticket.priority_class(),
                              ticket,
                              content.status_url,
                              {},
                              print_attempts_ > 0};
      finish_press();
      report(done);
      return;
    }
    spdlog::warn("ticket {} did not print ({}: {}); it will be reprinted", ticket.number(),
                 printer::outcome_name(printed.outcome), printed.detail);
    set_printer(printed.status == printer::printer_status::ready ||
                        printed.status == printer::printer_status::unknown
                    ? printer::printer_status::printer_error
                    : printed.status,
                {printed.message(text::language::vi), printed.message(text::language::en)});
    set_phase(service_phase::waiting_for_printer);
    next_retry_ = steady::now() + timing_.retry;
    if (print_attempts_++ == 0) {
      report({pending_id_,
              press_outcome::print_failed,
              ticket.category(),
              ticket.priority_class(),
              ticket,
              content.status_url,
              {printed.message(text::language::vi), printed.message(text::language::en)}});
    }
  }

  void finish_press() {
    clear_journal();
    set_pending(std::nullopt);
    set_phase(service_phase::idle);
    next_check_ = steady::now() + timing_.printer_check;
  }

  void clear_journal() {
    try {
      journal_.clear();
    } catch (const std::exception& failure) {
      spdlog::error("cannot clear the press journal: {}", failure.what());
    }
  }

  void check_printer() {
    const auto reading = printer_->check();
    set_printer(reading.status, printer_text(reading.status));
    note_health(health_of(reading.status), std::string(printer::status_name(reading.status)));
    next_check_ = steady::now() + timing_.printer_check;
  }

  void note_health(v1::DeviceHealth health, const std::string& what) {
    health_ = health;
    health_detail_ = health_detail(printer_->spec(), what);
    send_health();
  }

  void send_health() {
    if (!health_) return;
    auto command = reporter_.update(*health_, health_detail_, steady::now());
    if (!command) return;
    client_.send(std::move(*command), [this](const v1::ServerMessage& reply) {
      if (reply.has_error()) {
        spdlog::debug("device status not delivered: {}", reply.error().message_en());
        resend_status_ = true;
      }
    });
  }

  printer::printer_status printer_status_now() const {
    std::lock_guard lock(mutex_);
    return printer_status_;
  }

  localized printer_message_now() const {
    std::lock_guard lock(mutex_);
    return printer_message_;
  }

  kiosk_timing timing_;
  ticket_extras extras_;
  std::unique_ptr<printer::ticket_printer> printer_;
  press_journal journal_;
  health_reporter reporter_;
  device::device_client client_;
  report_handler on_report_;
  change_handler on_change_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool link_came_back_ = false;
  std::optional<queued> queued_;
  std::uint64_t next_id_ = 1;
  service_phase phase_ = service_phase::idle;
  printer::printer_status printer_status_ = printer::printer_status::unknown;
  localized printer_message_ = printer_text(printer::printer_status::unknown);
  std::optional<pending_press> pending_;
  std::uint64_t version_ = 0;
  std::uint64_t printer_checks_ = 0;
  std::atomic<bool> resend_status_{false};

  // The worker thread's own.
  std::uint64_t pending_id_ = 0;
  steady::time_point started_at_{};
  steady::time_point next_retry_{};
  steady::time_point next_check_{};
  bool told_silent_ = false;
  int print_attempts_ = 0;
  std::optional<v1::DeviceHealth> health_;
  std::string health_detail_;
  std::thread thread_;
};

kiosk_service::kiosk_service(const kiosk_options& options,
                             std::unique_ptr<printer::ticket_printer> printer)
    : worker_(std::make_unique<worker>(options, std::move(printer))) {}

kiosk_service::~kiosk_service() = default;

void kiosk_service::on_report(report_handler handler) {
  worker_->on_report(std::move(handler));
}

void kiosk_service::on_change(change_handler handler) {
  worker_->on_change(std::move(handler));
}

void kiosk_service::start() {
  worker_->start();
}

void kiosk_service::stop() {
  worker_->stop();
}

press_receipt kiosk_service::press(const std::string& category, const std::string& priority_class,
                                   text::language lang) {
  return worker_->press(category, priority_class, lang);
}

service_state kiosk_service::state() const {
  return worker_->state();
}

v1::View kiosk_service::view() const {
  return worker_->client().view();
}

bool kiosk_service::has_view() const {
  return worker_->client().has_view();
}

bool kiosk_service::wait_for_view(std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!has_view()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace luot::kiosk
