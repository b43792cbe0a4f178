#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "device/device_client.hpp"
#include "kiosk/kiosk_options.hpp"
#include "luot/v1/luot.pb.h"
#include "printer/printer_status.hpp"
#include "printer/ticket_printer.hpp"
#include "text/catalogue.hpp"

namespace luot::kiosk {

// A sentence in both languages, so the screen can show it in whichever the
// citizen picked.
struct localized {
  std::string vi;
  std::string en;

  const std::string& in(text::language lang) const { return lang == text::language::en ? en : vi; }
  bool empty() const { return vi.empty() && en.empty(); }
};

// A catalogue message in both languages.
localized from_catalogue(std::string_view key, const std::vector<std::string>& args = {});

// What the kiosk is doing, for the screen.
enum class service_phase {
  // Nothing in progress: a press is accepted if the link and printer allow.
  idle,
  // A press is being turned into a ticket (asking the server, printing).
  working,
  // A press got no answer (the link dropped, the server is down): it is
  // retried with the same key until the server answers.
  waiting_for_server,
  // A number was issued but its ticket did not print: it is reprinted, same
  // number, as soon as the printer allows. No other number is issued.
  waiting_for_printer,
};

std::string_view to_string(service_phase phase);

// The kiosk's state as the screen draws it.
struct service_state {
  service_phase phase = service_phase::idle;
  device::link_status link;
  printer::printer_status printer = printer::printer_status::unknown;
  // What to tell a citizen about the printer ("Máy in hết giấy").
  localized printer_message;
  // How many times the printer was asked so far (0: not yet since start).
  std::uint64_t printer_checks = 0;
  // The press in progress (waiting phases), and its ticket once issued.
  std::optional<v1::TakeTicket> press;
  std::optional<v1::Ticket> ticket;
  // Bumped on every change, view updates included: redraw when it moves.
  std::uint64_t version = 0;

  bool online() const { return link.state == device::connection_state::live; }
};

// What became of an accepted press (reported once per outcome; a press that
// waits is reported again when it ends).
enum class press_outcome {
  // The ticket is out of the printer.
  printed,
  // No number was issued: the server refused (category closed, ...).
  refused,
  // No answer within the give-up time. The press is still retried with the
  // same key; if a number comes of it, it is printed and reported then.
  server_silent,
  // The number was issued but the ticket did not print; it is reprinted as
  // soon as the printer allows and reported `printed` then.
  print_failed,
};

std::string_view to_string(press_outcome outcome);

struct press_report {
  // The id press() returned; 0 for a press resumed after a restart.
  std::uint64_t press_id = 0;
  press_outcome outcome = press_outcome::refused;
  std::string category;
  std::string priority_class;
  // Set when a number was issued (printed, print_failed).
  std::optional<v1::Ticket> ticket;
  std::string status_url;
  // Why (refused, server_silent, print_failed).
  localized reason;
  // Printed only after an earlier attempt failed (same number).
  bool reprinted = false;
};

// What press() says at once: accepted (an id to match reports), or why not.
struct press_receipt {
  std::uint64_t id = 0;
  localized refusal;

  bool accepted() const { return id != 0; }
};

// The kiosk without its screen: the link to the server (a device_client
// with the kiosk's token), the printer, and the journal that makes every
// press yield at most one number and every number a printed ticket.
//
// Threading: one worker thread owns the printer and the journal and does
// all the slow work (printer status, take-ticket requests, printing,
// retries, device-status reports). press() and state() are safe from any
// thread and never block on the network or the printer. Handlers are set
// before start() and run on the worker thread or the device client's.
class kiosk_service {
 public:
  using report_handler = std::function<void(const press_report&)>;
  using change_handler = std::function<void()>;

  // Throws std::runtime_error when the state directory cannot be used, or
  // std::invalid_argument for unusable client options.
  kiosk_service(const kiosk_options& options, std::unique_ptr<printer::ticket_printer> printer);
  ~kiosk_service();
  kiosk_service(const kiosk_service&) = delete;
  kiosk_service& operator=(const kiosk_service&) = delete;

  void on_report(report_handler handler);
  // Something the screen shows changed (state, view, link).
  void on_change(change_handler handler);

  // Connects, resumes a press left on disk, and starts the worker.
  void start();
  // Stops the worker and the link; a press in progress stays on disk.
  void stop();

  // Asks for a ticket; `lang` is the language it is printed in.
  press_receipt press(const std::string& category, const std::string& priority_class,
                      text::language lang);

  service_state state() const;
  v1::View view() const;
  bool has_view() const;
  // Waits until the view has arrived; false on timeout.
  bool wait_for_view(std::chrono::milliseconds timeout) const;

 private:
  class worker;
  std::unique_ptr<worker> worker_;
};

}  // namespace luot::kiosk
